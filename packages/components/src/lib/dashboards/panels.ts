import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import * as common from '@grafana/grafana-foundation-sdk/common';
import { ThresholdsConfigBuilder, ThresholdsMode, type Panel, type Threshold, type ThresholdsConfig } from '@grafana/grafana-foundation-sdk/dashboard';
import { DataqueryBuilder, PromQueryFormat } from '@grafana/grafana-foundation-sdk/prometheus';
import { PanelBuilder as StatPanel } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as TablePanel } from '@grafana/grafana-foundation-sdk/table';
import { PanelBuilder as TextPanel, TextMode } from '@grafana/grafana-foundation-sdk/text';
import { PanelBuilder as TimeseriesPanel } from '@grafana/grafana-foundation-sdk/timeseries';

/** Any panel the foundation SDK builds. */
export type PanelBuilder = cog.Builder<Panel>;

/** The template variable every dashboard picks its metrics datasource with. */
export const DATASOURCE_VARIABLE = 'datasource';
/** Panels and queries refer to the datasource through the variable, never by a fixed uid. */
export const METRICS_DATASOURCE: common.DataSourceRef = { type: 'prometheus', uid: `\${${DATASOURCE_VARIABLE}}` };

/** One PromQL query; `legend` is Grafana's legend format (`{{cluster}}`). */
export interface Query {
  expr: string;
  legend?: string;
}

export interface PanelOptions {
  description?: string;
  /** Grafana unit id: `s`, `bytes`, `percentunit`, `reqps`, `Bps`, `short`, ... */
  unit?: string;
  /** Grid columns (of 24) and rows. */
  width?: number;
  height?: number;
  min?: number;
  max?: number;
  /** Colour steps: the base colour, then colours from each value up. */
  thresholds?: { base: string; steps?: Threshold[] };
}

const WIDTH = { timeseries: 12, stat: 6, table: 12, text: 24 } as const;
const HEIGHT = { timeseries: 8, stat: 4, table: 8, text: 8 } as const;

/** Letters A, B, ... as Grafana names the queries of a panel. */
const refId = (i: number) => String.fromCharCode(65 + i);

function queries(list: readonly Query[], instant: boolean): DataqueryBuilder[] {
  return list.map((q, i) => {
    const b = new DataqueryBuilder().refId(refId(i)).datasource(METRICS_DATASOURCE).expr(q.expr);
    if (q.legend) b.legendFormat(q.legend);
    return instant ? b.instant().format(PromQueryFormat.Table) : b.range();
  });
}

/** Settings every kind of panel has in common (the SDK's builders share these methods, not a type). */
interface Common<T> {
  description(d: string): T;
  unit(u: string): T;
  span(w: number): T;
  height(h: number): T;
  min(v: number): T;
  max(v: number): T;
  thresholds(t: cog.Builder<ThresholdsConfig>): T;
}

function apply<T extends Common<T>>(b: T, o: PanelOptions, kind: keyof typeof WIDTH): T {
  b.span(o.width ?? WIDTH[kind]).height(o.height ?? HEIGHT[kind]);
  if (o.description) b.description(o.description);
  if (o.unit) b.unit(o.unit);
  if (o.min !== undefined) b.min(o.min);
  if (o.max !== undefined) b.max(o.max);
  if (o.thresholds) {
    const steps = [{ value: null, color: o.thresholds.base }, ...(o.thresholds.steps ?? [])];
    b.thresholds(new ThresholdsConfigBuilder().mode(ThresholdsMode.Absolute).steps(steps));
  }
  return b;
}

/** A graph over time, legend as a table with the last and maximum values. */
export function timeseries(title: string, list: readonly Query[], o: PanelOptions = {}): PanelBuilder {
  const b = new TimeseriesPanel().title(title).datasource(METRICS_DATASOURCE).fillOpacity(10).lineWidth(1);
  for (const q of queries(list, false)) b.withTarget(q);
  b.legend(
    new common.VizLegendOptionsBuilder()
      .showLegend(true)
      .displayMode(common.LegendDisplayMode.Table)
      .placement(common.LegendPlacement.Bottom)
      .calcs(['lastNotNull', 'max']),
  );
  b.tooltip(new common.VizTooltipOptionsBuilder().mode(common.TooltipDisplayMode.Multi).sort(common.SortOrder.Descending));
  return apply(b, o, 'timeseries');
}

/** Current values, one per series (the last one), coloured by thresholds. */
export function stat(title: string, list: readonly Query[], o: PanelOptions = {}): PanelBuilder {
  const b = new StatPanel().title(title).datasource(METRICS_DATASOURCE).graphMode(common.BigValueGraphMode.None).colorMode(common.BigValueColorMode.Background);
  for (const q of queries(list, false)) b.withTarget(q);
  b.reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false));
  return apply(b, o, 'stat');
}

/** The current result of instant queries as a table, one row per series. */
export function table(title: string, list: readonly Query[], o: PanelOptions = {}): PanelBuilder {
  const b = new TablePanel().title(title).datasource(METRICS_DATASOURCE);
  for (const q of queries(list, true)) b.withTarget(q);
  return apply(b, o, 'table');
}

/** Markdown text (no query). */
export function text(title: string, markdown: string, o: Pick<PanelOptions, 'width' | 'height'> = {}): PanelBuilder {
  return new TextPanel()
    .title(title)
    .mode(TextMode.Markdown)
    .content(markdown)
    .span(o.width ?? WIDTH.text)
    .height(o.height ?? HEIGHT.text);
}

/** Threshold colours for "older is worse" ages in seconds: green, then orange and red from the given ages. */
export function ageThresholds(warnSeconds: number, criticalSeconds: number): PanelOptions['thresholds'] {
  return {
    base: 'green',
    steps: [
      { value: warnSeconds, color: 'orange' },
      { value: criticalSeconds, color: 'red' },
    ],
  };
}

/** Threshold colours for the share of a budget in use (0–1): orange from 80 %, red from 95 %. */
export const SHARE_NEAR_FULL: PanelOptions['thresholds'] = {
  base: 'green',
  steps: [
    { value: 0.8, color: 'orange' },
    { value: 0.95, color: 'red' },
  ],
};

/** Threshold colours for counts of bad things: green at zero, red from one. */
export const NONZERO_IS_BAD: PanelOptions['thresholds'] = { base: 'green', steps: [{ value: 1, color: 'red' }] };

/** The label matcher every ops query carries: the clusters picked in the `cluster` variable. */
export const CLUSTER = 'cluster=~"$cluster"';
/** The rate window Grafana adapts to the scrape interval and the zoom. */
export const RATE = '$__rate_interval';
