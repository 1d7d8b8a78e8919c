import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { hasShared, realTool, sharedDir, skipMessage } from '@ck8s/testing';
import { sharedSchemaLocations } from '../locations/template';
import { describeDisagreement, type Comparison } from './compare';
import { CORPUS_SCHEMAS, groupByFlags, readCorpus, type CorpusFlags } from './corpus';
import { runDifferential, type DifferentialRun } from './run';

/**
 * The corpus of invalid and awkward documents through the builtin engine and the real kubeconform binary
 * (run directly, not through the wrapper), with the same flags. Every resource must get the same verdict and
 * the same error paths, once the documented intended differences are applied; each file's header also pins
 * what kubeconform itself says, so a case cannot silently stop probing what it claims to.
 */
const bin = realTool('kubeconform', 'the differential corpus');
const SHARED = hasShared('schemas');
if (!SHARED) console.log(skipMessage('schemas'));

const cases = readCorpus();

function locations(flags: CorpusFlags): string[] {
  const all = [...sharedSchemaLocations(sharedDir()), CORPUS_SCHEMAS];
  // ../shared holds only the -strict variant of the core schemas; without -strict the same files are named explicitly.
  return flags.strict ? all : all.map((l) => l.replace('{{.StrictSuffix}}', '-strict'));
}

describe('differential corpus', () => {
  it('has at least 30 cases, each saying what it probes', () => {
    console.log(`differential corpus: ${cases.length} files`);
    expect(cases.length).toBeGreaterThanOrEqual(30);
    for (const c of cases) expect(c.probes.length, c.file).toBeGreaterThan(10);
  });
});

describe.skipIf(!bin || !SHARED).each(groupByFlags(cases).map((group) => [JSON.stringify(group[0].flags), group] as const))(
  'builtin engine and kubeconform agree on the corpus (flags %s)',
  (_flags, group) => {
    let run: DifferentialRun;
    beforeAll(() => {
      const flags = group[0].flags;
      const inputs = group.map((c) => c.file);
      run = runDifferential({ binary: bin as string, inputs, schemaLocations: locations(flags), kubernetesVersion: '1.36.0', ...flags });
    }, 120_000);

    it('finds the same resources in every file', () => {
      expect(run.problems).toEqual([]);
    });

    it.each(group.map((c) => [c.file.split('/').pop() as string, c] as const))('%s', (_name, c) => {
      const mine: Comparison[] = run.comparisons.filter((x) => x.filename === c.file);
      expect(
        mine.map((x) => x.kubeconform.verdict),
        'kubeconform verdicts (the "# expect:" header)',
      ).toEqual(c.expect);
      expect(mine.filter((x) => !x.agree).map(describeDisagreement)).toEqual([]);
      expect([...new Set(mine.flatMap((x) => x.intended))].sort(), 'intended differences (the "# intended:" header)').toEqual([...c.intended].sort());
    });
  },
);

/** Real sops output (../shared/fixtures/sops): kubeconform sees the sops block, the builtin engine the decrypted shape. */
const SOPS_FIXTURES = sharedDir('fixtures', 'sops');
const sopsFiles = existsSync(SOPS_FIXTURES)
  ? readdirSync(SOPS_FIXTURES)
      .filter((n) => n.endsWith('.sops.yaml'))
      .map((n) => join(SOPS_FIXTURES, n))
  : [];
if (sopsFiles.length === 0) console.log(skipMessage('fixtures', 'sops'));

describe.skipIf(!bin || !SHARED || sopsFiles.length === 0)('builtin engine and kubeconform on real sops output', () => {
  it('agree once the sops block is accounted for', () => {
    const schemaLocations = sharedSchemaLocations(sharedDir());
    const run = runDifferential({ binary: bin as string, inputs: sopsFiles, schemaLocations, strict: true, kubernetesVersion: '1.36.0' });
    expect(run.problems).toEqual([]);
    expect(run.comparisons.length).toBe(sopsFiles.length);
    expect(run.disagreements.map(describeDisagreement)).toEqual([]);
    expect(run.comparisons.map((c) => [c.kubeconform.verdict, c.intended])).toEqual(sopsFiles.map(() => ['invalid', ['sops']]));
  });
});
