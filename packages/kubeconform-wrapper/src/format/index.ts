import type { FormatOptions, OutputFormat, ResourceResult, ValidationReport } from '../types';
import { describeError, location, qualifiedName, resourceMessage, resourceRef } from './common';

/**
 * The four kubeconform output formats. json, tap and junit keep kubeconform's shapes so existing
 * consumers keep working (json gains namespace, document and engine fields); text is the
 * wrapper's own: one line per problem naming file, document, object, JSON path and reason.
 */
export function formatReport(report: ValidationReport, format: OutputFormat, options: FormatOptions = {}): string {
  switch (format) {
    case 'text':
      return formatText(report, options);
    case 'json':
      return formatJson(report, options);
    case 'tap':
      return formatTap(report);
    case 'junit':
      return formatJunit(report);
    default:
      throw new Error(`unknown output format ${String(format)}`);
  }
}

function prefix(r: ResourceResult): string {
  const ref = resourceRef(r);
  return ref ? `${location(r)} ${ref}` : location(r);
}

export function summaryLine(report: ValidationReport): string {
  const s = report.summary;
  const counts = `Valid: ${s.valid}, Invalid: ${s.invalid}, Errors: ${s.errors}, Skipped: ${s.skipped}`;
  const resources = `${s.resources} resource${s.resources === 1 ? '' : 's'}`;
  if (report.stdin) return `Summary: ${resources} found parsing stdin - ${counts}`;
  return `Summary: ${resources} found in ${s.files} file${s.files === 1 ? '' : 's'} - ${counts}`;
}

function formatText(report: ValidationReport, options: FormatOptions): string {
  const lines: string[] = [];
  for (const r of report.resources) {
    const head = prefix(r);
    if (r.status === 'invalid' || r.status === 'error') {
      for (const e of r.errors) lines.push(`${head}: ${describeError(e, r.status)}`);
    } else if (options.verbose && (r.status === 'valid' || r.status === 'skipped')) {
      lines.push(`${head}: ${r.status}`);
    }
    for (const w of r.warnings) lines.push(`${head}: warning: ${w}`);
  }
  if (options.verbose) lines.push(`Engine: ${report.engine}`);
  if (options.summary) lines.push(summaryLine(report));
  return lines.length ? `${lines.join('\n')}\n` : '';
}

const JSON_STATUS: Record<ResourceResult['status'], string> = {
  valid: 'statusValid',
  invalid: 'statusInvalid',
  error: 'statusError',
  skipped: 'statusSkipped',
  empty: 'statusEmpty',
};

function formatJson(report: ValidationReport, options: FormatOptions): string {
  const listed = report.resources.filter((r) => r.status !== 'empty' && (options.verbose || r.status === 'invalid' || r.status === 'error'));
  const resources = listed.map((r) => ({
    filename: r.filename,
    kind: r.kind,
    name: r.name,
    version: r.apiVersion,
    status: JSON_STATUS[r.status],
    msg: resourceMessage(r),
    ...(r.status === 'invalid' ? { validationErrors: r.errors.map((e) => ({ path: e.path, msg: e.reason })) } : {}),
    namespace: r.namespace,
    ...(r.document === undefined ? {} : { document: r.document }),
    ...(r.listItem === undefined ? {} : { listItem: r.listItem }),
    ...(r.warnings.length ? { warnings: r.warnings } : {}),
  }));
  const s = report.summary;
  const out = {
    resources,
    ...(options.summary ? { summary: { valid: s.valid, invalid: s.invalid, errors: s.errors, skipped: s.skipped } } : {}),
    engine: report.engine,
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}

function formatTap(report: ValidationReport): string {
  const lines: string[] = [];
  report.resources.forEach((r, i) => {
    const n = i + 1;
    if (n === 1) lines.push('TAP version 13');
    switch (r.status) {
      case 'valid':
        lines.push(`ok ${n} - ${r.filename} (${qualifiedName(r)})`);
        break;
      case 'invalid':
        lines.push(`not ok ${n} - ${r.filename} (${qualifiedName(r)}): ${resourceMessage(r)}`);
        break;
      case 'empty':
        lines.push(`ok ${n} - ${r.filename} (empty)`);
        break;
      case 'error':
        lines.push(`not ok ${n} - ${r.filename}: ${resourceMessage(r)}`);
        break;
      case 'skipped':
        lines.push(`ok ${n} - ${r.filename} (${qualifiedName(r)}) # skip`);
        break;
    }
  });
  lines.push(`1..${report.resources.length}`);
  return `${lines.join('\n')}\n`;
}

function xmlAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&#34;').replace(/\n/g, '&#xA;').replace(/\t/g, '&#x9;');
}

function formatJunit(report: ValidationReport): string {
  const suites = new Map<string, ResourceResult[]>();
  for (const r of report.resources) {
    if (r.status === 'empty') continue;
    const list = suites.get(r.filename) ?? [];
    list.push(r);
    suites.set(r.filename, list);
  }
  const s = report.summary;
  const time = (report.durationMs / 1000).toFixed(3);
  const out: string[] = [
    `<testsuites name="kubeconform" time="${time}" tests="${s.resources}" failures="${s.invalid}" disabled="${s.skipped}" errors="${s.errors}">`,
  ];
  let id = 0;
  for (const [file, results] of suites) {
    id++;
    const failures = results.filter((r) => r.status === 'invalid').length;
    const errors = results.filter((r) => r.status === 'error').length;
    const skipped = results.filter((r) => r.status === 'skipped').length;
    out.push(
      `  <testsuite name="${xmlAttr(file)}" id="${id}" tests="${results.length}" failures="${failures}" errors="${errors}" disabled="0" skipped="${skipped}">`,
    );
    for (const r of results) {
      const name = r.namespace ? `${r.namespace}/${r.name}` : r.name;
      const head = `    <testcase name="${xmlAttr(name)}" classname="${xmlAttr(`${r.kind}@${r.apiVersion}`)}">`;
      if (r.status === 'valid') {
        out.push(`${head}</testcase>`);
        continue;
      }
      out.push(head);
      if (r.status === 'invalid') out.push(`      <failure message="${xmlAttr(resourceMessage(r))}" type=""></failure>`);
      if (r.status === 'error') out.push(`      <error message="${xmlAttr(resourceMessage(r))}" type=""></error>`);
      if (r.status === 'skipped') out.push('      <skipped message=""></skipped>');
      out.push('    </testcase>');
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return `${out.join('\n')}\n`;
}
