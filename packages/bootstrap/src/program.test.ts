import { join } from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { beforeAll, describe, expect, it } from 'vitest';
import { bootstrapFromConfig, findWorkspaceRoot } from './program';
import { installMocks, plaintextStrings, repoRoot, resolved, unwrapSecrets, type MockState } from './pulumi-mocks';

const IDENTITY = '-----BEGIN OPENSSH PRIVATE KEY-----\nZmFrZS1wcm9ncmFtLWlkZW50aXR5\n-----END OPENSSH PRIVATE KEY-----\n';
const AGE_KEY = 'AGE-SECRET-KEY-1PROGRAMFAKEKEYQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ';

function setConfig(values: Record<string, string>, secrets: string[] = ['ck8s:gitIdentity', 'ck8s:ageKey', 'ck8s:gitPassword']) {
  pulumi.runtime.setAllConfig(values, secrets);
}

const sshStack = {
  'ck8s:environment': 'example-prod',
  'ck8s:cluster': 'apps-b',
  'ck8s:gitIdentity': IDENTITY,
  'ck8s:gitKnownHosts': 'github.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl',
  'ck8s:ageKey': AGE_KEY,
  'ck8s:kubeContext': 'example-prod-apps-b-admin',
};
const packageDir = join(repoRoot, 'packages', 'bootstrap');

let mocks: MockState;
beforeAll(async () => {
  mocks = await installMocks();
});

describe('entry program (Pulumi.yaml → program/index.ts)', () => {
  it('finds the workspace root from the package directory', () => {
    expect(findWorkspaceRoot(packageDir)).toBe(repoRoot);
  });

  it('bootstraps the configured cluster through a provider pinned to ck8s:kubeContext', async () => {
    setConfig(sshStack);
    const { outputs, resources } = bootstrapFromConfig(packageDir);
    await resolved(resources.kustomization.urn); // registered last: it depends on everything else
    expect(outputs).toMatchObject({ syncPath: './clusters/example-prod/apps-b', gitBranch: 'main', fluxVersion: 'v2.9.1', install: 'helm flux2@2.19.0' });
    expect(await resolved(outputs.namespace)).toBe('flux-system');
    const ks = mocks.find('kubernetes:kustomize.toolkit.fluxcd.io/v1:Kustomization', 'flux-system/flux-system');
    expect(ks.inputs).toMatchObject({ spec: { path: './clusters/example-prod/apps-b' } });

    const provider = mocks.find('pulumi:providers:kubernetes', 'example-prod-apps-b');
    expect(provider.inputs).toMatchObject({ context: 'example-prod-apps-b-admin' });
    const k8s = mocks.registrations.filter((r) => r.type.startsWith('kubernetes:'));
    expect(k8s).toHaveLength(6);
    for (const r of k8s)
      expect(r.provider, `${r.type} ${r.name}`).toMatch(/^urn:pulumi:test::ck8s-bootstrap::pulumi:providers:kubernetes::example-prod-apps-b::/);

    const git = mocks.find('kubernetes:core/v1:Secret', 'flux-system/flux-system');
    expect(pulumi.runtime.isRpcSecret(git.inputs.stringData)).toBe(true);
    expect((unwrapSecrets(git.inputs.stringData) as Record<string, string>).identity).toBe(IDENTITY);
    const all = mocks.registrations.flatMap((r) => plaintextStrings(r.inputs)).join('\n');
    expect(all).not.toContain('ZmFrZS1wcm9ncmFtLWlkZW50aXR5');
    expect(all).not.toContain('AGE-SECRET-KEY-1PROGRAMFAKEKEY');
  });

  it('fails clearly on missing or inconsistent config', () => {
    const { ['ck8s:environment']: _, ...noEnv } = sshStack;
    setConfig(noEnv);
    expect(() => bootstrapFromConfig(packageDir)).toThrow(/Missing required configuration variable 'ck8s:environment'/);

    setConfig({ ...sshStack, 'ck8s:cluster': 'apps-z' });
    expect(() => bootstrapFromConfig(packageDir)).toThrow(
      /clusters\/example-prod\/apps-z\/flux-system\/gotk-sync\.yaml not found.*`nx run example-prod:render`/,
    );

    setConfig({ ...sshStack, 'ck8s:installMode': 'kubectl' });
    expect(() => bootstrapFromConfig(packageDir)).toThrow(/ck8s:installMode must be helm or manifests/);

    const { ['ck8s:gitIdentity']: __, ...https } = sshStack;
    setConfig({ ...https, 'ck8s:gitUsername': 'flux', 'ck8s:gitPassword': 'pw' });
    expect(() => bootstrapFromConfig(packageDir)).toThrow(/over SSH: gitCredentials need identity and knownHosts/);
  });
});
