import { describe, expect, it } from 'vitest';
import { CATALOG, type PolicyExemption } from '@ck8s/components';
import { environmentReadme } from '@ck8s/docs';
import { repoRoot } from '@ck8s/testing';
import { docsModel } from './docs-model';
import { planCluster } from './plan';
import { loadEnvironment } from './workspace';

describe('README policy exemptions', () => {
  const env = loadEnvironment(repoRoot, 'example-prod');
  const plans = env.clusters.map((c) => planCluster(env, c, CATALOG));
  const management = plans.find((p) => p.cluster.role === 'management');
  // A CronJob the management cluster renders, whatever the shipped example enables.
  const cronJob = management?.components
    .flatMap((c) => (c.output.objects ?? []).map((o) => ({ o, ns: o.metadata.namespace ?? c.component.namespace })))
    .find(({ o }) => o.kind === 'CronJob');

  it.skipIf(!cronJob)('lists an exemption on the clusters that render both its object and its constraint', () => {
    const object = { kind: 'CronJob', namespace: cronJob?.ns, name: cronJob?.o.metadata.name as string };
    const list: PolicyExemption[] = [
      { object, constraint: 'disallow-latest-tag', reason: 'upstream publishes no version tag' },
      // Not rendered on the management cluster: never listed.
      { object, constraint: 'require-network-policy', reason: 'n/a' },
      { object: { ...object, name: 'not-rendered' }, constraint: 'disallow-latest-tag', reason: 'n/a' },
    ];
    const model = docsModel(env, plans, list);
    expect(model.policies?.exemptions).toEqual([
      {
        cluster: management?.cluster.name,
        object: `CronJob ${object.namespace}/${object.name}`,
        constraint: 'disallow-latest-tag',
        reason: 'upstream publishes no version tag',
      },
    ]);
    expect(environmentReadme(model)).toContain(
      `| \`${management?.cluster.name}\` | \`CronJob ${object.namespace}/${object.name}\` | \`disallow-latest-tag\` | upstream publishes no version tag |`,
    );
  });

  it('says there are none when the list is empty, and leaves the section out without constraints', () => {
    const none = docsModel(env, plans, []);
    expect(none.policies).toEqual({ exemptions: [] });
    expect(environmentReadme(none)).toMatch(/## Policy exemptions\n[\s\S]*None: every object rendered for this environment passes/);
    const unenforced = plans.map((p) => ({ ...p, components: p.components.filter((c) => c.component.name !== 'gatekeeper-constraints') }));
    const off = docsModel(env, unenforced, []);
    expect(off.policies).toBeNull();
    expect(environmentReadme(off)).not.toContain('## Policy exemptions');
  });
});
