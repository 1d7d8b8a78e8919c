import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROVIDER_DEFAULTS } from '@ck8s/config';

const FLAVORS = ['dev', 'prod'] as const;
const PROVIDERS = ['exoscale', 'safespring', 'elastx', 'aws', 'azure', 'upcloud'] as const;

/** Swift object storage needs the S3-compatible endpoint in config (the loader refuses it otherwise). */
function needsS3Endpoint(provider: (typeof PROVIDERS)[number]): boolean {
  const storage = PROVIDER_DEFAULTS[provider].storage as { objectStorage?: { type?: string } } | undefined;
  return storage?.objectStorage?.type === 'swift';
}

/** Writes `count` synthetic environments (1 management + 2 workload clusters each) under root/environments. */
export function writeFleet(root: string, count: number): string[] {
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    const name = `fleet-${String(i).padStart(3, '0')}`;
    const flavor = FLAVORS[i % FLAVORS.length];
    const provider = PROVIDERS[i % PROVIDERS.length];
    const dir = join(root, 'environments', name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'config.yaml'),
      [
        'version: 1',
        `flavor: ${flavor}`,
        `provider: ${provider}`,
        `domain: ${name}.example.com`,
        'git:',
        '  url: ssh://git@example.com/fleet.git',
        'clusters:',
        '  - name: management',
        '    role: management',
        '  - name: apps-a',
        '    role: workload',
        '  - name: apps-b',
        '    role: workload',
        'certificates:',
        '  email: ops@example.com',
        ...(flavor === 'prod' ? ['  issuer: letsencrypt-prod'] : []),
        ...(needsS3Endpoint(provider) ? ['storage:', '  objectStorage:', `    s3Endpoint: https://s3.${name}.example.net`] : []),
        '',
      ].join('\n'),
    );
    names.push(name);
  }
  return names;
}
