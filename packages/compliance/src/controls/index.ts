import type { Control } from '../types';
import { ISO27001 } from './iso27001';
import { MSBFS } from './msbfs';
import { NIST_800_171 } from './nist-800-171';

/** Every control the platform claims, in report order: per framework, in the framework's own order. */
export const CONTROLS: readonly Control[] = [...MSBFS, ...ISO27001, ...NIST_800_171];

/** The control with this id (`ISO 27001 A.12.3.1`). */
export function controlById(id: string): Control | undefined {
  return CONTROLS.find((c) => c.id === id);
}
