import type { ClusterConfig, Role } from '@ck8s/config';
import { settingsKey } from '@ck8s/components';
import type { K8sObject } from '@ck8s/manifest';
import type { ClusterView, Evidence, EvidenceInput, Gap, PlannedComponentView, RuleOutcome } from './types';

/** Helpers the evidence rules share: where things are in the plans and the rendered files. */

export function clustersWith(input: EvidenceInput, roles: readonly Role[]): ClusterView[] {
  return input.clusters.filter((c) => roles.includes(c.cluster.role));
}

export function managementOf(input: EvidenceInput): ClusterView | undefined {
  return input.clusters.find((c) => c.cluster.role === 'management');
}

export function planned(c: ClusterView | undefined, component: string): PlannedComponentView | undefined {
  return c?.components.find((p) => p.component.name === component);
}

/** A component's settings on a cluster as the loader resolved them (every key defaulted). */
export function settingsOf(cluster: ClusterConfig, component: string): Record<string, unknown> {
  return ((cluster.settings.components as Record<string, Record<string, unknown> | undefined>)[settingsKey(component)] ?? {}) as Record<string, unknown>;
}

/** A value at a dotted path of a component's settings (`snapshots.enabled`). */
export function setting(cluster: ClusterConfig, component: string, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), settingsOf(cluster, component));
}

/** The config key of a component setting: `components.<settingsKey>.<path>`. */
export function key(component: string, path: string): string {
  return `components.${settingsKey(component)}.${path}`;
}

/** A value as it reads in YAML, for gap messages. */
export function show(v: unknown): string {
  if (v === undefined) return 'unset';
  if (typeof v === 'string') return v === '' ? '""' : v;
  return JSON.stringify(v);
}

const clusterRoot = (input: EvidenceInput, cluster: string) => `clusters/${input.env.name}/${cluster}`;

/** A rendered file of a component on a cluster, when it exists: `values.yaml`, `objects.yaml`, `config/objects.yaml`. */
export function componentFile(input: EvidenceInput, cluster: string, component: string, file: string): string | undefined {
  const path = `${clusterRoot(input, cluster)}/components/${component}/${file}`;
  return input.files.has(path) ? path : undefined;
}

/** The Flux Kustomization file that deploys a component on a cluster (its presence is the deployment). */
export function fluxFile(input: EvidenceInput, cluster: string, component: string): string | undefined {
  const path = `${clusterRoot(input, cluster)}/flux/${component}.yaml`;
  return input.files.has(path) ? path : undefined;
}

/** The objects a component rendered, each with the rendered file it is written to. */
export function objectsOf(input: EvidenceInput, c: ClusterView, component: string): { object: K8sObject; file?: string }[] {
  const p = planned(c, component);
  if (!p) return [];
  const name = c.cluster.name;
  return [
    ...(p.output.objects ?? []).map((object) => ({ object, file: componentFile(input, name, component, 'objects.yaml') })),
    ...(p.output.config ?? []).map((object) => ({ object, file: componentFile(input, name, component, 'config/objects.yaml') })),
  ];
}

/** The rendered files of a component on a cluster that an auditor opens first: its Flux Kustomization, values and objects. */
export function filesOf(input: EvidenceInput, cluster: string, component: string, ...files: string[]): string[] {
  const list = files.length ? files : ['values.yaml', 'objects.yaml', 'config/objects.yaml'];
  return [fluxFile(input, cluster, component), ...list.map((f) => componentFile(input, cluster, component, f))].filter((f): f is string => !!f);
}

/**
 * Collects a rule's evidence and gaps. Gaps with the same key, value and wanted value are merged
 * across clusters, so "off on apps-a, apps-b" reads as one change.
 */
export class Findings {
  private readonly evidence: Evidence[] = [];
  private readonly gaps: Gap[] = [];

  saw(text: string, files: (string | undefined)[] = [], keys: string[] = []): this {
    this.evidence.push({ text, files: files.filter((f): f is string => !!f), keys });
    return this;
  }

  gap(what: string, keyPath: string, actual: unknown, want: unknown, cluster?: string): this {
    const a = show(actual);
    const w = show(want);
    const same = this.gaps.find((g) => g.what === what && g.key === keyPath && g.actual === a && g.want === w);
    if (same) {
      if (cluster && !same.clusters.includes(cluster)) same.clusters.push(cluster);
    } else this.gaps.push({ what, key: keyPath, actual: a, want: w, clusters: cluster ? [cluster] : [] });
    return this;
  }

  outcome(): RuleOutcome {
    return { evidence: this.evidence, gaps: this.gaps };
  }
}

/** Whether a component runs on a cluster; records the gap when it does not. */
export function requireComponent(f: Findings, input: EvidenceInput, c: ClusterView, component: string, what: string): boolean {
  if (planned(c, component)) return true;
  f.gap(`${what} is off`, key(component, 'enabled'), setting(c.cluster, component, 'enabled') ?? false, true, c.cluster.name);
  return false;
}
