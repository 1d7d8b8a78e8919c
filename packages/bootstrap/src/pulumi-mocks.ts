// Test support: Pulumi mocks that record every registration, with the dependency URNs and options the
// SDK sends to the engine (MockResourceArgs alone carries neither). No CLI, no plugin, no cluster.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { parseAllDocuments } from 'yaml';

export const repoRoot = resolve(__dirname, '..', '..', '..');

export interface Registration {
  type: string;
  name: string;
  urn: string;
  custom: boolean;
  /** Inputs as the engine sees them; secret values stay wrapped (see isRpcSecret). */
  inputs: Record<string, unknown>;
  /** URNs of explicit dependsOn and property dependencies. */
  dependencies: string[];
  retainOnDelete: boolean;
  /** Provider reference (`<urn>::<id>`), when one was set. */
  provider?: string;
}

export interface MockState {
  registrations: Registration[];
  find(type: string, name: string): Registration;
  ofType(type: string): Registration[];
}

export async function installMocks(stack = 'test'): Promise<MockState> {
  const registrations: Registration[] = [];
  const sent = new Map<string, { dependencies: string[]; retainOnDelete: boolean; parent: string }>();
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        const meta = sent.get(`${args.type}::${args.name}`);
        const typePath = meta?.parent ? `${meta.parent.split('::')[2]!.split('$').pop()}$${args.type}` : args.type;
        registrations.push({
          type: args.type,
          name: args.name,
          urn: `urn:pulumi:${stack}::ck8s-bootstrap::${typePath}::${args.name}`,
          custom: args.custom ?? false,
          inputs: args.inputs,
          dependencies: meta?.dependencies ?? [],
          retainOnDelete: meta?.retainOnDelete ?? false,
          provider: args.provider || undefined,
        });
        return { id: args.custom ? `${args.name}-id` : undefined, state: args.inputs };
      },
      call(args) {
        // What the kubernetes provider does for yaml.ConfigFile.
        if (args.token === 'kubernetes:yaml:decode') {
          return {
            result: parseAllDocuments(String(args.inputs.text))
              .map((d) => d.toJS())
              .filter((o) => o != null),
          };
        }
        throw new Error(`unexpected invoke ${args.token}`);
      },
    },
    'ck8s-bootstrap',
    stack,
    false,
  );
  const monitor = pulumi.runtime.getMonitor() as unknown as {
    registerResource(req: RegisterRequest, cb: unknown): unknown;
  };
  const original = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, cb) => {
    sent.set(`${req.getType()}::${req.getName()}`, {
      dependencies: req.getDependenciesList(),
      retainOnDelete: req.getRetainondelete() ?? false,
      parent: req.getParent(),
    });
    return original(req, cb);
  };
  return {
    registrations,
    find(type, name) {
      const r = registrations.find((x) => x.type === type && x.name === name);
      if (!r) throw new Error(`no ${type} ${name} registered; have ${registrations.map((x) => `${x.type} ${x.name}`).join(', ')}`);
      return r;
    },
    ofType: (type) => registrations.filter((x) => x.type === type),
  };
}

interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getDependenciesList(): string[];
  getRetainondelete(): boolean | undefined;
}

export function resolved<T>(o: pulumi.Output<T>): Promise<T> {
  return new Promise((res) => o.apply((v) => res(v)));
}

/** Unwraps every secret marker of an engine-side value. */
export function unwrapSecrets(v: unknown): unknown {
  if (pulumi.runtime.isRpcSecret(v)) return unwrapSecrets(pulumi.runtime.unwrapRpcSecret(v));
  if (Array.isArray(v)) return v.map(unwrapSecrets);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unwrapSecrets(x)]));
  return v;
}

/** Every string of an engine-side value that is not inside a secret marker. */
export function plaintextStrings(v: unknown, out: string[] = []): string[] {
  if (pulumi.runtime.isRpcSecret(v)) return out;
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) v.forEach((x) => plaintextStrings(x, out));
  else if (v && typeof v === 'object') Object.values(v).forEach((x) => plaintextStrings(x, out));
  return out;
}

/** The committed sync objects of a shipped example, read independently of the code under test. */
export function committedGotkSync(env: string, cluster: string): Record<string, unknown>[] {
  const text = readFileSync(join(repoRoot, 'clusters', env, cluster, 'flux-system', 'gotk-sync.yaml'), 'utf8');
  return parseAllDocuments(text).map((d) => d.toJS() as Record<string, unknown>);
}
