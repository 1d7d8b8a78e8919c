import { z } from 'zod';
import { flavorPresets } from '../lib/presets';

/** Prometheus/Alertmanager durations: a number and a unit (`12h`, `15d`, `2w`). */
const PromDuration = z.string().regex(/^[0-9]+(ms|s|m|h|d|w|y)$/, { message: 'a Prometheus duration such as "12h", "15d" or "2w"' });
const Quantity = z.string().regex(/^[0-9]+(\.[0-9]+)?(Ki|Mi|Gi|Ti|m|k|M|G|T)?$/, { message: 'a Kubernetes quantity such as "10Gi" or "500m"' });
const ReceiverName = z.string().regex(/^[a-z][a-z0-9-]{0,40}$/, { message: 'a lower-case name: letters, digits and "-"' });

const Receiver = z.strictObject({
  name: ReceiverName.refine((n) => n !== 'null' && !n.startsWith('heartbeat-'), { message: '"null" and "heartbeat-*" are reserved receiver names' }).describe(
    'Receiver name; also the key of its address in the alertmanager-receivers Secret',
  ),
  type: z.enum(['slack', 'opsgenie', 'webhook']).describe('Notification integration'),
  channel: z.string().default('').describe('Slack channel (slack only; empty uses the webhook default)'),
  sendResolved: z.boolean().default(true).describe('Also notify when an alert resolves'),
});

/** Flavor-independent bounds: the smallest retention each flavor may configure. */
export const MIN_RETENTION_DAYS = { dev: 1, prod: 7, 'air-gapped': 7 } as const;

/** Days in a Prometheus duration, for the retention invariant. */
export function durationDays(d: string): number {
  const m = /^([0-9]+)(ms|s|m|h|d|w|y)$/.exec(d);
  if (!m) return 0;
  const perDay: Record<string, number> = { ms: 86_400_000, s: 86_400, m: 1_440, h: 24, d: 1, w: 1 / 7, y: 1 / 365 };
  return Number(m[1]) / perDay[m[2]];
}

export const settings = z.strictObject({
  enabled: z.boolean().default(true).describe('Deploy Prometheus, Alertmanager (and on management the ops Grafana)'),
  prometheus: z
    .strictObject({
      replicas: z.number().int().min(1).max(5).default(1).describe('Prometheus replicas (HA pairs scrape independently)'),
      retention: PromDuration.default('3d').describe('Local TSDB retention; long-term metrics live in Thanos on the management cluster'),
      retentionSize: z.string().default('').describe('Cap on the TSDB size (e.g. "8GB"); empty means no cap'),
      storageSize: Quantity.default('10Gi').describe('Persistent volume per Prometheus replica'),
      memory: Quantity.default('1Gi').describe('Memory request (and limit) per Prometheus replica'),
    })
    .prefault({}),
  capacityAlerts: z
    .strictObject({
      fullWithinHours: z
        .number()
        .int()
        .min(1)
        .max(168)
        .default(24)
        .describe('Alert when a volume or node filesystem is predicted full within this many hours (VolumePredictedFull, NodeDiskPredictedFull)'),
    })
    .prefault({}),
  fluxAlerts: z
    .strictObject({
      notReadyMinutes: z
        .number()
        .int()
        .min(1)
        .default(15)
        .describe('Alert when a Flux Kustomization, HelmRelease or source is not Ready for this long (FluxResourceNotReady)'),
      suspendedHours: z.number().int().min(1).default(24).describe('Alert when a Flux object stays suspended this long (FluxResourceSuspended)'),
    })
    .prefault({}),
  alertmanager: z
    .strictObject({
      replicas: z.number().int().min(1).max(5).default(1).describe('Alertmanager replicas (they gossip to deduplicate)'),
      retention: PromDuration.default('120h').describe('How long silences and notification state are kept'),
      receivers: z.array(Receiver).default([]).describe('Management only: where platform alerts go; addresses live in the alertmanager-receivers Secret'),
      defaultReceiver: z.string().default('').describe('Receiver of alerts no other route takes; empty means the first receiver, or "null" when there is none'),
      clusterReceivers: z
        .record(z.string(), z.string())
        .default({})
        .describe("Receiver per cluster name, overriding defaultReceiver for that cluster's alerts"),
      heartbeat: z
        .strictObject({
          enabled: z
            .boolean()
            .default(false)
            .describe("Dead man's switch: route every cluster's Watchdog alert to a heartbeat URL (alertmanager-heartbeat Secret, one key per cluster)"),
          repeatInterval: PromDuration.default('5m').describe('How often the heartbeat is sent'),
        })
        .prefault({}),
      ingress: z.boolean().default(true).describe('Management only: expose Alertmanager at alertmanager.<opsDomain> so workload clusters can push alerts'),
    })
    .prefault({}),
  grafana: z
    .strictObject({
      enabled: z.boolean().default(true).describe('Management only: the ops Grafana for platform administrators'),
      persistence: z.boolean().default(false).describe("Keep Grafana's database on a persistent volume"),
      adminGroups: z.array(z.string()).default([]).describe('OIDC groups that become Grafana admins (others get Viewer)'),
      editorGroups: z.array(z.string()).default([]).describe('OIDC groups that become Grafana editors'),
    })
    .prefault({}),
});

export type Settings = z.output<typeof settings>;

export const flavorDefaults = flavorPresets({
  production: {
    prometheus: { replicas: 2, retention: '15d', storageSize: '50Gi', memory: '4Gi' },
    alertmanager: { replicas: 2, heartbeat: { enabled: true } },
    grafana: { persistence: true },
  },
});
