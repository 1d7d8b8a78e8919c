import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { realTool, tempDir } from '@ck8s/testing';
import {
  caseObject,
  CONSTRAINT_FILE,
  expectsAllowed,
  invertSuite,
  materialize,
  parseVerifyOutput,
  readSuites,
  renderedPolicies,
  SUITE_CLUSTER,
  suiteEnvironment,
  TEMPLATE_FILE,
  type Suite,
  type SuiteOutcome,
} from './suites/harness';

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const policies = renderedPolicies(suiteEnvironment(), SUITE_CLUSTER);
const suites = readSuites();
const constraintOf = (s: Suite) => policies.constraints.find((c) => c.metadata.name === s.name) as Any;
const casesOf = (s: Suite) => s.tests.flatMap((t) => t.cases.map((c) => ({ test: t, c })));
const matchesPods = (s: Suite) => (constraintOf(s).spec.match.kinds as { kinds: string[] }[]).some((k) => k.kinds.includes('Pod'));

describe('gatekeeper policy suites: what they cover', () => {
  it('one suite per constraint the platform renders, and none for a constraint it does not', () => {
    expect(policies.constraints.length).toBeGreaterThan(0);
    expect(suites.map((s) => s.name)).toEqual(policies.constraints.map((c) => c.metadata.name).sort());
  });

  it('suites use only the rendered template, constraint and ExpansionTemplates; no copies are committed', () => {
    const expansions = policies.expansions.map((e) => `${e.metadata.name}.yaml`);
    expect(expansions.length).toBeGreaterThan(0);
    const generated = new Set([TEMPLATE_FILE, CONSTRAINT_FILE, ...expansions]);
    for (const s of suites) {
      expect(s.skip, s.name).toBeFalsy();
      for (const t of s.tests) {
        expect([t.template, t.constraint], `${s.name}/${t.name}`).toEqual([TEMPLATE_FILE, CONSTRAINT_FILE]);
        if (t.expansion) expect(expansions, `${s.name}/${t.name}`).toContain(t.expansion);
        expect(t.skip || t.cases.some((c) => c.skip), `${s.name}/${t.name} skips`).toBeFalsy();
      }
      expect(
        readdirSync(s.dir).filter((f) => generated.has(f)),
        s.name,
      ).toEqual([]);
    }
  });

  it.each(suites.map((s) => [s.name, s] as const))('%s: at least two admitted and two denied objects', (_, s) => {
    const all = casesOf(s);
    expect(all.filter(({ c }) => expectsAllowed(c)).length).toBeGreaterThanOrEqual(2);
    expect(all.filter(({ c }) => !expectsAllowed(c)).length).toBeGreaterThanOrEqual(2);
  });

  it.each(suites.map((s) => [s.name, s] as const))('%s: an object denied in a user namespace is admitted in an excluded one', (_, s) => {
    const excluded: string[] = constraintOf(s).spec.match.excludedNamespaces;
    const all = casesOf(s).map(({ c }) => ({ c, o: caseObject(s, c) as Any }));
    const admittedExcluded = all.filter(({ c, o }) => expectsAllowed(c) && excluded.includes(o.metadata.namespace));
    expect(admittedExcluded.length, 'an admitted case in an excluded namespace').toBeGreaterThan(0);
    for (const { c, o } of admittedExcluded) {
      // Same object, denied where the constraint applies: the namespace is the only reason it passes.
      const twin = all.find(
        (d) => !expectsAllowed(d.c) && !excluded.includes(d.o.metadata.namespace) && d.o.kind === o.kind && isDeepStrictEqual(d.o.spec, o.spec),
      );
      expect(twin, `${c.name}: a denied case with the same spec outside the excluded namespaces`).toBeDefined();
    }
  });

  it.each(suites.filter(matchesPods).map((s) => [s.name, s] as const))('%s: a workload whose pods break the rule is denied through expansion', (_, s) => {
    const expanded = casesOf(s).filter(({ test, c }) => test.expansion && !expectsAllowed(c) && caseObject(s, c).kind !== 'Pod');
    expect(expanded.length).toBeGreaterThan(0);
    // gator prefixes messages of generated pods with the ExpansionTemplate; asserting it proves the path.
    for (const { c } of expanded)
      expect(
        c.assertions.some((a) => /Implied by/.test(a.message ?? '')),
        c.name,
      ).toBe(true);
  });
});

const gator = realTool('gator', 'gator verify of the Gatekeeper policy suites');

function verify(dir: string): { status: number | null; outcomes: SuiteOutcome[]; output: string } {
  const r = spawnSync(gator as string, ['verify', '-v', `${dir}/...`], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const output = `${r.stdout}${r.stderr}`;
  return { status: r.status, outcomes: parseVerifyOutput(r.stdout), output };
}

describe.skipIf(!gator)('gatekeeper policy suites: gator verify', () => {
  const expected = suites.map((s) => ({ name: s.name, cases: casesOf(s).map(({ c }) => c.name) }));
  const total = expected.reduce((n, s) => n + s.cases.length, 0);

  it('every case of every suite passes against the rendered policies', () => {
    const { dir, cleanup } = tempDir('ck8s-gator-suites-');
    try {
      materialize(dir, policies, suites);
      const { status, outcomes, output } = verify(dir);
      const failed = outcomes.flatMap((o) => [...o.errors, ...o.cases.filter((c) => !c.passed).map((c) => `${c.name}: ${c.detail}`)]);
      // The failing cases with gator's reason come first; the whole output only when gator itself failed.
      expect(failed).toEqual([]);
      expect(status, output).toBe(0);
      // Every suite file ran and every case in it ran: gator ignores files it does not recognise as suites.
      expect(outcomes.map((o) => o.path.split('/').at(-2)).sort()).toEqual(expected.map((s) => s.name).sort());
      for (const s of expected) {
        const ran = outcomes.find((o) => o.path.split('/').at(-2) === s.name);
        expect(
          ran?.cases.map((c) => c.name),
          s.name,
        ).toEqual(s.cases);
      }
      console.log(`gator verify: ${outcomes.length} suites, ${total} cases passed`);
    } finally {
      cleanup();
    }
  });

  it('fails every case once its assertion is turned around, so no case passes whatever the policy says', () => {
    const { dir, cleanup } = tempDir('ck8s-gator-inverted-');
    try {
      materialize(dir, policies, suites);
      for (const s of suites) {
        const file = join(dir, s.name, 'suite.yaml');
        writeFileSync(file, invertSuite(readFileSync(file, 'utf8')));
      }
      const { status, outcomes, output } = verify(dir);
      expect(status, output).not.toBe(0);
      const cases = outcomes.flatMap((o) => o.cases);
      expect(cases.length, output).toBe(total);
      expect(
        cases.filter((c) => c.passed).map((c) => c.name),
        output,
      ).toEqual([]);
    } finally {
      cleanup();
    }
  });
});

describe('gator verify output parsing', () => {
  it('reads passing and failing cases, test-level errors and suite results', () => {
    const text = [
      '=== RUN   pods',
      '    === RUN   ok-case',
      '    --- PASS: ok-case\t(1ms)',
      '    === RUN   bad-case',
      '    --- FAIL: bad-case\t(2ms)',
      '        unexpected number of violations: got 0 violations but want at least 1',
      '--- FAIL: pods\t(3ms)',
      'FAIL\t/tmp/x/a/suite.yaml\t3ms',
      '--- FAIL: broken\t(1ms)',
      '  adding template: rego_parse_error',
      'FAIL\t/tmp/x/b/suite.yaml\t1ms',
      'FAIL',
      '',
    ].join('\n');
    expect(parseVerifyOutput(text)).toEqual([
      {
        path: '/tmp/x/a/suite.yaml',
        ok: false,
        errors: ['pods: failed'],
        cases: [
          { name: 'ok-case', passed: true },
          { name: 'bad-case', passed: false, detail: 'unexpected number of violations: got 0 violations but want at least 1' },
        ],
      },
      { path: '/tmp/x/b/suite.yaml', ok: false, errors: ['broken: adding template: rego_parse_error'], cases: [] },
    ]);
  });

  it('turns allowed into denied and denied into allowed', () => {
    const suite = ['tests:', '  - name: t', '    cases:', '      - name: a', '        assertions:', '          - violations: no'];
    suite.push('      - name: b', '        assertions:', '          - violations: 1', '            message: x');
    const inverted = invertSuite(suite.join('\n'));
    expect(inverted).toContain('message: x');
    expect(inverted.match(/violations: "?(yes|no)"?/g)).toEqual([expect.stringMatching(/yes/), expect.stringMatching(/no/)]);
  });
});
