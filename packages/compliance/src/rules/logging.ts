import { bucketName, LOG_STREAMS, logIndex, objectStorage } from '@ck8s/components';
import { MIN_PROD_RETENTION_DAYS } from '@ck8s/components/src/opensearch';
import { filesOf, Findings, key, managementOf, requireComponent, setting } from '../input';
import type { EvidenceInput, EvidenceRule } from '../types';

/** Shortest log-store retention a claimed logging control accepts: the production floor of the opensearch component. */
export const LOG_RETENTION_MIN_DAYS = MIN_PROD_RETENTION_DAYS;

const valuesText = (input: EvidenceInput, cluster: string, component: string) =>
  JSON.stringify(input.clusters.find((c) => c.cluster.name === cluster)?.components.find((p) => p.component.name === component)?.output.values ?? {});

/**
 * Every cluster collects container, Kubernetes audit and node authentication logs (Fluent Bit) into
 * the log store on the management cluster (OpenSearch), one index per stream and cluster: the logs
 * leave the cluster they describe, so an intruder there cannot erase them.
 */
export const logsCollected: EvidenceRule = {
  id: 'logs-collected',
  components: ['fluent-bit', 'opensearch'],
  title: "every cluster ships container, audit and authentication logs to the management cluster's log store",
  check(input) {
    const f = new Findings();
    const m = managementOf(input);
    if (m && requireComponent(f, input, m, 'opensearch', 'The log store (OpenSearch)'))
      f.saw('OpenSearch stores the logs on the management cluster', filesOf(input, m.cluster.name, 'opensearch', 'values.yaml'));
    for (const c of input.clusters) {
      const name = c.cluster.name;
      if (!requireComponent(f, input, c, 'fluent-bit', 'Log collection (Fluent Bit)')) continue;
      const text = valuesText(input, name, 'fluent-bit');
      const missing = LOG_STREAMS.filter((s) => !text.includes(logIndex(s, name)));
      if (missing.length) f.gap(`Fluent Bit writes no ${missing.join(', ')} index`, key('fluent-bit', 'enabled'), 'true (incomplete output)', true, name);
      else
        f.saw(
          `${name}: Fluent Bit ships to the indices ${LOG_STREAMS.map((s) => logIndex(s, name)).join(', ')}`,
          filesOf(input, name, 'fluent-bit', 'values.yaml'),
          [key('fluent-bit', 'enabled')],
        );
    }
    return f.outcome();
  },
};

/** Kubernetes audit logs are also copied to an object storage bucket, kept beyond the log store's retention. */
export const auditLogsArchived: EvidenceRule = {
  id: 'audit-logs-archived',
  components: ['fluent-bit'],
  title: 'Kubernetes audit logs are archived to object storage on every cluster',
  check(input) {
    const f = new Findings();
    for (const c of input.clusters) {
      const name = c.cluster.name;
      if (!requireComponent(f, input, c, 'fluent-bit', 'Log collection (Fluent Bit)')) continue;
      const type = objectStorage(c.cluster).type;
      if (setting(c.cluster, 'fluent-bit', 'auditToObjectStorage') !== true)
        f.gap('Audit logs are not archived', key('fluent-bit', 'auditToObjectStorage'), false, true, name);
      else if (type === 'none') f.gap('Audit logs have no object storage to go to', 'storage.objectStorage.type', type, 's3', name);
      else {
        const bucket = bucketName(input.env, c.cluster, 'audit');
        if (valuesText(input, name, 'fluent-bit').includes(bucket))
          f.saw(`${name}: audit logs are copied to bucket ${bucket}`, filesOf(input, name, 'fluent-bit', 'values.yaml'), [
            key('fluent-bit', 'auditToObjectStorage'),
          ]);
        else f.gap('Fluent Bit renders no audit archive output', key('fluent-bit', 'auditToObjectStorage'), 'true (no output)', true, name);
      }
    }
    return f.outcome();
  },
};

/** Log indices stay searchable long enough for an investigation. */
export const logRetention: EvidenceRule = {
  id: 'log-retention',
  components: ['opensearch'],
  title: `logs stay searchable for at least ${LOG_RETENTION_MIN_DAYS} days`,
  check(input) {
    const f = new Findings();
    const m = managementOf(input);
    if (!m || !requireComponent(f, input, m, 'opensearch', 'The log store (OpenSearch)')) return f.outcome();
    const days = setting(m.cluster, 'opensearch', 'retentionDays');
    if (typeof days !== 'number' || days < LOG_RETENTION_MIN_DAYS)
      f.gap(`Log retention is below ${LOG_RETENTION_MIN_DAYS} days`, key('opensearch', 'retentionDays'), days, LOG_RETENTION_MIN_DAYS, m.cluster.name);
    else
      f.saw(`The index lifecycle deletes log indices after ${days} days`, filesOf(input, m.cluster.name, 'opensearch', 'config/objects.yaml'), [
        key('opensearch', 'retentionDays'),
      ]);
    return f.outcome();
  },
};

/** People review logs in a UI of their own (OpenSearch Dashboards), with single sign-on. */
export const logReview: EvidenceRule = {
  id: 'log-review',
  components: ['opensearch-dashboards'],
  title: 'logs can be searched and reviewed in OpenSearch Dashboards',
  check(input) {
    const f = new Findings();
    const m = managementOf(input);
    if (m && requireComponent(f, input, m, 'opensearch-dashboards', 'OpenSearch Dashboards')) {
      f.saw('OpenSearch Dashboards serves log search and review', filesOf(input, m.cluster.name, 'opensearch-dashboards', 'values.yaml'), [
        key('opensearch-dashboards', 'enabled'),
      ]);
    }
    return f.outcome();
  },
};
