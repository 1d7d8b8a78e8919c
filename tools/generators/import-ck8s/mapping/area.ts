import type { Rule } from './types';

/** One area of the ck8s config (a group of its top-level keys) and its rules, as the report groups them. */
export interface Area {
  title: string;
  /** The top-level ck8s keys of this area. */
  roots: string[];
  rules: Rule[];
}
