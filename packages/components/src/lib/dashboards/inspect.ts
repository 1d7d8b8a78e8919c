/**
 * Reading a dashboard's JSON model back, as Grafana would: its panels, queries and datasource
 * references. The tests hold every rendered dashboard to these checks; they know no component.
 */

/** A datasource a Grafana's values provision. */
export interface ProvisionedDatasource {
  uid: string;
  name: string;
  type: string;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): Json[] => (Array.isArray(v) ? v.filter(isObject) : []);

/** Every panel, with those nested in rows (a collapsed row keeps its panels inside it). */
export function dashboardPanels(model: Json): Json[] {
  return list(model.panels).flatMap((p) => [p, ...list(p.panels)]);
}

const variables = (model: Json): Json[] => list(isObject(model.templating) ? model.templating.list : undefined);

/** A PromQL expression of a dashboard, with where it comes from for messages. */
export interface DashboardExpression {
  where: string;
  expr: string;
}

/**
 * Every PromQL expression of a dashboard: the panels' queries and the series selectors of its
 * `label_values(selector, label)` and `query_result(expr)` variables.
 */
export function dashboardExpressions(model: Json): DashboardExpression[] {
  const out: DashboardExpression[] = [];
  for (const p of dashboardPanels(model)) {
    for (const t of list(p.targets)) {
      if (typeof t.expr === 'string') out.push({ where: `panel "${String(p.title)}" query ${String(t.refId)}`, expr: t.expr });
    }
  }
  for (const v of variables(model)) {
    if (v.type !== 'query' || typeof v.query !== 'string') continue;
    const labelValues = /^label_values\((.+),\s*[a-zA-Z_][a-zA-Z0-9_]*\)$/.exec(v.query.trim());
    const queryResult = /^query_result\((.+)\)$/.exec(v.query.trim());
    const expr = labelValues?.[1] ?? queryResult?.[1];
    if (expr) out.push({ where: `variable "${String(v.name)}"`, expr });
  }
  return out;
}

/** Grafana's built-in interval variables, replaced by a duration for parsing. */
const INTERVALS = /\$__(rate_interval|interval|range)\b|\$\{__(rate_interval|interval|range)\}/g;
const VARIABLE = /\$\{([a-zA-Z_][a-zA-Z0-9_]*)(?::[a-z]+)?\}|\$([a-zA-Z_][a-zA-Z0-9_]*)|\[\[([a-zA-Z_][a-zA-Z0-9_]*)\]\]/g;

/** The names of the template variables an expression uses (`$x`, `${x}`, `${x:fmt}`, `[[x]]`), built-ins excluded. */
export function expressionVariables(expr: string): string[] {
  const names = [...expr.replace(INTERVALS, '').matchAll(VARIABLE)].map((m) => m[1] ?? m[2] ?? m[3]);
  return [...new Set(names.filter((n) => !n.startsWith('__')))];
}

/**
 * The expression as Prometheus would receive it: interval variables become `5m`, other variables a
 * sample value (they only ever stand inside label matchers, which is what promtool then checks).
 */
export function sampleExpression(expr: string): string {
  return expr.replace(INTERVALS, '5m').replace(VARIABLE, 'sample');
}

/** A Grafana regex option (`/pattern/flags`) as a RegExp. */
function variableRegex(regex: unknown): RegExp | undefined {
  if (typeof regex !== 'string' || regex === '') return undefined;
  const m = /^\/(.*)\/([a-z]*)$/.exec(regex);
  return m ? new RegExp(m[1], m[2]) : new RegExp(regex);
}

/** Every datasource reference of a dashboard (panels, their queries, variables), with where it is. */
function datasourceRefs(model: Json): { where: string; ref: Json }[] {
  const out: { where: string; ref: Json }[] = [];
  for (const p of dashboardPanels(model)) {
    if (isObject(p.datasource)) out.push({ where: `panel "${String(p.title)}"`, ref: p.datasource });
    for (const t of list(p.targets)) if (isObject(t.datasource)) out.push({ where: `panel "${String(p.title)}" query ${String(t.refId)}`, ref: t.datasource });
  }
  for (const v of variables(model)) if (isObject(v.datasource)) out.push({ where: `variable "${String(v.name)}"`, ref: v.datasource });
  return out;
}

/** Problems of one datasource reference: a provisioned uid of the right type, or a datasource variable over provisioned ones. */
function refProblems(model: Json, where: string, ref: Json, provisioned: readonly ProvisionedDatasource[]): string[] {
  const uid = String(ref.uid ?? '');
  const type = String(ref.type ?? '');
  const variable = /^\$\{?([a-zA-Z_][a-zA-Z0-9_]*)\}?$/.exec(uid)?.[1];
  if (!variable) {
    const ds = provisioned.find((d) => d.uid === uid);
    if (!ds) return [`${where}: datasource uid "${uid}" is not provisioned (known: ${provisioned.map((d) => d.uid).join(', ')})`];
    return ds.type === type ? [] : [`${where}: datasource "${uid}" is of type ${ds.type}, not ${type}`];
  }
  const v = variables(model).find((x) => x.name === variable);
  if (!v || v.type !== 'datasource') return [`${where}: "${uid}" names no datasource variable`];
  if (v.query !== type) return [`${where}: variable "${variable}" offers ${String(v.query)} datasources, the reference wants ${type}`];
  const regex = variableRegex(v.regex);
  const offered = provisioned.filter((d) => d.type === type && (!regex || regex.test(d.name)));
  if (offered.length === 0) return [`${where}: variable "${variable}" offers no provisioned ${type} datasource (regex ${String(v.regex)})`];
  const current = isObject(v.current) ? String(v.current.value) : '';
  if (!offered.some((d) => d.uid === current))
    return [`${where}: variable "${variable}" defaults to "${current}", not one it offers (${offered.map((d) => d.uid).join(', ')})`];
  return [];
}

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}
const overlap = (a: Box, b: Box) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

/**
 * What Grafana would reject or show broken in a dashboard's JSON model: a missing or over-long uid or
 * title, duplicate panel ids, panels off the 24-column grid or on top of each other, duplicate query
 * ids, a datasource the Grafana does not provision, a variable an expression uses but nobody defines.
 */
export function dashboardProblems(model: unknown, provisioned: readonly ProvisionedDatasource[]): string[] {
  if (!isObject(model)) return ['the dashboard is not a JSON object'];
  const problems: string[] = [];
  if (typeof model.uid !== 'string' || model.uid === '' || model.uid.length > 40)
    problems.push(`uid ${JSON.stringify(model.uid)}: a string of 1 to 40 characters`);
  if (typeof model.title !== 'string' || model.title === '') problems.push('no title');
  if (!Array.isArray(model.panels) || model.panels.length === 0) problems.push('no panels');
  const panels = dashboardPanels(model);
  const ids = panels.map((p) => p.id);
  if (ids.some((id) => typeof id !== 'number' || id < 1) || new Set(ids).size !== ids.length)
    problems.push(`panel ids must be unique positive numbers: ${ids.join(', ')}`);
  const boxes: { title: string; box: Box }[] = [];
  for (const p of panels) {
    const g = p.gridPos as Partial<Box> | undefined;
    const title = `panel "${String(p.title)}"`;
    if (!g || ![g.x, g.y, g.w, g.h].every((n) => Number.isInteger(n) && (n as number) >= 0) || (g.x as number) + (g.w as number) > 24) {
      problems.push(`${title}: gridPos ${JSON.stringify(g)} is not on the 24-column grid`);
      continue;
    }
    const box = g as Box;
    const hit = boxes.find((b) => overlap(b.box, box));
    if (hit) problems.push(`${title} overlaps ${hit.title}`);
    boxes.push({ title, box });
    const refIds = list(p.targets).map((t) => t.refId);
    if (new Set(refIds).size !== refIds.length || refIds.some((r) => typeof r !== 'string' || r === ''))
      problems.push(`${title}: query refIds must be unique: ${refIds.join(', ')}`);
  }
  for (const { where, ref } of datasourceRefs(model)) problems.push(...refProblems(model, where, ref, provisioned));
  const defined = new Set(variables(model).map((v) => String(v.name)));
  for (const { where, expr } of dashboardExpressions(model)) {
    for (const name of expressionVariables(expr)) if (!defined.has(name)) problems.push(`${where}: uses $${name}, which no variable defines`);
  }
  return problems;
}

/**
 * A rule file with every expression of a dashboard as a recording rule, for `promtool check rules`
 * (which parses each one); the rule names say where an expression comes from by index.
 */
export function expressionRuleFile(name: string, exprs: readonly DashboardExpression[]): { groups: Json[] } {
  return { groups: [{ name, rules: exprs.map((e, i) => ({ record: `dashboard_expression_${i}`, expr: sampleExpression(e.expr) })) }] };
}
