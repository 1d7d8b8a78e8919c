import { describe, expect, it } from 'vitest';
import { componentSecrets, renderComponent, testEnvironment } from '../testing';
import { platformBuckets, rcloneSync } from '.';

type CronJob = {
  metadata: { name: string; labels: Record<string, string> };
  spec: { schedule: string; jobTemplate: { spec: { template: { spec: { containers: { image: string; args: string[] }[] } } } } };
};
const env = (components: Record<string, unknown> = {}, o: Parameters<typeof testEnvironment>[0] = {}) =>
  testEnvironment({ workloadClusters: ['a', 'b', 'c'], ...o, config: { components: { rcloneSync: { enabled: true }, ...components } } });
const cronJobs = (e = env()) => renderComponent(rcloneSync, e, 'management').objects!.filter((o) => o.kind === 'CronJob') as unknown as CronJob[];

describe('rclone-sync', () => {
  it('is off by default', () => {
    const e = testEnvironment();
    const mgmt = e.clusters.find((c) => c.name === 'management')!;
    expect((mgmt.settings.components as Record<string, { enabled: boolean }>).rcloneSync.enabled).toBe(false);
  });

  it('copies every platform bucket, one CronJob each', () => {
    const buckets = platformBuckets(env());
    expect(buckets).toEqual(expect.arrayContaining(['test-env-thanos', 'test-env-opensearch', 'test-env-harbor']));
    const jobs = cronJobs();
    expect(jobs.map((j) => j.metadata.labels['ck8s.io/bucket']).sort()).toEqual(buckets);
    const thanos = jobs.find((j) => j.metadata.name === 'rclone-sync-thanos')!;
    expect(thanos.spec.jobTemplate.spec.template.spec.containers[0].args.slice(0, 3)).toEqual(['sync', 'source:test-env-thanos', 'offsite:test-env-thanos']);
  });

  it('drops the buckets of disabled components and adds extra ones', () => {
    const buckets = platformBuckets(env({ harbor: { enabled: false }, thanos: { enabled: false } }));
    expect(buckets).not.toContain('test-env-harbor');
    expect(buckets).not.toContain('test-env-thanos');
    const jobs = cronJobs(env({ rcloneSync: { enabled: true, extraBuckets: ['customer-data'], mode: 'copy', destinationPrefix: 'dr-' } }));
    const extra = jobs.find((j) => j.metadata.labels['ck8s.io/bucket'] === 'customer-data')!;
    expect(extra.spec.jobTemplate.spec.template.spec.containers[0].args.slice(0, 3)).toEqual(['copy', 'source:customer-data', 'offsite:dr-customer-data']);
  });

  it('has nothing to copy without object storage', () => {
    expect(platformBuckets(env({}, { provider: 'none' }))).toEqual([]);
  });

  it('pins the rclone image and reads its config from the rclone-config Secret', () => {
    const text = JSON.stringify(cronJobs());
    expect(text).toContain('rclone/rclone:1.68.2');
    expect(text).not.toContain(':latest');
    expect(text).toContain('"secretName":"rclone-config"');
    const req = componentSecrets(rcloneSync, env(), 'management')[0];
    expect(req).toMatchObject({ name: 'rclone-config', namespace: 'rclone', keys: ['rclone.conf'] });
    expect((req.generate!['rclone.conf'] as { hint: string }).hint).toContain('endpoint = sos-ch-gva-2.exo.io');
    // Only the Secret's name is rendered, never its content.
    expect(text).not.toMatch(/access_key_id|secret_access_key/);
  });

  it('uses the schedule from settings', () => {
    expect(cronJobs(env({ rcloneSync: { enabled: true, schedule: '15 1 * * *' } }))[0].spec.schedule).toBe('15 1 * * *');
  });
});
