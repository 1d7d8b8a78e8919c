import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { bootstrapFromConfig } from '@ck8s/bootstrap';
import { installMocks, resolved } from '@ck8s/bootstrap/src/pulumi-mocks';
import { listEnvironments, loadEnvironment } from '@ck8s/render';
import { repoRoot } from '@ck8s/testing';
import { nextSteps as addClusterSteps } from '../add-workload-cluster/generator';
import { nextSteps as newEnvironmentSteps } from '../new-environment/generator';
import { BOOTSTRAP_README, bootstrapCommands } from './bootstrap-steps';
import { emptyReport } from './secret-files';

/** What a person pipes into `pulumi config set … < file`: stand-ins of the right shape. */
const FILES: Record<string, string> = {
  './deploy-key': '-----BEGIN OPENSSH PRIVATE KEY-----\nZmFrZS1ib290c3RyYXAtc3RlcHM=\n-----END OPENSSH PRIVATE KEY-----\n',
  './known_hosts': 'github.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl',
};
const AGE_KEY = 'AGE-SECRET-KEY-1BOOTSTRAPSTEPSFAKEKEYQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ';

/** The stack config the printed `pulumi config set` lines produce, and which keys they mark secret. */
function stackConfig(commands: string[]): { values: Record<string, string>; secrets: string[] } {
  const values: Record<string, string> = {};
  const secrets: string[] = [];
  for (const c of commands) {
    const m = /^pulumi config set (--secret )?(ck8s:\w+) (?:< (\S+)|(\S+))$/.exec(c);
    if (!m) continue;
    const [, secret, key, file, value] = m;
    values[key] = file ? (file.endsWith('.agekey') ? AGE_KEY : FILES[file]) : value;
    if (secret) secrets.push(key);
  }
  return { values, secrets };
}

const clustersOf = (env: string) => loadEnvironment(repoRoot, env).clusters.map((c) => c.name);

beforeAll(async () => {
  await installMocks();
});

describe('the bootstrap commands the generators print', () => {
  for (const env of listEnvironments(repoRoot)) {
    for (const cluster of clustersOf(env)) {
      it(`${env}/${cluster}: run the Pulumi program of packages/bootstrap against this layout`, async () => {
        const commands = bootstrapCommands(env, cluster);
        expect(commands[0]).toBe('cd packages/bootstrap');
        const dir = join(repoRoot, 'packages/bootstrap');
        expect(existsSync(join(dir, 'Pulumi.yaml'))).toBe(true);
        expect(commands).toContain(`pulumi stack init ${env}-${cluster}`);
        expect(commands.at(-1)).toBe('pulumi up');
        const { values, secrets } = stackConfig(commands);
        expect(Object.values(values).every((v) => v !== undefined)).toBe(true);
        pulumi.runtime.setAllConfig(values, secrets);
        const { outputs, resources } = bootstrapFromConfig(dir);
        await resolved(resources.kustomization.urn);
        expect(outputs.syncPath).toBe(`./clusters/${env}/${cluster}`);
      });
    }
  }

  it('are the ones the bootstrap README documents, and its path without Pulumi exists for every cluster', () => {
    const readme = readFileSync(join(repoRoot, BOOTSTRAP_README), 'utf8');
    for (const line of bootstrapCommands('example-prod', 'management')) expect(readme).toContain(line);
    for (const env of listEnvironments(repoRoot)) {
      for (const cluster of clustersOf(env)) {
        // `kubectl apply -k clusters/<env>/<cluster>/flux-system` (the README's alternative) applies the sync objects.
        const k = YAML.parse(readFileSync(join(repoRoot, 'clusters', env, cluster, 'flux-system', 'kustomization.yaml'), 'utf8')) as { resources: string[] };
        expect(k.resources).toEqual(['gotk-sync.yaml']);
      }
    }
    expect(readme).toContain('kubectl apply -k clusters/<env>/<cluster>/flux-system');
  });

  it('are what new-environment and add-workload-cluster print, and never flux bootstrap', () => {
    const fresh = newEnvironmentSteps('acme-prod', emptyReport(), ['management', 'apps-1']);
    const added = addClusterSteps('acme-prod', 'apps-2', emptyReport());
    for (const line of bootstrapCommands('acme-prod', 'management')) expect(fresh).toContain(line);
    for (const line of bootstrapCommands('acme-prod', 'apps-2')) expect(added).toContain(line);
    expect(fresh).toContain('the same with ck8s:cluster set to apps-1');
    for (const text of [fresh, added]) {
      expect(text).toContain(BOOTSTRAP_README);
      expect(text).not.toMatch(/flux bootstrap/);
      expect(text).toMatch(/npx nx run acme-prod:render/);
    }
  });
});
