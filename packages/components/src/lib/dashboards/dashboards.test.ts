import { describe, expect, it } from 'vitest';
import type { K8sObject } from '@ck8s/manifest';
import { realTool } from '@ck8s/testing';
import { CATALOG } from '../../catalog';
import { COMPONENT_DASHBOARDS, WITHOUT_DASHBOARD } from '../../catalog/dashboards';
import { OPS_OVERVIEW } from '../../kube-prometheus-stack/dashboards';
import { kubePrometheusStack } from '../../kube-prometheus-stack';
import { renderComponent, testEnvironment } from '../../testing';
import { USER_DASHBOARDS } from '../../user-grafana/dashboards';
import { userGrafana } from '../../user-grafana';
import { checkRuleFiles } from '../alerts/promtool';
import { buildDashboard, dashboardUid, MAX_UID_LENGTH } from './assemble';
import { componentDashboardDefinition } from './component-dashboard';
import { DASHBOARD_FOLDER_ANNOTATION, DASHBOARD_LABEL, DASHBOARD_LABEL_VALUE } from './configmap';
import { dashboardExpressions, dashboardProblems, expressionRuleFile, expressionVariables, sampleExpression, type ProvisionedDatasource } from './inspect';
import type { DashboardComponent, DashboardDefinition, DashboardScope, MetricsDatasources } from './model';
import { stat, timeseries } from './panels';

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const DATASOURCES: MetricsDatasources = [
  { uid: 'thanos', name: 'Thanos' },
  { uid: 'prometheus', name: 'Prometheus' },
];
const PROVISIONED: ProvisionedDatasource[] = DATASOURCES.map((d) => ({ ...d, type: 'prometheus' }));

/** An environment whose clusters run both ingress controllers, so every dashboard row is built. */
const env = testEnvironment({ clusterOverrides: { workload: { components: { ingress: { controller: 'ingress-nginx', className: 'nginx' } } } } });
/** Every catalog component placed on every cluster of its roles: each optional row of each dashboard appears. */
const everything: DashboardComponent[] = CATALOG.map((c) => ({
  name: c.name,
  namespace: c.namespace,
  clusters: env.clusters.filter((cl) => c.roles.includes(cl.role)).map((cl) => cl.name),
  charts: typeof c.chart === 'string' ? [c.chart] : [],
}));
const fullScope: DashboardScope = { env, components: everything, isEnabled: () => true };

/** Every dashboard definition the platform has, as the ops and the user Grafana build them. */
function allDefinitions(): DashboardDefinition[] {
  const components = COMPONENT_DASHBOARDS.map((cd) => componentDashboardDefinition(cd, everything.find((c) => c.name === cd.component) as DashboardComponent));
  return [OPS_OVERVIEW, ...components, ...USER_DASHBOARDS];
}
const allModels = () => allDefinitions().map((d) => ({ name: d.name, model: buildDashboard(d, fullScope, DATASOURCES) as Any }));

const configMaps = (objects: K8sObject[] | undefined) =>
  (objects ?? []).filter((o) => o.kind === 'ConfigMap' && (o.metadata as Any).labels?.[DASHBOARD_LABEL] === DASHBOARD_LABEL_VALUE);
const modelOf = (cm: K8sObject) => JSON.parse(Object.values((cm as Any).data)[0] as string) as Any;

describe('dashboard uids', () => {
  it("derive from the name, within Grafana's 40 characters", () => {
    expect(dashboardUid('velero')).toBe('ck8s-velero');
    expect(() => dashboardUid('Velero')).toThrow(/lower-case/);
    expect(() => dashboardUid('-velero')).toThrow(/lower-case/);
    expect(() => dashboardUid('a'.repeat(MAX_UID_LENGTH))).toThrow(/longer than/);
  });

  it('are unique across every dashboard of both Grafanas', () => {
    const uids = allModels().map((m) => m.model.uid);
    expect(new Set(uids).size).toBe(uids.length);
  });
});

describe('every dashboard definition', () => {
  const models = allModels();

  it('builds a valid JSON model: ids, grid, datasources, variables', () => {
    expect(models.length).toBe(1 + COMPONENT_DASHBOARDS.length + USER_DASHBOARDS.length);
    for (const { name, model } of models) expect(dashboardProblems(JSON.parse(JSON.stringify(model)), PROVISIONED), name).toEqual([]);
  });

  it('is deterministic: the same input gives the same bytes (no random ids)', () => {
    expect(JSON.stringify(allModels())).toBe(JSON.stringify(models));
  });

  it('queries through the datasource variable and filters by the selected clusters', () => {
    for (const { name, model } of models) {
      const exprs = dashboardExpressions(model).filter((e) => e.where.startsWith('panel'));
      expect(exprs.length, name).toBeGreaterThan(name === 'welcome' ? 1 : 3);
      for (const e of exprs) expect(e.expr, `${name} ${e.where}`).toContain('cluster=~"$cluster"');
    }
  });
});

describe('the component registry', () => {
  it('has one dashboard for every catalog component with workloads, and names those without', () => {
    const withDashboard = COMPONENT_DASHBOARDS.map((d) => d.component);
    expect(new Set(withDashboard).size).toBe(withDashboard.length);
    for (const c of CATALOG) {
      expect(withDashboard.includes(c.name) !== c.name in WITHOUT_DASHBOARD, c.name).toBe(true);
    }
    for (const name of [...withDashboard, ...Object.keys(WITHOUT_DASHBOARD)])
      expect(
        CATALOG.some((c) => c.name === name),
        name,
      ).toBe(true);
  });

  it('builds ingress rows for the controllers the component runs', () => {
    const ingress = COMPONENT_DASHBOARDS.find((d) => d.component === 'ingress')!;
    const exprsOn = (clusters: string[]) => {
      const c = { ...everything.find((x) => x.name === 'ingress')!, clusters };
      return dashboardExpressions(buildDashboard(componentDashboardDefinition(ingress, c), fullScope, DATASOURCES) as Any)
        .map((e) => e.expr)
        .join('\n');
    };
    expect(exprsOn(['management'])).toContain('traefik_entrypoint_requests_total');
    expect(exprsOn(['management'])).not.toContain('nginx_ingress_controller');
    expect(exprsOn(['workload'])).toContain('nginx_ingress_controller_requests');
    expect(exprsOn(['workload'])).not.toContain('traefik_');
  });
});

describe('dashboardProblems', () => {
  const valid = () =>
    buildDashboard(
      {
        name: 'sample',
        title: 'Sample',
        description: 'd',
        tags: [],
        variables: { cluster: true },
        rows: () => [{ title: 'Row', panels: [stat('Up', [{ expr: 'up{cluster=~"$cluster"}' }]), timeseries('T', [{ expr: 'up', legend: '{{job}}' }])] }],
      },
      fullScope,
      DATASOURCES,
    ) as Any;
  const problemsAfter = (edit: (m: Any) => void, provisioned = PROVISIONED) => {
    const m = valid();
    edit(m);
    return dashboardProblems(m, provisioned);
  };

  it('accepts the sample', () => {
    expect(dashboardProblems(valid(), PROVISIONED)).toEqual([]);
  });

  it('rejects a datasource uid the Grafana does not provision', () => {
    expect(problemsAfter((m) => (m.panels[1].datasource = { type: 'prometheus', uid: 'loki' }))).toEqual([
      expect.stringMatching(/panel "Up": datasource uid "loki" is not provisioned/),
    ]);
    expect(problemsAfter((m) => (m.panels[2].targets[0].datasource = { type: 'loki', uid: 'thanos' }))).toEqual([
      expect.stringMatching(/query A: datasource "thanos" is of type prometheus, not loki/),
    ]);
  });

  it('rejects a datasource variable that offers nothing provisioned or defaults elsewhere', () => {
    expect(problemsAfter(() => undefined, [{ uid: 'x', name: 'Other', type: 'prometheus' }]).join('\n')).toMatch(/offers no provisioned prometheus datasource/);
    expect(problemsAfter((m) => (m.templating.list[0].current.value = 'gone')).join('\n')).toMatch(/defaults to "gone"/);
    expect(problemsAfter((m) => (m.templating.list[0].query = 'loki')).join('\n')).toMatch(/offers loki datasources/);
    expect(problemsAfter((m) => (m.panels[1].datasource.uid = '${nothing}')).join('\n')).toMatch(/names no datasource variable/);
  });

  it('rejects duplicate panel ids, overlapping or off-grid panels and duplicate query ids', () => {
    expect(problemsAfter((m) => (m.panels[2].id = m.panels[1].id)).join('\n')).toMatch(/panel ids must be unique/);
    expect(problemsAfter((m) => (m.panels[2].gridPos = { ...m.panels[1].gridPos })).join('\n')).toMatch(/panel "T" overlaps panel "Up"/);
    expect(problemsAfter((m) => (m.panels[2].gridPos.w = 30)).join('\n')).toMatch(/not on the 24-column grid/);
    expect(problemsAfter((m) => m.panels[2].targets.push({ ...m.panels[2].targets[0] })).join('\n')).toMatch(/refIds must be unique/);
  });

  it('rejects a variable nobody defines, and models that are no dashboard', () => {
    expect(problemsAfter((m) => (m.panels[1].targets[0].expr = 'up{namespace="$namespace"}'))).toEqual([
      expect.stringMatching(/uses \$namespace, which no variable defines/),
    ]);
    expect(dashboardProblems([], PROVISIONED)).toEqual(['the dashboard is not a JSON object']);
    expect(problemsAfter((m) => ((m.uid = 'x'.repeat(41)), (m.panels = [])))).toEqual([expect.stringMatching(/^uid/), 'no panels']);
  });
});

describe('template variables in expressions', () => {
  it('are listed without built-ins and replaced by parseable samples', () => {
    const expr = 'sum(rate(x{cluster=~"$cluster", ns="${namespace}", p="[[pod]]", f="${cluster:regex}"}[$__rate_interval])) / ${__range}';
    expect(expressionVariables(expr)).toEqual(['cluster', 'namespace', 'pod']);
    expect(sampleExpression(expr)).toBe('sum(rate(x{cluster=~"sample", ns="sample", p="sample", f="sample"}[5m])) / 5m');
  });
});

const promtool = realTool('promtool', 'dashboard PromQL parse check');

describe.skipIf(!promtool)('PromQL of every dashboard (promtool check rules)', () => {
  it('parses every panel query and variable selector', () => {
    const files = allModels().map(({ name, model }) => ({ name, content: expressionRuleFile(name, dashboardExpressions(model)) }));
    const result = checkRuleFiles(promtool as string, files);
    expect(result.output).not.toMatch(/FAILED|error/i);
    expect(result.ok).toBe(true);
  });

  it('fails on a broken expression and names the dashboard', () => {
    const broken = expressionRuleFile('broken-dashboard', [{ where: 'panel "x"', expr: 'sum by (cluster (up)' }]);
    const result = checkRuleFiles(promtool as string, [{ name: 'broken-dashboard', content: broken }]);
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/broken-dashboard/);
  });
});

describe('the Grafanas render their dashboards as ConfigMaps', () => {
  it('ops Grafana: the overview and one per component enabled in the environment, with the sidecar on its namespace', () => {
    const out = renderComponent(kubePrometheusStack, env, 'management');
    const maps = configMaps(out.objects);
    const names = maps.map((m) => (m.metadata as Any).name);
    expect(names[0]).toBe('grafana-dashboard-platform-overview');
    const enabledAnywhere = CATALOG.filter((c) =>
      env.clusters.some(
        (cl) => c.roles.includes(cl.role) && (cl.settings.components as Any)[c.name.replace(/-([a-z0-9])/g, (_, x) => x.toUpperCase())]?.enabled,
      ),
    );
    const expected = COMPONENT_DASHBOARDS.filter((d) => enabledAnywhere.some((c) => c.name === d.component)).map(
      (d) => `grafana-dashboard-${d.dashboard.name}`,
    );
    expect(names.slice(1)).toEqual(expected);
    const sidecar = (out.values as Any).grafana.sidecar.dashboards;
    for (const m of maps) {
      expect(m.metadata.namespace).toBe(kubePrometheusStack.namespace);
      expect((m.metadata as Any).annotations[sidecar.folderAnnotation]).toBeTruthy();
      expect((m.metadata as Any).labels[sidecar.label]).toBe(sidecar.labelValue);
    }
    expect(sidecar.searchNamespace).toEqual([kubePrometheusStack.namespace]);
  });

  it('ops Grafana: the datasource variable offers what the values provision, per tenant when Thanos enforces tenancy', () => {
    for (const enforceTenancy of [false, true]) {
      const e = testEnvironment({ config: { components: { thanos: { query: { enforceTenancy } } } } });
      const out = renderComponent(kubePrometheusStack, e, 'management');
      const grafana = (out.values as Any).grafana;
      const provisioned: ProvisionedDatasource[] = [...grafana.additionalDataSources, { ...grafana.sidecar.datasources, type: 'prometheus' }];
      const maps = configMaps(out.objects);
      expect(maps.length).toBeGreaterThan(10);
      for (const m of maps) expect(dashboardProblems(modelOf(m), provisioned), `${enforceTenancy} ${m.metadata.name}`).toEqual([]);
      const variable = modelOf(maps[0]).templating.list[0];
      expect(variable.current.value).toBe(enforceTenancy ? 'thanos-workload' : 'thanos');
    }
  });

  it('user Grafana: welcome and namespace dashboards over the tenant datasources, sidecar limited to its namespace', () => {
    const out = renderComponent(userGrafana, env, 'management');
    const maps = configMaps(out.objects);
    expect(maps.map((m) => (m.metadata as Any).name)).toEqual(USER_DASHBOARDS.map((d) => `grafana-dashboard-${d.name}`));
    const values = out.values as Any;
    const provisioned: ProvisionedDatasource[] = values.datasources['datasources.yaml'].datasources;
    for (const m of maps) expect(dashboardProblems(modelOf(m), provisioned), m.metadata.name).toEqual([]);
    expect(values.sidecar.dashboards).toMatchObject({
      enabled: true,
      label: DASHBOARD_LABEL,
      labelValue: DASHBOARD_LABEL_VALUE,
      folderAnnotation: DASHBOARD_FOLDER_ANNOTATION,
    });
    expect(values.sidecar.dashboards.searchNamespace).toBeUndefined();
    expect(values.rbac).toEqual({ namespaced: true });
    expect((out.objects ?? []).some((o) => o.kind === 'NetworkPolicy' && (o.metadata as Any).name === 'allow-apiserver')).toBe(true);
    const welcome = Object.values((maps[0] as Any).data)[0] as string;
    expect(welcome).toContain('https://grafana.test.example.com');
    expect(welcome).toContain('kubernetes-workload*');
  });

  it('user Grafana without Thanos: no datasource, so no dashboards and no sidecar', () => {
    const e = testEnvironment({ config: { components: { thanos: { enabled: false } } } });
    const out = renderComponent(userGrafana, e, 'management');
    expect(configMaps(out.objects)).toEqual([]);
    expect((out.values as Any).sidecar).toBeUndefined();
  });
});
