import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { checkRuleFiles, dashboardExpressions, dashboardProblems, expressionRuleFile, WITHOUT_DASHBOARD, type ProvisionedDatasource } from '@ck8s/components';
import { realTool, repoRoot } from '@ck8s/testing';
import { renderFromWorkspace } from './workspace';

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The two Grafanas of a management cluster: where their values and objects are, and what they provision. */
const GRAFANAS = [
  {
    name: 'ops',
    component: 'kube-prometheus-stack',
    grafanaValues: (v: Any) => v.grafana as Any,
    // The chart's own Prometheus datasource (named in the values) and the additional ones.
    provisioned: (g: Any): ProvisionedDatasource[] => [...(g.additionalDataSources ?? []), { ...g.sidecar.datasources, type: 'prometheus' }],
  },
  {
    name: 'user',
    component: 'user-grafana',
    grafanaValues: (v: Any) => v,
    provisioned: (g: Any): ProvisionedDatasource[] => g.datasources['datasources.yaml'].datasources,
  },
] as const;

interface RenderedDashboard {
  configMap: Any;
  model: Any;
}

/** Everything one Grafana gets from the rendered output of an environment's management cluster. */
function grafanaOf(files: Map<string, string>, env: string, g: (typeof GRAFANAS)[number]) {
  const dir = `clusters/${env}/management/components/${g.component}`;
  const values = g.grafanaValues(YAML.parse(files.get(`${dir}/values.yaml`) as string));
  const namespace = YAML.parse(files.get(`${dir}/kustomization.yaml`) as string).namespace as string;
  const sidecar = values.sidecar.dashboards as Any;
  const objects = YAML.parseAllDocuments(files.get(`${dir}/objects.yaml`) as string).map((d) => d.toJSON() as Any);
  const dashboards: RenderedDashboard[] = objects
    .filter((o) => o.kind === 'ConfigMap' && o.metadata.labels?.[sidecar.label] === sidecar.labelValue)
    .map((configMap) => {
      const [text] = Object.values(configMap.data as Record<string, string>);
      return { configMap, model: JSON.parse(text) };
    });
  return { values, namespace, sidecar, dashboards, provisioned: g.provisioned(values) };
}

/** Component folders rendered on any cluster of the environment (a folder per enabled component). */
function renderedComponents(files: Map<string, string>, env: string): Set<string> {
  const names = [...files.keys()].flatMap((p) => /^clusters\/[^/]+\/[^/]+\/components\/([^/]+)\//.exec(p)?.[1] ?? []);
  expect(names.length, env).toBeGreaterThan(0);
  return new Set(names);
}

const promtool = realTool('promtool', 'PromQL of the rendered dashboards');

describe.each(['example-prod', 'example-dev'])("%s: the Grafanas' dashboards as rendered", (env) => {
  const files = renderFromWorkspace(repoRoot, env);
  const ops = grafanaOf(files, env, GRAFANAS[0]);
  const user = grafanaOf(files, env, GRAFANAS[1]);

  it('ops Grafana: the overview plus one dashboard per component rendered on any cluster (counted)', () => {
    const components = renderedComponents(files, env);
    const expected = [...components].filter((c) => !(c in WITHOUT_DASHBOARD)).sort();
    // Every component deploying a chart has workloads to show: none may hide in WITHOUT_DASHBOARD.
    for (const c of components) if (files.has(`clusters/${env}/management/components/${c}/release-patch.yaml`)) expect(expected, c).toContain(c);
    const perComponent = ops.dashboards.filter((d) => d.model.tags.includes('component'));
    expect(perComponent.map((d) => d.model.tags[2]).sort()).toEqual(expected);
    expect(ops.dashboards.filter((d) => d.model.tags.includes('overview')).map((d) => d.model.title)).toEqual(['Platform overview']);
    expect(ops.dashboards.length).toBe(expected.length + 1);
    if (env === 'example-prod') expect(ops.dashboards.length).toBeGreaterThanOrEqual(20);
    console.log(`${env}: ops Grafana ${ops.dashboards.length} dashboards, user Grafana ${user.dashboards.length}`);
  });

  it('user Grafana: welcome and per-namespace dashboards', () => {
    expect(user.dashboards.map((d) => d.model.title)).toEqual(['Welcome', 'Namespace resources', 'Namespace workloads']);
    const namespaceVariable = user.dashboards.slice(1).map((d) => d.model.templating.list.find((v: Any) => v.name === 'namespace'));
    for (const v of namespaceVariable) expect(v?.query).toMatch(/^label_values\(/);
  });

  it.each(GRAFANAS.map((g) => g.name))(
    '%s Grafana: ConfigMaps in its namespace, found by its sidecar, each a valid dashboard over provisioned datasources',
    (name) => {
      const g = name === 'ops' ? ops : user;
      expect(g.sidecar.enabled).toBe(true);
      expect(g.dashboards.length).toBeGreaterThan(2);
      for (const { configMap, model } of g.dashboards) {
        const where = `${env} ${name} ${configMap.metadata.name}`;
        expect(configMap.metadata.namespace, where).toBe(g.namespace);
        expect(g.sidecar.searchNamespace ?? [g.namespace], where).toContain(g.namespace);
        expect(configMap.metadata.annotations?.[g.sidecar.folderAnnotation], where).toBeTruthy();
        expect(Buffer.byteLength(JSON.stringify(configMap.data)), where).toBeLessThan(1024 * 1024);
        expect(dashboardProblems(model, g.provisioned), where).toEqual([]);
      }
      const uids = g.dashboards.map((d) => d.model.uid);
      expect(new Set(uids).size).toBe(uids.length);
    },
  );

  it.skipIf(!promtool)('every PromQL expression of every dashboard parses (promtool check rules)', () => {
    const all = [...ops.dashboards, ...user.dashboards];
    const rules = all.map(({ model }) => ({ name: `${env}-${model.uid}`, content: expressionRuleFile(model.uid, dashboardExpressions(model)) }));
    expect(rules.reduce((n, r) => n + (r.content.groups[0].rules as unknown[]).length, 0)).toBeGreaterThan(100);
    const result = checkRuleFiles(promtool as string, rules);
    expect(result.output).not.toMatch(/FAILED/);
    expect(result.ok).toBe(true);
  });
});
