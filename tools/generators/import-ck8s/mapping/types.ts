import type { Flavor, Provider } from '@ck8s/config';
import type { ClusterKind } from '../source/config-path';
import { getPath, type EffectiveConfig } from '../source/effective';

/**
 * The mapping table's types: one rule per ck8s key (or, for keys with no equivalent, per group of
 * keys), saying what becomes of it. The import report (IMPORT.md) and the README mapping table
 * (MAPPING.md) are both generated from the same rules, so what the docs say is what the code does.
 */

/** What became of a source key, as the report groups it. */
export type Outcome = 'mapped' | 'default' | 'different' | 'none' | 'replaced';

export const OUTCOME_TITLES: Record<Outcome, string> = {
  mapped: 'mapped',
  default: 'equal to our default (dropped)',
  different: 'different meaning',
  none: 'no equivalent',
  replaced: 'replaced by a different component',
};

/** What a rule's conversion sees: the cluster's whole effective ck8s config, and where it goes. */
export interface ImportContext {
  cfg: EffectiveConfig;
  kind: ClusterKind;
  /** Our cluster name for this ck8s cluster. */
  cluster: string;
  envName: string;
  flavor: Flavor;
  provider: Provider;
  /** Our base and ops domain (from the service cluster's config), for keys that must agree with them. */
  domain: string;
  opsDomain: string;
  /** Another key of the same cluster's effective config (dotted, plain segments). */
  get(path: string): unknown;
}

export function contextFor(cfg: EffectiveConfig, o: Omit<ImportContext, 'cfg' | 'kind' | 'get'>): ImportContext {
  return { ...o, cfg, kind: cfg.kind, get: (p) => getPath(cfg.value, p.split('.')) };
}

/**
 * A conversion's verdict on one value: write `value` at the target (or `values`, keyed by our key,
 * when one ck8s value becomes several settings); or nothing to write because
 * the value equals what we do anyway (`equal`); or the value cannot be expressed (`skip`, which
 * makes the outcome "different meaning" with that reason).
 */
export type Converted = { value: unknown } | { values: Record<string, unknown> } | { equal: string } | { skip: string };

export interface Rule {
  /** Source key pattern: dotted segments; `*` is one segment, `**` any number of them (also none). */
  source: string;
  /** The rule reads this key only in the service cluster's (sc) or a workload cluster's (wc) config. */
  clusters?: ClusterKind;
  outcome: Exclude<Outcome, 'default'>;
  /**
   * Our key: a settings path such as `components.velero.schedule` (written to config.yaml or the
   * cluster's file), or one of the environment keys `flavor`, `provider`, `domain`, `opsDomain`.
   */
  target?: string;
  /** More of our keys that take the same converted value. */
  also?: string[];
  /**
   * The rule takes the key's whole subtree as one value (a map of the operator's own keys, such as
   * `user.constraints`): every leaf under it is covered, and `convert` sees the map.
   */
  whole?: boolean;
  /** Value → what to write (default: the value itself). */
  convert?: (value: unknown, ctx: ImportContext) => Converted;
  /** The importer itself uses the value (cluster names, ...): shown as mapped, never written as a setting. */
  structural?: boolean;
  /** This key is read by the rule of another key, which writes the target. */
  partOf?: string;
  /** Left `set-me` here, the import stops: we need this value. Unconditional `set-me` in a mapped key always stops it. */
  required?: (ctx: ImportContext) => boolean;
  /** Why, and what the operator should do (required for every outcome but a plain `mapped`). */
  note?: string;
  /** The component that took over (outcome `replaced`). */
  replacedBy?: string;
}

type Extra = Partial<Pick<Rule, 'clusters' | 'convert' | 'structural' | 'partOf' | 'required' | 'note' | 'also' | 'whole'>>;

export const mapped = (source: string, target: string, extra: Extra = {}): Rule => ({ source, target, outcome: 'mapped', ...extra });
// Rules that write nothing also cover what an operator put under their key (a map of roles, rules, annotations).
export const different = (source: string, note: string, extra: Extra & { target?: string } = {}): Rule => ({
  source,
  outcome: 'different',
  note,
  whole: !extra.target,
  ...extra,
});
export const none = (source: string, note: string, extra: Pick<Rule, 'clusters'> = {}): Rule => ({ source, outcome: 'none', note, whole: true, ...extra });
/** Replaced by another component; with a `target`, the value still carries over to it. */
export const replaced = (source: string, replacedBy: string, note: string, extra: Extra & { target?: string } = {}): Rule => ({
  source,
  outcome: 'replaced',
  replacedBy,
  note,
  whole: !extra.target,
  ...extra,
});

/** Whether a key path matches a rule pattern. */
export function matches(pattern: string, path: readonly string[]): boolean {
  const pat = pattern.split('.');
  const go = (i: number, j: number): boolean => {
    if (i === pat.length) return j === path.length;
    if (pat[i] === '**') return go(i + 1, j) || (j < path.length && go(i, j + 1));
    if (j === path.length) return false;
    return (pat[i] === '*' || pat[i] === path[j]) && go(i + 1, j + 1);
  };
  return go(0, 0);
}

/** How many leading keys of `path` a rule covers: all of them, or (a `whole` rule) the subtree's root; 0 when it does not apply. */
export function coveredLength(r: Rule, path: readonly string[]): number {
  if (matches(r.source, path)) return path.length;
  if (r.whole) for (let n = 1; n < path.length; n++) if (matches(r.source, path.slice(0, n))) return n;
  return 0;
}

/** The first rule of the table that covers this key of this cluster kind. */
export function ruleFor(rules: readonly Rule[], path: readonly string[], kind: ClusterKind): Rule | undefined {
  return rules.find((r) => (!r.clusters || r.clusters === kind) && coveredLength(r, path) > 0);
}

// ---- conversions shared by the tables ----

export const asString = (v: unknown): Converted =>
  typeof v === 'string' || typeof v === 'number' ? { value: String(v) } : { skip: `expected a string, got ${JSON.stringify(v)}` };

export const asBoolean = (v: unknown): Converted => (typeof v === 'boolean' ? { value: v } : { skip: `expected true or false, got ${JSON.stringify(v)}` });

export const asInteger = (v: unknown): Converted => {
  const n = typeof v === 'string' && /^[0-9]+$/.test(v) ? Number(v) : v;
  return typeof n === 'number' && Number.isInteger(n) ? { value: n } : { skip: `expected a whole number, got ${JSON.stringify(v)}` };
};

export const asStringList = (v: unknown): Converted =>
  Array.isArray(v) && v.every((x) => typeof x === 'string') ? { value: [...v] } : { skip: `expected a list of strings, got ${JSON.stringify(v)}` };

export const negate = (v: unknown): Converted => (typeof v === 'boolean' ? { value: !v } : { skip: `expected true or false, got ${JSON.stringify(v)}` });

/** A Kubernetes CPU quantity (ck8s allows numbers: `cpu: 1`). */
export const cpuQuantity = (v: unknown): Converted => {
  const s = typeof v === 'number' ? String(v) : v;
  return typeof s === 'string' && /^[0-9]+(\.[0-9]+)?m?$/.test(s)
    ? { value: s }
    : { skip: `${JSON.stringify(v)} is not a CPU quantity we accept (e.g. "100m", "1")` };
};

/** A Kubernetes memory quantity. */
export const memoryQuantity = (v: unknown): Converted =>
  typeof v === 'string' && /^[0-9]+(\.[0-9]+)?(Ki|Mi|Gi|Ti|k|M|G|T)?$/.test(v)
    ? { value: v }
    : { skip: `${JSON.stringify(v)} is not a memory quantity we accept (e.g. "256Mi")` };

/** Days in a Go/Prometheus duration (`30d`, `720h`, `720h0m0s`); undefined when it is not one or not whole days. */
export function durationDays(v: unknown): number | undefined {
  if (typeof v !== 'string') return undefined;
  const m = /^(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(v);
  if (!m || v === '') return undefined;
  const hours = Number(m[1] ?? 0) * 168 + Number(m[2] ?? 0) * 24 + Number(m[3] ?? 0) + Number(m[4] ?? 0) / 60 + Number(m[5] ?? 0) / 3600;
  return hours % 24 === 0 ? hours / 24 : undefined;
}

export const asDays = (v: unknown): Converted => {
  const d = durationDays(v);
  if (d === undefined) return { skip: `${JSON.stringify(v)} is not a whole number of days` };
  if (d === 0) return { skip: `${JSON.stringify(v)} means "keep forever" there; our setting is a number of days (at least 1): set one` };
  return { value: d };
};

/** The value must equal `expected`: then there is nothing to write; otherwise it cannot be expressed. */
export const fixedAs =
  (expected: unknown, ours: string, otherwise: string) =>
  (v: unknown): Converted =>
    JSON.stringify(v) === JSON.stringify(expected) ? { equal: ours } : { skip: `${ours}; ${otherwise}` };

/**
 * Requests and limits of one container, onto one of our `resourceSettings` (CPU request, memory
 * request, memory limit). We never set CPU limits.
 */
export function resources(source: string, target: string, extra: Pick<Rule, 'clusters'> = {}): Rule[] {
  return [
    mapped(`${source}.requests.cpu`, `${target}.cpu`, { convert: cpuQuantity, ...extra }),
    mapped(`${source}.requests.memory`, `${target}.memory`, { convert: memoryQuantity, ...extra }),
    mapped(`${source}.limits.memory`, `${target}.memoryLimit`, { convert: memoryQuantity, ...extra }),
    none(`${source}.limits.cpu`, NO_CPU_LIMITS, extra),
  ];
}

export const NO_CPU_LIMITS = 'we set no CPU limits on platform services (throttling one hurts more than sharing spare CPU); nothing to do';
