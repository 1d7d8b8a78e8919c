import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VELERO_EXCLUDE_VOLUMES, type ComponentOutput } from '@ck8s/components';
import type { JsonObject } from '@ck8s/manifest';
import { repoRoot } from '@ck8s/testing';
import { planCluster, type ClusterPlan } from './plan';
import { listEnvironments, loadEnvironment } from './workspace';
import { CATALOG } from '@ck8s/components';

/**
 * Every stateful component of every shipped environment has exactly one backup path per piece of
 * state, with a schedule and a retention, and Velero's file-level copies take exactly the volumes
 * whose path is Velero. Statefulness is read from what the components render (persistent volumes in
 * their values or objects), not from their declarations, so a new stateful component without a
 * declaration fails here.
 */

/** Whether rendered values or objects ask for persistent volumes. */
function persistentVolumes(output: ComponentOutput): boolean {
  const walk = (v: unknown): boolean => {
    if (Array.isArray(v)) return v.some(walk);
    if (v === null || typeof v !== 'object') return false;
    const o = v as JsonObject;
    if (o.kind === 'PersistentVolumeClaim' || 'volumeClaimTemplate' in o) return true;
    const p = o.persistence as JsonObject | undefined;
    if (p && typeof p === 'object' && p.enabled === true) return true;
    return Object.values(o).some(walk);
  };
  return walk(output.values) || walk(output.objects) || walk(output.config);
}

interface VeleroSchedule {
  name: string;
  namespaces: string[];
  volumes: boolean;
  schedule: string;
  ttl: string;
}

function veleroSchedules(plan: ClusterPlan): VeleroSchedule[] {
  const velero = plan.components.find((p) => p.component.name === 'velero');
  return (velero?.output.config ?? [])
    .filter((o) => o.kind === 'Schedule')
    .map((o) => {
      const spec = o.spec as { schedule: string; template: { includedNamespaces: string[]; defaultVolumesToFsBackup: boolean; ttl: string } };
      return {
        name: o.metadata.name,
        namespaces: spec.template.includedNamespaces,
        volumes: spec.template.defaultVolumesToFsBackup,
        schedule: spec.schedule,
        ttl: spec.template.ttl,
      };
    });
}

/** Every string value under `key` anywhere in the rendered values (the pods' annotations). */
function annotationValues(values: unknown, key: string): string[] {
  if (Array.isArray(values)) return values.flatMap((v) => annotationValues(v, key));
  if (values === null || typeof values !== 'object') return [];
  return Object.entries(values).flatMap(([k, v]) => (k === key && typeof v === 'string' ? [v] : annotationValues(v, key)));
}

const environments = listEnvironments(repoRoot);

describe.each(environments)('backups of %s', (name) => {
  const env = loadEnvironment(repoRoot, name);
  const plans = env.clusters.map((c) => planCluster(env, c, CATALOG));

  it('finds stateful components to check (the detection is not blind)', () => {
    const stateful = plans.flatMap((p) => p.components.filter((c) => persistentVolumes(c.output)).map((c) => `${p.cluster.name}/${c.component.name}`));
    expect(stateful).toEqual(expect.arrayContaining(['management/opensearch', 'management/thanos', 'management/harbor']));
  });

  for (const plan of plans) {
    const schedules = veleroSchedules(plan);
    const onVelero = plan.components.some((c) => c.component.name === 'velero') && schedules.length > 0;

    it(`${plan.cluster.name}: every stateful component declares its state, each piece with one path, a schedule and a retention`, () => {
      const problems: string[] = [];
      for (const p of plan.components.filter((c) => persistentVolumes(c.output))) {
        const c = p.component.name;
        if (!p.component.backups) {
          problems.push(`${c}: renders persistent volumes but declares no backups`);
          continue;
        }
        const real = p.backups.filter((b) => b.mechanism !== 'none');
        // A flavor that may run without backups (dev) may leave state without a path; prod may not.
        if (!real.length && env.flavor !== 'dev') problems.push(`${c}: no backup path for its state`);
        const states = p.backups.map((b) => b.state);
        if (new Set(states).size !== states.length) problems.push(`${c}: a piece of state has more than one path (${states.join('; ')})`);
        for (const b of p.backups) {
          if (!existsSync(join(repoRoot, b.runbook))) problems.push(`${c}: runbook ${b.runbook} does not exist`);
          if (b.mechanism === 'none') {
            if (!b.reason) problems.push(`${c}: "${b.state}" is not backed up and says not why`);
            continue;
          }
          if (b.mechanism === 'velero') {
            const covering = schedules.filter((s) => s.volumes && s.namespaces.includes(p.component.namespace));
            if (onVelero && covering.length !== 1)
              problems.push(`${c}: "${b.state}" is Velero's, but ${covering.length} volume-copying Schedules include ${p.component.namespace}`);
            else if (covering.length === 1 && !(covering[0].schedule && covering[0].ttl))
              problems.push(`${c}: Velero Schedule ${covering[0].name} lacks a schedule or TTL`);
            else if (!onVelero && env.flavor !== 'dev') problems.push(`${c}: "${b.state}" is Velero's, but Velero does not run on ${plan.cluster.name}`);
          } else if (!b.schedule || !b.retention) problems.push(`${c}: "${b.state}" (${b.mechanism}) lacks a schedule or a retention`);
        }
      }
      expect(problems).toEqual([]);
    });

    it.skipIf(!onVelero || plan.cluster.role !== 'management')(`${plan.cluster.name}: Velero copies no volume whose state has a copy of its own`, () => {
      const problems: string[] = [];
      for (const p of plan.components) {
        const own = p.backups.filter((b) => b.mechanism !== 'velero');
        if (!own.length) continue;
        const ns = p.component.namespace;
        const copying = schedules.filter((s) => s.volumes && s.namespaces.includes(ns));
        const mixed = p.backups.some((b) => b.mechanism === 'velero');
        if (!mixed && copying.length) problems.push(`${p.component.name}: ${copying.map((s) => s.name).join(', ')} copy the volumes of ${ns}`);
        if (!mixed && !schedules.some((s) => !s.volumes && s.namespaces.includes(ns)))
          problems.push(`${p.component.name}: no objects-only Schedule includes ${ns}`);
        // In a namespace Velero copies, each volume with another copy is excluded on its pods.
        if (mixed) {
          const excluded = annotationValues(p.output.values, VELERO_EXCLUDE_VOLUMES).flatMap((v) => v.split(','));
          for (const b of own.filter((b) => b.mechanism !== 'none')) {
            if (!b.excludedVolume || !excluded.includes(b.excludedVolume))
              problems.push(`${p.component.name}: "${b.state}" has its own copy, but Velero would copy its volume too`);
          }
        }
      }
      expect(problems).toEqual([]);
    });
  }
});
