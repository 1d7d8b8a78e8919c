import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { deepMerge } from '@ck8s/config';
import { sharedDir } from '@ck8s/testing';

/**
 * Test support: compliantkubernetes-apps config paths built from the release's own config folder
 * (../shared/ck8s-apps/v0.50.1/config) the way `ck8s init` builds them, plus override files with
 * the values an operator of such an environment sets.
 */

export const CK8S_RELEASE = 'v0.50.1';
export const ck8sConfigDir = (...parts: string[]) => sharedDir('ck8s-apps', CK8S_RELEASE, 'config', ...parts);

export interface InitOptions {
  /** $CK8S_CONFIG_PATH to create. */
  dir: string;
  envName: string;
  flavor: 'dev' | 'prod' | 'air-gapped';
  provider: string;
  installer?: 'kubespray' | 'capi';
  version?: string;
  /** Cluster kinds whose defaults to write (ck8s init writes all three files). */
  kinds?: ('sc' | 'wc')[];
}

/** envsubst of the variables ck8s init exports (everything else, like `$${q}` in Grafana's CSP, stays). */
function envsubst(text: string, vars: Record<string, string>): string {
  return text.replace(/\$\{([A-Z0-9_]+)\}/g, (m, name: string) => vars[name] ?? m);
}

/**
 * `ck8s init`: defaults/<name>-config.yaml is config/<name>-config.yaml ◀ flavors/<flavor>/ ◀
 * k8s-installers/<installer>/ ◀ providers/<provider>/ (each layer where the file exists), envsubst'ed;
 * the override files start empty.
 */
export function ck8sInit(o: InitOptions): void {
  const installer = o.installer ?? 'kubespray';
  const vars = {
    CK8S_VERSION: o.version ?? CK8S_RELEASE,
    CK8S_CLOUD_PROVIDER: o.provider,
    CK8S_ENVIRONMENT_NAME: o.envName,
    CK8S_FLAVOR: o.flavor,
    CK8S_K8S_INSTALLER: installer,
  };
  mkdirSync(join(o.dir, 'defaults'), { recursive: true });
  for (const name of ['common', ...(o.kinds ?? ['sc', 'wc'])]) {
    const layers = ['', `flavors/${o.flavor}/`, `k8s-installers/${installer}/`, `providers/${o.provider}/`]
      .map((d) => ck8sConfigDir(`${d}${name}-config.yaml`))
      .filter(existsSync)
      .map((f) => YAML.parse(envsubst(readFileSync(f, 'utf8'), vars), { merge: true }) ?? {});
    writeFileSync(join(o.dir, 'defaults', `${name}-config.yaml`), YAML.stringify(deepMerge(...layers), { lineWidth: 0 }));
    writeFileSync(join(o.dir, `${name}-config.yaml`), `# ${name} overrides\n`);
  }
}

/** Merges `values` into an override file of the config path (a map merge, as an operator edits it). */
export function override(dir: string, file: 'common' | 'sc' | 'wc', values: Record<string, unknown>): void {
  const path = join(dir, `${file}-config.yaml`);
  const current = YAML.parse(readFileSync(path, 'utf8')) ?? {};
  writeFileSync(path, YAML.stringify(deepMerge(current, values), { lineWidth: 0 }));
}

/** What the operator of environment `domain` sets in every config path (the values ck8s requires). */
export function operatorCommon(o: { domain: string; provider: string; s3?: { region: string; endpoint: string } }): Record<string, unknown> {
  return {
    global: { baseDomain: o.domain, opsDomain: `ops.${o.domain}` },
    ...(o.s3 ? { objectStorage: { s3: { region: o.s3.region, regionEndpoint: o.s3.endpoint } } } : {}),
    issuers: { letsencrypt: { prod: { email: `platform@${o.domain}` }, staging: { email: `platform@${o.domain}` } } },
    clusterAdmin: { users: [`alice@${o.domain}`], groups: ['platform-admins'] },
    opa: { imageRegistry: { URL: [`harbor.${o.domain}`, 'registry.example.org/acme', 'quay.io/jetstack/cert-manager-acmesolver'] } },
    networkPolicies: {
      global: {
        objectStorage: { ips: ['198.51.100.10/32'], ports: [443] },
        scIngress: { ips: ['198.51.100.20/32'] },
        wcIngress: { ips: ['198.51.100.30/32'] },
      },
      alertmanager: { alertReceivers: { ips: ['0.0.0.0/0'] } },
    },
  };
}

export function operatorSc(o: { domain: string }): Record<string, unknown> {
  return {
    grafana: { ops: { oidc: { allowedDomains: [o.domain] } }, user: { oidc: { allowedDomains: [o.domain] } } },
    harbor: { oidc: { adminGroupName: 'platform-admins' } },
    opensearch: {
      extraRoleMappings: [
        { mapping_name: 'all_access', definition: { backend_roles: ['platform-admins'] } },
        { mapping_name: 'kubernetes_log_reader', definition: { backend_roles: ['developers'] } },
      ],
    },
    networkPolicies: {
      global: { scApiserver: { ips: ['10.0.10.0/24'] }, scNodes: { ips: ['10.0.10.0/24'] } },
      monitoring: { grafana: { externalDashboardProvider: { ips: ['0.0.0.0/0'] } } },
    },
  };
}

export function operatorWc(o: { namespaces: string[]; apiserver: string }): Record<string, unknown> {
  return {
    user: { namespaces: o.namespaces, adminUsers: ['bob@example.org'], adminGroups: ['team-admins'] },
    networkPolicies: { global: { wcApiserver: { ips: [o.apiserver] }, wcNodes: { ips: [o.apiserver] } } },
  };
}

/** Every leaf key of a cluster kind's effective config, computed here from the files, independently of the importer. */
export function fixtureLeafKeys(dir: string, kind: 'sc' | 'wc'): string[] {
  const files = [`defaults/common-config.yaml`, `defaults/${kind}-config.yaml`, 'common-config.yaml', `${kind}-config.yaml`];
  const merged = deepMerge(...files.map((f) => YAML.parse(readFileSync(join(dir, f), 'utf8'), { merge: true }) ?? {}));
  const out: string[] = [];
  const walk = (v: unknown, path: string[]) => {
    if (v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length) for (const [k, x] of Object.entries(v)) walk(x, [...path, k]);
    else out.push(path.map((s, i) => (/^[A-Za-z0-9_-]+$/.test(s) ? `${i ? '.' : ''}${s}` : `[${JSON.stringify(s)}]`)).join(''));
  };
  walk(merged, []);
  return out;
}

/** S3 endpoints operators of these providers set (safespring and elastx ship theirs in the provider layer). */
const S3: Record<string, { region: string; endpoint: string } | undefined> = {
  exoscale: { region: 'ch-gva-2', endpoint: 'https://sos-ch-gva-2.exo.io' },
  aws: { region: 'eu-north-1', endpoint: 'https://s3.eu-north-1.amazonaws.com' },
  upcloud: { region: 'europe-1', endpoint: 'https://acme.de-fra1.upcloudobjects.com' },
  openstack: { region: 'RegionOne', endpoint: 'https://object.example.org' },
  citycloud: { region: 'Sto2', endpoint: 'https://s3-sto2.citycloud.com:8080' },
};

export interface OperatorPathOptions extends Omit<InitOptions, 'envName'> {
  envName?: string;
  domain?: string;
  namespaces?: string[];
  apiserver?: string;
  /** Extra override values per file, merged last. */
  common?: Record<string, unknown>;
  sc?: Record<string, unknown>;
  wc?: Record<string, unknown>;
}

/** A config path as a running environment has it: `ck8s init`, then every value ck8s requires set by the operator. */
export function operatorConfigPath(o: OperatorPathOptions): string {
  const envName = o.envName ?? 'acme';
  const domain = o.domain ?? `${envName}.example.com`;
  const kinds = o.kinds ?? ['sc', 'wc'];
  ck8sInit({ ...o, envName, kinds });
  override(o.dir, 'common', operatorCommon({ domain, provider: o.provider, s3: S3[o.provider] }));
  if (kinds.includes('sc')) override(o.dir, 'sc', operatorSc({ domain }));
  if (kinds.includes('wc')) override(o.dir, 'wc', operatorWc({ namespaces: o.namespaces ?? ['team-a', 'team-b'], apiserver: o.apiserver ?? '10.0.20.0/24' }));
  for (const f of ['common', 'sc', 'wc'] as const) if (o[f] && (f === 'common' || kinds.includes(f))) override(o.dir, f, o[f]!);
  return o.dir;
}
