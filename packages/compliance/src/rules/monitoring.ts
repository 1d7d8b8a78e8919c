import { filesOf, Findings, key, managementOf, requireComponent, setting } from '../input';
import type { EvidenceRule } from '../types';

/** Shortest raw-metrics retention in long-term storage for claimed monitoring controls: a month of trends. */
export const METRICS_RETENTION_MIN_DAYS = 30;

/**
 * Alerts reach people: the management Alertmanager has a receiver (Slack, Opsgenie or a webhook), and
 * every workload cluster's Prometheus evaluates the platform's rules and sends there.
 */
export const alertingRouted: EvidenceRule = {
  id: 'alerting-routed',
  components: ['kube-prometheus-stack'],
  title: 'alerts from every cluster are routed to a receiver people watch',
  check(input) {
    const f = new Findings();
    const m = managementOf(input);
    for (const c of input.clusters) requireComponent(f, input, c, 'kube-prometheus-stack', 'Monitoring and alerting (kube-prometheus-stack)');
    if (!m || !input.clusters.length) return f.outcome();
    const receivers = (setting(m.cluster, 'kube-prometheus-stack', 'alertmanager.receivers') as { name: string; type: string }[] | undefined) ?? [];
    if (!receivers.length)
      f.gap(
        'Alertmanager has no receiver: alerts reach nobody',
        key('kube-prometheus-stack', 'alertmanager.receivers'),
        [],
        '[{ name: ops, type: slack | opsgenie | webhook }]',
        m.cluster.name,
      );
    else if (input.clusters.every((c) => c.components.some((p) => p.component.name === 'kube-prometheus-stack'))) {
      f.saw(
        `The management Alertmanager routes alerts of ${input.clusters.map((c) => c.cluster.name).join(', ')} ` +
          `to ${receivers.map((r) => `${r.name} (${r.type})`).join(', ')}`,
        filesOf(input, m.cluster.name, 'kube-prometheus-stack', 'values.yaml'),
        [key('kube-prometheus-stack', 'alertmanager.receivers')],
      );
    }
    return f.outcome();
  },
};

/** A silent monitoring pipeline is noticed: every cluster's Watchdog goes to an external heartbeat. */
export const deadMansSwitch: EvidenceRule = {
  id: 'dead-mans-switch',
  components: ['kube-prometheus-stack'],
  title: "a dead man's switch notices when a cluster's alerting goes silent",
  check(input) {
    const f = new Findings();
    const m = managementOf(input);
    if (!m || !requireComponent(f, input, m, 'kube-prometheus-stack', 'Monitoring and alerting (kube-prometheus-stack)')) return f.outcome();
    if (setting(m.cluster, 'kube-prometheus-stack', 'alertmanager.heartbeat.enabled') === true)
      f.saw("Every cluster's Watchdog alert goes to a heartbeat URL", filesOf(input, m.cluster.name, 'kube-prometheus-stack', 'values.yaml'), [
        key('kube-prometheus-stack', 'alertmanager.heartbeat.enabled'),
      ]);
    else f.gap("No dead man's switch", key('kube-prometheus-stack', 'alertmanager.heartbeat.enabled'), false, true, m.cluster.name);
    return f.outcome();
  },
};

/** Resource use is measured on every cluster (Prometheus, metrics-server) for capacity alerts and autoscaling. */
export const capacityMonitored: EvidenceRule = {
  id: 'capacity-monitored',
  components: ['kube-prometheus-stack', 'metrics-server'],
  title: 'resource use is measured and alerted on for every cluster',
  check(input) {
    const f = new Findings();
    for (const c of input.clusters) {
      const prom = requireComponent(f, input, c, 'kube-prometheus-stack', 'Monitoring and alerting (kube-prometheus-stack)');
      const ms = requireComponent(f, input, c, 'metrics-server', 'Resource metrics (metrics-server)');
      if (prom && ms)
        f.saw(
          `${c.cluster.name}: Prometheus with capacity alerts, and metrics-server`,
          [...filesOf(input, c.cluster.name, 'kube-prometheus-stack', 'values.yaml'), ...filesOf(input, c.cluster.name, 'metrics-server', 'values.yaml')],
          [key('kube-prometheus-stack', 'capacityAlerts.fullWithinHours')],
        );
    }
    return f.outcome();
  },
};

/** Metrics of every cluster are kept on the management cluster (Thanos on object storage) for a month or more. */
export const metricsRetained: EvidenceRule = {
  id: 'metrics-retained',
  components: ['thanos'],
  title: `metrics of every cluster are kept centrally for at least ${METRICS_RETENTION_MIN_DAYS} days`,
  check(input) {
    const f = new Findings();
    const m = managementOf(input);
    if (!m || !requireComponent(f, input, m, 'thanos', 'Long-term metrics (Thanos)')) return f.outcome();
    const days = setting(m.cluster, 'thanos', 'retention.rawDays');
    if (typeof days !== 'number' || days < METRICS_RETENTION_MIN_DAYS)
      f.gap(
        `Raw metrics are kept less than ${METRICS_RETENTION_MIN_DAYS} days`,
        key('thanos', 'retention.rawDays'),
        days,
        METRICS_RETENTION_MIN_DAYS,
        m.cluster.name,
      );
    else
      f.saw(
        `Thanos keeps raw metrics ${days} days, 5-minute downsamples ${setting(m.cluster, 'thanos', 'retention.fiveMinuteDays')} days, ` +
          `1-hour ${setting(m.cluster, 'thanos', 'retention.oneHourDays')} days`,
        filesOf(input, m.cluster.name, 'thanos', 'values.yaml'),
        [key('thanos', 'retention.rawDays')],
      );
    return f.outcome();
  },
};

/** Falco watches every node's system calls and alerts on suspicious runtime behaviour. */
export const intrusionDetection: EvidenceRule = {
  id: 'intrusion-detection',
  components: ['falco'],
  title: 'runtime intrusion detection (Falco) runs on every cluster',
  check(input) {
    const f = new Findings();
    for (const c of input.clusters) {
      if (requireComponent(f, input, c, 'falco', 'Intrusion detection (Falco)'))
        f.saw(
          `${c.cluster.name}: Falco on every node, events at priority ${setting(c.cluster, 'falco', 'alertPriority')} and above alert`,
          filesOf(input, c.cluster.name, 'falco', 'values.yaml'),
          [key('falco', 'enabled')],
        );
    }
    return f.outcome();
  },
};

/** Trivy operator scans every cluster's running images for known vulnerabilities. */
export const vulnerabilityScanning: EvidenceRule = {
  id: 'vulnerability-scanning',
  components: ['trivy-operator'],
  title: 'running images are scanned for known vulnerabilities on every cluster',
  check(input) {
    const f = new Findings();
    for (const c of input.clusters) {
      const name = c.cluster.name;
      if (!requireComponent(f, input, c, 'trivy-operator', 'Vulnerability scanning (Trivy operator)')) continue;
      if (setting(c.cluster, 'trivy-operator', 'vulnerabilityScanner') !== true)
        f.gap('The image vulnerability scanner is off', key('trivy-operator', 'vulnerabilityScanner'), false, true, name);
      else
        f.saw(`${name}: Trivy operator writes VulnerabilityReports for every workload`, filesOf(input, name, 'trivy-operator', 'values.yaml'), [
          key('trivy-operator', 'vulnerabilityScanner'),
        ]);
    }
    return f.outcome();
  },
};

/** Nodes reboot into patched kernels and libraries on their own (kured), one at a time. */
export const patchesApplied: EvidenceRule = {
  id: 'patches-applied',
  components: ['kured'],
  title: 'nodes reboot automatically when OS updates need it (kured)',
  check(input) {
    const f = new Findings();
    for (const c of input.clusters) {
      if (requireComponent(f, input, c, 'kured', 'Automatic node reboots (kured)'))
        f.saw(`${c.cluster.name}: kured reboots nodes that need it, one at a time`, filesOf(input, c.cluster.name, 'kured', 'values.yaml'), [
          key('kured', 'enabled'),
        ]);
    }
    return f.outcome();
  },
};

/** Public endpoints are probed (availability and certificate expiry). */
export const endpointsProbed: EvidenceRule = {
  id: 'endpoints-probed',
  components: ['prometheus-blackbox-exporter'],
  title: "the platform's endpoints are probed for availability and certificate expiry",
  check(input) {
    const f = new Findings();
    const m = managementOf(input);
    if (m && requireComponent(f, input, m, 'prometheus-blackbox-exporter', 'Endpoint probes (blackbox exporter)'))
      f.saw(
        'The blackbox exporter probes every public endpoint and its certificate',
        filesOf(input, m.cluster.name, 'prometheus-blackbox-exporter', 'config/objects.yaml'),
        [key('prometheus-blackbox-exporter', 'enabled')],
      );
    return f.outcome();
  },
};
