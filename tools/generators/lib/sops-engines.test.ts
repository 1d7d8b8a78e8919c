import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import type { Tree } from '@nx/devkit';
import YAML from 'yaml';
import { decryptSopsYaml, inspectSopsFile, sopsCreationRules } from '@ck8s/secrets';
import { runSops, writeAgeKeyFile } from '@ck8s/secrets/src/test-support';
import { realTool, tempDir } from '@ck8s/testing';
import { addWorkloadCluster } from '../add-workload-cluster/generator';
import { newEnvironment, SECRETS_PATH_REGEX } from '../new-environment/generator';
import type { NewEnvironmentSchema } from '../new-environment/schema';
import { NEW_ENV_OPTIONS, recordingDeps, seededRandom, TEST_CATALOG, TEST_SETTINGS } from './testing';

/**
 * The generators encrypt with the real sops when @ck8s/toolchain finds it and with the built-in encrypter
 * otherwise; each side must read what the other wrote. Tools hidden here are hidden from every package
 * (the locator is mocked), as on a machine without them.
 */
const hidden = vi.hoisted(() => new Set<string>());
vi.mock('@ck8s/toolchain', async (importOriginal) => {
  const actual = await importOriginal<typeof import('@ck8s/toolchain')>();
  return { ...actual, findTool: (name: string, env?: Record<string, string | undefined>) => (hidden.has(name) ? undefined : actual.findTool(name, env)) };
});

const sops = realTool('sops', 'the generators encrypting with the real sops, and reading what the built-in encrypter writes');

const ENV = 'environments/acme-prod';
type Keys = Awaited<ReturnType<typeof writeAgeKeyFile>>;

describe.skipIf(!sops)('generators: real sops when present, built-in encrypter otherwise', () => {
  const tmp = tempDir('ck8s-gen-sops-');
  afterAll(() => tmp.cleanup());
  let oldKey: Keys, newKey: Keys;
  beforeAll(async () => {
    [oldKey, newKey] = await Promise.all(['old', 'new'].map((n) => writeAgeKeyFile(tmp.dir, n)));
  });

  const sopsPlain = (text: string, key: Keys): unknown => {
    const file = join(tmp.dir, 'read.sops.yaml');
    writeFileSync(file, text);
    const r = runSops(sops!, ['decrypt', file], { home: tmp.dir, keyFile: key.path });
    expect(r.stderr).toBe('');
    return YAML.parse(r.stdout);
  };

  /** new-environment on a fresh tree; the same seed gives the same plain values whichever engine encrypts. */
  async function generate(): Promise<{ tree: Tree; files: { path: string; engine: string }[] }> {
    const tree = createTreeWithEmptyWorkspace();
    const deps = recordingDeps({ catalog: TEST_CATALOG, random: seededRandom(42) });
    const result = await newEnvironment(tree, { ...NEW_ENV_OPTIONS, ageRecipient: oldKey.recipient, settings: TEST_SETTINGS } as NewEnvironmentSchema, deps);
    return { tree, files: result.secrets.files };
  }

  let withSops: Awaited<ReturnType<typeof generate>>;
  let withoutSops: Awaited<ReturnType<typeof generate>>;
  beforeAll(async () => {
    withSops = await generate();
    hidden.add('sops');
    try {
      withoutSops = await generate();
    } finally {
      hidden.delete('sops');
    }
  });

  it('with sops found, every file is encrypted by sops (3.11.0 in its metadata); the built-in decrypter reads each', async () => {
    expect(withSops.files.length).toBeGreaterThan(5);
    for (const { path, engine } of withSops.files) {
      const text = withSops.tree.read(path, 'utf-8')!;
      expect(engine, path).toBe('sops');
      expect(inspectSopsFile(text, path)).toMatchObject({ version: '3.11.0', recipients: [oldKey.recipient], problems: [] });
      expect(await decryptSopsYaml(text, [oldKey.identity], { filename: path }), path).toEqual(sopsPlain(text, oldKey));
    }
  });

  it('without sops, the built-in encrypter writes the same Secrets, and the real sops decrypts each to the same plain text', async () => {
    expect(withoutSops.files.map((f) => f.path)).toEqual(withSops.files.map((f) => f.path));
    for (const { path, engine } of withoutSops.files) {
      const text = withoutSops.tree.read(path, 'utf-8')!;
      expect(engine, path).toBe('builtin');
      expect(inspectSopsFile(text, path)).toMatchObject({ version: '3.9.0', recipients: [oldKey.recipient], problems: [] });
      const plain = sopsPlain(text, oldKey);
      expect(plain, path).toEqual(await decryptSopsYaml(withSops.tree.read(path, 'utf-8')!, [oldKey.identity]));
      expect(await decryptSopsYaml(text, [oldKey.identity]), path).toEqual(plain);
    }
  });

  it('rotation: after sops updatekeys to a new key, add-workload-cluster reads with the new key and writes files only it opens', async () => {
    const { tree } = withSops;
    // step 1 of "Rotating recipients": .sops.yaml and config.yaml name the new key only
    tree.write(`${ENV}/.sops.yaml`, sopsCreationRules({ pathRegex: SECRETS_PATH_REGEX, recipients: [newKey.recipient] }));
    const config = YAML.parseDocument(tree.read(`${ENV}/config.yaml`, 'utf-8')!);
    config.setIn(['sops', 'ageRecipients'], [newKey.recipient]);
    tree.write(`${ENV}/config.yaml`, config.toString({ lineWidth: 0 }));
    // step 2: sops updatekeys from the environment folder, with the key that opens the files now
    const envDir = join(tmp.dir, 'env');
    const secretPaths = () =>
      tree
        .children(`${ENV}/secrets`)
        .flatMap((c) => (c.endsWith('.sops.yaml') ? [`secrets/${c}`] : tree.children(`${ENV}/secrets/${c}`).map((f) => `secrets/${c}/${f}`)));
    mkdirSync(envDir, { recursive: true });
    writeFileSync(join(envDir, '.sops.yaml'), tree.read(`${ENV}/.sops.yaml`, 'utf-8')!);
    for (const rel of secretPaths()) {
      mkdirSync(dirname(join(envDir, rel)), { recursive: true });
      writeFileSync(join(envDir, rel), tree.read(`${ENV}/${rel}`, 'utf-8')!);
      const r = runSops(sops!, ['updatekeys', '-y', rel], { home: tmp.dir, cwd: envDir, keyFile: oldKey.path });
      expect(r.code, `${rel}: ${r.stderr}`).toBe(0);
      tree.write(`${ENV}/${rel}`, readFileSync(join(envDir, rel), 'utf8'));
    }

    // the removed key can no longer open what the generator must rewrite: it stops, naming the file
    const refused = await addWorkloadCluster(
      tree,
      { environment: 'acme-prod', name: 'apps-3' },
      { ...recordingDeps({ catalog: TEST_CATALOG }), identities: [oldKey.identity] },
    ).catch((e: Error) => e);
    expect(refused).toBeInstanceOf(Error);
    expect((refused as Error).message).toMatch(/cannot decrypt .*\.sops\.yaml with the age key.*none of the given age identities decrypts the data key/s);

    const result = await addWorkloadCluster(
      tree,
      { environment: 'acme-prod', name: 'apps-3' },
      { ...recordingDeps({ catalog: TEST_CATALOG }), identities: [newKey.identity] },
    );
    const written = result.files.filter((f) => f.endsWith('.sops.yaml'));
    expect(written.some((f) => f.includes('/apps-3/'))).toBe(true);
    expect(written.some((f) => !f.includes('/apps-3/'))).toBe(true); // a management file rewritten for the new cluster
    expect(result.secrets.files.every((f) => f.engine === 'sops')).toBe(true);
    for (const rel of secretPaths()) {
      const text = tree.read(`${ENV}/${rel}`, 'utf-8')!;
      expect(inspectSopsFile(text, rel).recipients, rel).toEqual([newKey.recipient]);
      expect(await decryptSopsYaml(text, [newKey.identity]), rel).toEqual(sopsPlain(text, newKey));
      await expect(decryptSopsYaml(text, [oldKey.identity]), rel).rejects.toThrow(/none of the given age identities/);
      const file = join(tmp.dir, 'gone.sops.yaml');
      writeFileSync(file, text);
      const r = runSops(sops!, ['decrypt', file], { home: tmp.dir, keyFile: oldKey.path });
      expect(r.code, rel).not.toBe(0);
      expect(r.stderr).toMatch(/Failed to get the data key/);
    }
  });
});
