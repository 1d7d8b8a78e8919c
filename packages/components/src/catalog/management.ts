import type { Component } from '../lib/component';
import { dex } from '../dex';
import { harbor } from '../harbor';
import { opensearch } from '../opensearch';
import { opensearchDashboards } from '../opensearch-dashboards';
import { opensearchExporter } from '../opensearch-exporter';
import { prometheusBlackboxExporter } from '../prometheus-blackbox-exporter';
import { rcloneSync } from '../rclone-sync';
import { thanos } from '../thanos';
import { userGrafana } from '../user-grafana';

/**
 * See catalog/index.ts: the management group of the catalog. Components here run on the management
 * cluster; the blackbox exporter also runs on workload clusters (its `roles` say so), it is listed
 * here because it probes the endpoints the management cluster serves.
 */
export const MANAGEMENT_COMPONENTS: readonly Component[] = [
  dex,
  thanos,
  userGrafana,
  opensearch,
  opensearchDashboards,
  opensearchExporter,
  harbor,
  prometheusBlackboxExporter,
  rcloneSync,
];
