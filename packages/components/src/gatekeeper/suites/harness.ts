import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import YAML from 'yaml';
import { toYaml, type K8sObject } from '@ck8s/manifest';
import type { EnvironmentConfig } from '@ck8s/config';
import { renderComponent, testEnvironment } from '../../testing';
import { gatekeeperConstraints } from '../../gatekeeper-constraints';
import { gatekeeper } from '..';

/**
 * Test-only glue between the committed gator suites (suite.yaml + hand-written sample objects) and the
 * policies the platform renders. The suites name `template.yaml`, `constraint.yaml` and
 * `<ExpansionTemplate name>.yaml`; those files are never committed: `materialize` writes them into a
 * copy of this folder from the same render functions that produce clusters/, so a suite cannot test a
 * stale copy of a policy.
 */
export const SUITES_DIR = __dirname;
/** The workload cluster of `suiteEnvironment()`, which gets the full set of constraints. */
export const SUITE_CLUSTER = 'workload';
/** File names a suite uses for the rendered policy objects. */
export const TEMPLATE_FILE = 'template.yaml';
export const CONSTRAINT_FILE = 'constraint.yaml';

/**
 * The environment the samples are written against: prod (deny), a provider without LoadBalancers, Harbor
 * at harbor.test.example.com plus one listed registry path.
 */
export function suiteEnvironment(): EnvironmentConfig {
  return testEnvironment({
    flavor: 'prod',
    provider: 'safespring',
    config: { components: { harbor: { enabled: true }, gatekeeperConstraints: { allowedRegistries: { registries: ['registry.example.com/team'] } } } },
  });
}

export interface RenderedPolicies {
  templates: K8sObject[];
  constraints: K8sObject[];
  expansions: K8sObject[];
}

export function renderedPolicies(env: EnvironmentConfig, cluster: string): RenderedPolicies {
  const config = renderComponent(gatekeeper, env, cluster).config ?? [];
  return {
    templates: config.filter((o) => o.kind === 'ConstraintTemplate'),
    expansions: config.filter((o) => o.kind === 'ExpansionTemplate'),
    constraints: renderComponent(gatekeeperConstraints, env, cluster).objects ?? [],
  };
}

export interface SuiteCase {
  name: string;
  object: string;
  inventory?: string[];
  assertions: { violations?: string | number | boolean; message?: string }[];
  skip?: boolean;
}
export interface SuiteTest {
  name: string;
  template: string;
  constraint: string;
  expansion?: string;
  cases: SuiteCase[];
  skip?: boolean;
}
export interface Suite {
  /** The constraint it tests: the suite folder's name. */
  name: string;
  dir: string;
  tests: SuiteTest[];
  skip?: boolean;
}

/** Every `<constraint>/suite.yaml` under `dir`. */
export function readSuites(dir: string = SUITES_DIR): Suite[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .flatMap((e) => {
      const file = join(dir, e.name, 'suite.yaml');
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch {
        return [];
      }
      const s = YAML.parse(text) as { tests?: SuiteTest[]; skip?: boolean };
      return [{ name: e.name, dir: join(dir, e.name), tests: s.tests ?? [], skip: s.skip }];
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The one object a case reviews (paths are relative to the suite, as gator reads them). */
export function caseObject(suite: Suite, c: SuiteCase): K8sObject {
  return YAML.parse(readFileSync(join(suite.dir, c.object), 'utf8')) as K8sObject;
}

/**
 * Whether a case expects the object to be admitted. YAML 1.2 reads `no`/`yes` as strings; gator
 * accepts "no", "yes" or a count.
 */
export function expectsAllowed(c: SuiteCase): boolean {
  return c.assertions.every((a) => a.violations === 'no' || a.violations === 0);
}

/** The constraint kind a ConstraintTemplate defines. */
function templateKind(t: K8sObject): string {
  return (t.spec as { crd: { spec: { names: { kind: string } } } }).crd.spec.names.kind;
}

/**
 * Copies the suites into `target` and writes, next to every suite.yaml, the rendered template and
 * constraint of that suite's constraint and every rendered ExpansionTemplate. Returns the files written.
 */
export function materialize(target: string, policies: RenderedPolicies, suites: Suite[] = readSuites()): string[] {
  cpSync(SUITES_DIR, target, { recursive: true, filter: (src) => !src.endsWith('.ts') });
  const written: string[] = [];
  const write = (file: string, o: K8sObject) => {
    writeFileSync(file, toYaml(o));
    written.push(file);
  };
  for (const s of suites) {
    const dir = join(target, relative(SUITES_DIR, s.dir));
    const constraint = policies.constraints.find((c) => c.metadata.name === s.name);
    if (!constraint) throw new Error(`suite ${s.name}: the platform renders no constraint of that name`);
    const template = policies.templates.find((t) => templateKind(t) === constraint.kind);
    if (!template) throw new Error(`suite ${s.name}: no ConstraintTemplate for kind ${constraint.kind}`);
    write(join(dir, TEMPLATE_FILE), template);
    write(join(dir, CONSTRAINT_FILE), constraint);
    for (const e of policies.expansions) write(join(dir, `${e.metadata.name}.yaml`), e);
  }
  return written;
}

export interface CaseOutcome {
  name: string;
  passed: boolean;
  /** gator's reason when it failed. */
  detail?: string;
}
export interface SuiteOutcome {
  path: string;
  ok: boolean;
  cases: CaseOutcome[];
  /** Test-level failures (a template that does not compile, a missing file), with gator's reason. */
  errors: string[];
}

/**
 * Reads `gator verify -v` output: case lines (`    --- PASS: name`), test failures (`--- FAIL: name`
 * followed by an indented reason) and one `ok`/`FAIL` line closing each suite.
 */
export function parseVerifyOutput(text: string): SuiteOutcome[] {
  const out: SuiteOutcome[] = [];
  let cases: CaseOutcome[] = [];
  let errors: string[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const next = lines[i + 1] ?? '';
    const c = /^ {4}--- (PASS|FAIL): (.+?)\t/.exec(line);
    const t = /^--- FAIL: (.+?)\t/.exec(line);
    const s = /^(ok|FAIL)\t(\S+)/.exec(line);
    if (c) cases.push({ name: c[2], passed: c[1] === 'PASS', ...(c[1] === 'FAIL' ? { detail: next.trim() } : {}) });
    else if (t) errors.push(`${t[1]}: ${/^ {2}\S/.test(next) ? next.trim() : 'failed'}`);
    else if (s) {
      out.push({ path: s[2], ok: s[1] === 'ok', cases, errors });
      cases = [];
      errors = [];
    }
  }
  return out;
}

/** The same suite with every assertion turned around: what passes must then fail, case by case. */
export function invertSuite(text: string): string {
  const doc = YAML.parse(text) as { tests: SuiteTest[] };
  for (const t of doc.tests) {
    for (const c of t.cases) {
      c.assertions = c.assertions.map((a) => (expectsAllowed({ ...c, assertions: [a] }) ? { ...a, violations: 'yes' } : { ...a, violations: 'no' }));
    }
  }
  return YAML.stringify(doc);
}
