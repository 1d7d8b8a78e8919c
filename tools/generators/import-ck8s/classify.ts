import type { ClusterKind } from './source/config-path';
import { containsPlainSetMe, containsSetMe, formatKeyPath, getPath, originOf, type EffectiveConfig } from './source/effective';
import { coveredLength, mappingRule, type ImportContext, type Outcome, type Rule } from './mapping';

/**
 * Runs every leaf of one cluster's effective ck8s config through the mapping table: what became of
 * it (the report's row) and what it writes (our key and value). Placement in config.yaml or the
 * cluster's file, and "equal to our default", are decided later, across clusters (assemble.ts).
 */

export interface LeafResult {
  /** Our cluster name. */
  cluster: string;
  kind: ClusterKind;
  path: string[];
  /** `a.b["c.d"]` */
  key: string;
  value: unknown;
  /** The file (relative to its config path) whose value won. */
  origin: string;
  rule: Rule;
  outcome: Outcome;
  /** Our key(s) the value went to (or would have), for the report. */
  targets: string[];
  note: string;
}

/** One value for one of our keys on one cluster. */
export interface Write {
  cluster: string;
  target: string;
  value: unknown;
  leaf: LeafResult;
}

export interface UnsetRequired {
  /** `<file>:<line>` where the value comes from. */
  where: string;
  key: string;
  cluster: string;
}

export interface Classified {
  leaves: LeafResult[];
  writes: Write[];
  unset: UnsetRequired[];
}

const UNSET_NOTE = 'unset in the source (set-me): our default applies';

export function classifyCluster(cfg: EffectiveConfig, ctx: ImportContext): Classified {
  const out: Classified = { leaves: [], writes: [], unset: [] };
  for (const leaf of cfg.leaves) {
    const rule = mappingRule(leaf.path, cfg.kind);
    const key = formatKeyPath(leaf.path);
    const row: LeafResult = {
      cluster: ctx.cluster,
      kind: cfg.kind,
      path: leaf.path,
      key,
      value: leaf.value,
      origin: leaf.file.name,
      rule,
      outcome: rule.outcome,
      targets: rule.target ? [rule.target, ...(rule.also ?? [])] : [],
      note: rule.note ?? '',
    };
    out.leaves.push(row);
    if (rule.partOf) {
      row.note = `read with ${rule.partOf}${rule.note ? `; ${rule.note}` : ''}`;
      continue;
    }
    const writes = rule.target && !rule.structural;
    // A `whole` rule reads the subtree it names as one value.
    const root = leaf.path.slice(0, coveredLength(rule, leaf.path));
    const value = root.length < leaf.path.length ? getPath(cfg.value, root) : leaf.value;
    if (containsSetMe(value)) {
      if (writes && (containsPlainSetMe(leaf.value) || rule.required?.(ctx))) {
        out.unset.push({ where: originOf(cfg, leaf.path), key: formatKeyPath(root), cluster: ctx.cluster });
      }
      if (rule.outcome === 'mapped') [row.outcome, row.note] = ['default', UNSET_NOTE];
      continue;
    }
    if (rule.structural || (!rule.target && !rule.convert)) continue;
    const converted = rule.convert ? rule.convert(value, ctx) : { value };
    if ('equal' in converted) {
      [row.outcome, row.note] = ['default', converted.equal];
    } else if ('skip' in converted) {
      row.outcome = 'different';
      row.note = rule.note && rule.outcome === 'different' ? `${rule.note}: ${converted.skip}` : converted.skip;
    } else if (rule.target) {
      const values = 'values' in converted ? converted.values : Object.fromEntries(row.targets.map((t) => [t, converted.value]));
      row.targets = Object.keys(values);
      for (const [target, value] of Object.entries(values)) out.writes.push({ cluster: ctx.cluster, target, value, leaf: row });
    }
  }
  return out;
}
