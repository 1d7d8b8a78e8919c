import { describe, expect, it } from 'vitest';
import { componentSettings } from '../catalog';
import { chartPin } from '../lib/charts';
import { componentSecrets, expectKeysInChartValues, renderComponent, testEnvironment } from '../testing';
import { KURED_NOTIFY_SECRET, kured } from '.';

type Values = {
  configuration: {
    rebootDays: string[];
    startTime: string;
    endTime: string;
    timeZone: string;
    rebootSentinel: string;
    concurrency: number;
    drainTimeout: string;
    blockingPodSelector: string[];
  };
  extraEnvVars: { name: string; value?: string; valueFrom?: { secretKeyRef: { name: string; key: string } } }[];
  metrics: { create: boolean };
  service: { create: boolean };
};

const enabled = (settings: Record<string, unknown> = {}, flavor: 'dev' | 'prod' | 'air-gapped' = 'dev', extra: Record<string, unknown> = {}) =>
  testEnvironment({ flavor, config: { components: { kured: { enabled: true, ...settings }, ...extra } } });
const render = (env = enabled(), cluster = 'workload') => renderComponent(kured, env, cluster);
const values = (env = enabled(), cluster = 'workload') => render(env, cluster).values as Values;

const secretsOf = (env: ReturnType<typeof enabled>) => componentSecrets(kured, env, 'workload');

describe('kured', () => {
  it('is optional on both roles and disabled by default', () => {
    expect(kured.roles).toEqual(['management', 'workload']);
    for (const flavor of ['dev', 'prod'] as const) {
      for (const c of testEnvironment({ flavor }).clusters) expect(componentSettings(kured, c.settings.components).enabled).toBe(false);
    }
  });

  it('reboots any time in dev and on weeknights in prod', () => {
    expect(values().configuration).toMatchObject({
      rebootDays: ['su', 'mo', 'tu', 'we', 'th', 'fr', 'sa'],
      startTime: '00:00',
      endTime: '23:59',
      drainTimeout: '',
    });
    for (const flavor of ['prod', 'air-gapped'] as const) {
      expect(values(enabled({}, flavor)).configuration).toMatchObject({
        rebootDays: ['mo', 'tu', 'we', 'th'],
        startTime: '02:00',
        endTime: '05:00',
        timeZone: 'UTC',
        drainTimeout: '30m',
      });
    }
  });

  it('takes the window, time zone and sentinel from settings', () => {
    const c = values(
      enabled(
        {
          rebootDays: ['sa'],
          startTime: '1:30',
          endTime: '4:00',
          timeZone: 'Europe/Stockholm',
          rebootSentinel: '/run/reboot-needed',
          blockingPodSelectors: ['app=batch'],
        },
        'prod',
      ),
    ).configuration;
    expect(c).toMatchObject({
      rebootDays: ['sa'],
      startTime: '1:30',
      endTime: '4:00',
      timeZone: 'Europe/Stockholm',
      rebootSentinel: '/run/reboot-needed',
      blockingPodSelector: ['app=batch'],
    });
    expect(values().configuration.rebootSentinel).toBe('/var/run/reboot-required');
  });

  it('rejects malformed windows and sentinels', () => {
    expect(() => enabled({ startTime: '25:00' })).toThrow(/startTime/);
    expect(() => enabled({ rebootDays: ['monday'] })).toThrow(/rebootDays/);
    expect(() => enabled({ rebootSentinel: 'reboot-required' })).toThrow(/rebootSentinel/);
  });

  it('sends no notifications by default', () => {
    expect(values().extraEnvVars).toEqual([]);
    expect(secretsOf(enabled())).toEqual([]);
    expect(render().objects!.map((o) => o.metadata.name)).not.toContain('allow-notifications');
  });

  it('reads the notification URL from a declared Secret when enabled', () => {
    const env = enabled({ notifications: { enabled: true } });
    expect(values(env).extraEnvVars).toEqual([{ name: 'KURED_NOTIFY_URL', valueFrom: { secretKeyRef: { name: KURED_NOTIFY_SECRET, key: 'url' } } }]);
    expect(secretsOf(env)).toEqual([expect.objectContaining({ name: KURED_NOTIFY_SECRET, namespace: 'kured', keys: ['url'] })]);
    expect(render(env).objects!.map((o) => o.metadata.name)).toContain('allow-notifications');
    expect(JSON.stringify(values(env))).not.toMatch(/notifyUrl|slackHookUrl|https?:\/\//);
  });

  it('exposes metrics only with kube-prometheus-stack', () => {
    const off = enabled({}, 'dev', { kubePrometheusStack: { enabled: false } });
    expect(values(off)).toMatchObject({ metrics: { create: false }, service: { create: false } });
    expect(render(off).objects!.map((o) => o.metadata.name)).toEqual(['allow-apiserver']);
    const on = enabled({}, 'dev', { kubePrometheusStack: { enabled: true } });
    expect(values(on)).toMatchObject({ metrics: { create: true }, service: { create: true } });
    expect(render(on).objects!.map((o) => o.metadata.name)).toContain('allow-metrics');
  });

  it('runs privileged: it reboots the node through the host PID namespace', () => {
    expect(kured.podSecurity).toBe('privileged');
  });

  it('sets only keys the kured chart has', () => {
    const pin = chartPin('kured');
    expectKeysInChartValues(values(), pin.chart, pin.version);
    expectKeysInChartValues(values(enabled({ notifications: { enabled: true } }, 'prod', { kubePrometheusStack: { enabled: true } })), pin.chart, pin.version);
  });
});
