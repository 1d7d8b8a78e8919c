import { z } from 'zod';
import type { JsonObject } from '@ck8s/manifest';
import { Duration } from '@ck8s/config';
import { defineComponent } from '../lib/component';
import { allow, resources } from '../lib/objects';
import { egressTo } from '../lib/egress';
import { flavorPresets } from '../lib/presets';

const NS = 'kured';
const METRICS_PORT = 8080;
export const KURED_NOTIFY_SECRET = 'kured-notify';

const DAYS = ['su', 'mo', 'tu', 'we', 'th', 'fr', 'sa'] as const;
const TimeOfDay = z.string().regex(/^([01]?[0-9]|2[0-3]):[0-5][0-9]$/, { message: 'a time of day such as "02:00" or "23:59"' });

/**
 * kured drains and reboots nodes, one at a time, after the OS has installed updates that need a
 * reboot (the sentinel file exists). Security patches only protect once the kernel is restarted;
 * the window keeps reboots to hours when the team can react.
 */
export const kured = defineComponent({
  name: 'kured',
  description: 'Reboots nodes safely after OS security updates (optional)',
  roles: ['management', 'workload'],
  namespace: NS,
  // It enters the host's PID namespace to run the reboot command: only the privileged level allows that.
  podSecurity: 'privileged',
  chart: 'kured',
  dependsOn: ['kube-prometheus-stack'],
  controls: ['MSBFS 2020:7 4 kap. 12 §', 'ISO 27001 A.12.6.1', 'NIST SP 800-171 3.4.5', 'NIST SP 800-171 3.7.1'],
  settings: z.strictObject({
    enabled: z.boolean().default(false).describe('Reboot nodes automatically when the OS asks for it (optional: some providers patch nodes by replacing them)'),
    rebootDays: z
      .array(z.enum(DAYS))
      .min(1)
      .default([...DAYS])
      .describe('Days on which reboots may start'),
    startTime: TimeOfDay.default('00:00').describe('Start of the daily reboot window'),
    endTime: TimeOfDay.default('23:59').describe('End of the daily reboot window'),
    timeZone: z.string().min(1).default('UTC').describe('Time zone of the window (IANA name, e.g. Europe/Stockholm)'),
    period: Duration.default('1h').describe('How often each node checks whether it needs a reboot'),
    concurrency: z.number().int().min(1).max(5).default(1).describe('Nodes rebooted at the same time'),
    rebootSentinel: z
      .string()
      .regex(/^\/[^\s]+$/, { message: 'an absolute path on the node' })
      .default('/var/run/reboot-required')
      .describe('File on the node whose existence means a reboot is needed (Debian/Ubuntu unattended-upgrades write /var/run/reboot-required)'),
    drainTimeout: Duration.or(z.literal('')).default('').describe('Give up draining a node after this long (empty: wait forever, never force)'),
    blockingPodSelectors: z.array(z.string()).default([]).describe('Label selectors of pods whose presence postpones reboots (e.g. long-running batch jobs)'),
    notifications: z
      .strictObject({
        enabled: z.boolean().default(false).describe(`Send drain/reboot messages to the shoutrrr URL in Secret ${KURED_NOTIFY_SECRET} (key "url")`),
      })
      .prefault({})
      .describe('Drain/reboot notifications (off by default: Flux and Alertmanager already report node problems)'),
  }),
  // Production: weeknights only (Monday to Thursday), so a node that fails to come back is handled
  // on a working day, never left until after a weekend; 02:00-05:00 is the quietest traffic.
  defaults: flavorPresets({ production: { rebootDays: ['mo', 'tu', 'we', 'th'], startTime: '02:00', endTime: '05:00', drainTimeout: '30m' } }),
  secrets(ctx) {
    if (!ctx.settings.notifications.enabled) return [];
    return [
      {
        name: KURED_NOTIFY_SECRET,
        namespace: NS,
        keys: ['url'],
        description: 'Notification target for kured in shoutrrr URL form (its token makes it a secret)',
        generate: { url: { type: 'user', hint: 'shoutrrr URL, e.g. slack://token@channel or teams://...' } },
      },
    ];
  },
  render(ctx) {
    const { settings: s, cluster } = ctx;
    const monitored = ctx.isEnabled('kube-prometheus-stack');
    const configuration: JsonObject = {
      rebootDays: s.rebootDays,
      startTime: s.startTime,
      endTime: s.endTime,
      timeZone: s.timeZone,
      period: s.period,
      concurrency: s.concurrency,
      rebootSentinel: s.rebootSentinel,
      blockingPodSelector: s.blockingPodSelectors,
      drainTimeout: s.drainTimeout,
      metricsPort: METRICS_PORT,
      logFormat: 'json',
    };
    return {
      values: {
        configuration,
        // The URL embeds a token, so it comes from a Secret through kured's KURED_* environment variables, never from values.
        extraEnvVars: s.notifications.enabled ? [{ name: 'KURED_NOTIFY_URL', valueFrom: { secretKeyRef: { name: KURED_NOTIFY_SECRET, key: 'url' } } }] : [],
        resources: resources('10m', '32Mi', '64Mi'),
        service: { create: monitored },
        metrics: { create: monitored },
      },
      objects: [
        allow.apiServer('kured', cluster, NS),
        ...(s.notifications.enabled ? [egressTo('kured', cluster, 'notifications', NS, 'allow-notifications', [{ port: 443 }])] : []),
        ...(monitored ? [allow.fromMonitoring('kured', NS, [{ port: METRICS_PORT }])] : []),
      ],
    };
  },
});
