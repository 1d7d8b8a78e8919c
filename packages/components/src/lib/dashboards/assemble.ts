import {
  DashboardBuilder,
  DashboardCursorSync,
  DatasourceVariableBuilder,
  QueryVariableBuilder,
  RowBuilder,
  VariableHide,
  VariableRefresh,
  VariableSort,
} from '@grafana/grafana-foundation-sdk/dashboard';
import type { JsonObject } from '@ck8s/manifest';
import type { DashboardDefinition, DashboardScope, MetricsDatasources } from './model';
import { DATASOURCE_VARIABLE, METRICS_DATASOURCE } from './panels';

/** Grafana's limit on a dashboard uid. */
export const MAX_UID_LENGTH = 40;
const NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

/**
 * The uid of a dashboard, derived from its stable name (never random): links and bookmarks survive a
 * re-render, and a rename is a visible change of uid.
 */
export function dashboardUid(name: string): string {
  const uid = `ck8s-${name}`;
  if (!NAME.test(name)) throw new Error(`dashboard name "${name}": use lower-case letters, digits and inner dashes`);
  if (uid.length > MAX_UID_LENGTH) throw new Error(`dashboard uid "${uid}" is longer than Grafana's ${MAX_UID_LENGTH} characters`);
  return uid;
}

const regexLiteral = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** The datasource picker: exactly the Grafana's provisioned metrics datasources, hidden when there is one. */
function datasourceVariable(datasources: MetricsDatasources) {
  const [first] = datasources;
  const v = new DatasourceVariableBuilder(DATASOURCE_VARIABLE)
    .label('Datasource')
    .type('prometheus')
    .regex(`/^(${datasources.map((d) => regexLiteral(d.name)).join('|')})$/`)
    .current({ selected: true, text: first.name, value: first.uid });
  return datasources.length === 1 ? v.hide(VariableHide.HideVariable) : v;
}

/** A variable over a label's values, refreshed with the time range. */
function labelVariable(name: string, label: string, selector: string, multi: boolean) {
  const v = new QueryVariableBuilder(name)
    .label(label)
    .datasource(METRICS_DATASOURCE)
    .query(`label_values(${selector}, ${name})`)
    .refresh(VariableRefresh.OnTimeRangeChanged)
    .sort(VariableSort.AlphabeticalAsc);
  // "All" is the regex `.*`, which also matches a series without the label (the local Prometheus).
  return multi ? v.multi(true).includeAll(true).allValue('.*').current({ selected: true, text: 'All', value: '$__all' }) : v;
}

/**
 * The dashboard's JSON model: the definition's rows for this scope, a `datasource` variable over the
 * given datasources, panel ids in order. Pure and deterministic: the same input gives the same bytes.
 */
export function buildDashboard(def: DashboardDefinition, scope: DashboardScope, datasources: MetricsDatasources): JsonObject {
  const b = new DashboardBuilder(def.title)
    .uid(dashboardUid(def.name))
    .description(def.description)
    .tags([...def.tags])
    .timezone('utc')
    .readonly()
    .tooltip(DashboardCursorSync.Crosshair)
    .time({ from: 'now-6h', to: 'now' })
    .refresh('1m')
    .withVariable(datasourceVariable(datasources));
  if (def.variables.cluster) b.withVariable(labelVariable('cluster', 'Cluster', 'up', true));
  if (def.variables.namespace) b.withVariable(labelVariable('namespace', 'Namespace', `kube_namespace_status_phase{cluster=~"$cluster"}`, false));
  const rows = def.rows(scope);
  for (const row of rows) {
    if (row.panels.length === 0) continue;
    b.withRow(new RowBuilder(row.title));
    for (const p of row.panels) b.withPanel(p);
  }
  // A JSON copy: the builders share objects (the datasource reference) between panels and calls.
  const model = JSON.parse(JSON.stringify(b.build())) as JsonObject & { panels?: JsonObject[] };
  // Grafana wants unique panel ids (links to a panel, "view panel"); numbered in order, so they are stable.
  model.panels = (model.panels ?? []).map((p, i) => ({ ...p, id: i + 1 }));
  return { ...model, annotations: { list: [] } };
}
