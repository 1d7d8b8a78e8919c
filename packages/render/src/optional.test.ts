import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { readEnvironmentFiles, resolveEnvironment } from '@ck8s/config';
import { CATALOG, configExtensions, ENDPOINT_INFO, endpoints, settingsKey, type Endpoints } from '@ck8s/components';
import { repoRoot } from '@ck8s/testing';
import { renderEnvironment } from './layout';
import { readSecretFiles } from './workspace';

/** Plumbing the platform cannot run without; everything else can be switched off. */
const ESSENTIAL = new Set(['namespaces', 'cert-manager', 'ingress']);
const SYSTEM_NAMESPACES = new Set(['kube-system', 'flux-system', 'default']);
const ENV = 'example-dev';

describe('turning every optional component off', () => {
  const dir = join(repoRoot, 'environments', ENV);
  const files = readEnvironmentFiles(dir);
  const optional = CATALOG.filter((c) => !ESSENTIAL.has(c.name));
  const off = Object.fromEntries(optional.map((c) => [settingsKey(c.name), { enabled: false }]));
  files['config.yaml'] = `${files['config.yaml'].replace(/^components:[\s\S]*?(?=^\S|$(?![\s\S]))/m, '')}\n${YAML.stringify({ components: off })}`;
  const result = resolveEnvironment(ENV, files, configExtensions());
  if (!result.environment) throw new Error(result.errors.map((e) => `${e.file}:${e.line} ${e.keyPath}: ${e.message}`).join('\n'));
  const env = result.environment;
  const rendered = renderEnvironment({ env, secrets: readSecretFiles(dir) }, CATALOG);
  // What reviewers and Flux read; the docs README names components on purpose and is left out.
  const text = [...rendered]
    .filter(([p]) => !p.endsWith('README.md'))
    .map(([, t]) => t)
    .join('\n');

  it('renders only the essential components', () => {
    const components = new Set([...rendered.keys()].map((p) => /\/components\/([^/]+)\//.exec(p)?.[1]).filter(Boolean));
    expect([...components].sort()).toEqual([...ESSENTIAL].sort());
  });

  it('leaves no dependsOn, namespace, service address or endpoint of a disabled component behind', () => {
    const hosts = endpoints(env);
    for (const c of optional) {
      expect(text, `dependsOn ${c.name}`).not.toMatch(new RegExp(`- name: ${c.name}(-config)?\\n`));
      if (!SYSTEM_NAMESPACES.has(c.namespace)) {
        for (const ref of [`kubernetes.io/metadata.name: ${c.namespace}\n`, `.${c.namespace}.svc`, `namespace: ${c.namespace}\n`, `.${c.namespace}:`]) {
          expect(text.includes(ref), `${c.name}: ${ref.trim()}`).toBe(false);
        }
      }
      for (const [k, info] of Object.entries(ENDPOINT_INFO)) {
        if (info.component === c.name) expect(text.includes(hosts[k as keyof Endpoints]), `${c.name}: ${hosts[k as keyof Endpoints]}`).toBe(false);
      }
    }
  });
});
