import { CLUSTER, RATE, timeseries, type ComponentDashboard } from '../lib/dashboards';

/** Fluent Bit: what each cluster reads and ships, and where shipping fails. */
export const FLUENT_BIT_DASHBOARD: ComponentDashboard = {
  component: 'fluent-bit',
  dashboard: {
    name: 'fluent-bit',
    title: 'Fluent Bit log shipping',
    description: 'Records read, bytes shipped per output, errors, failed retries, dropped records and buffer space on every cluster',
    rows: () => [
      {
        title: 'Throughput',
        panels: [
          timeseries(
            'Records read per second',
            [{ expr: `sum by (cluster) (rate(fluentbit_input_records_total{${CLUSTER}}[${RATE}]))`, legend: '{{cluster}}' }],
            { unit: 'short' },
          ),
          timeseries(
            'Bytes shipped per output',
            [{ expr: `sum by (cluster, name) (rate(fluentbit_output_proc_bytes_total{${CLUSTER}}[${RATE}]))`, legend: '{{cluster}} {{name}}' }],
            { unit: 'Bps' },
          ),
        ],
      },
      {
        title: 'Failures',
        panels: [
          timeseries(
            'Output errors, failed retries and dropped records',
            [
              { expr: `sum by (cluster, name) (rate(fluentbit_output_errors_total{${CLUSTER}}[${RATE}]))`, legend: 'errors {{cluster}} {{name}}' },
              {
                expr: `sum by (cluster, name) (rate(fluentbit_output_retries_failed_total{${CLUSTER}}[${RATE}]))`,
                legend: 'retries failed {{cluster}} {{name}}',
              },
              { expr: `sum by (cluster, name) (rate(fluentbit_output_dropped_records_total{${CLUSTER}}[${RATE}]))`, legend: 'dropped {{cluster}} {{name}}' },
            ],
            { unit: 'short' },
          ),
          timeseries(
            'Buffer space left per output',
            [{ expr: `min by (cluster, name) (fluentbit_output_chunk_available_capacity_percent{${CLUSTER}})`, legend: '{{cluster}} {{name}}' }],
            {
              unit: 'percent',
              min: 0,
              max: 100,
            },
          ),
        ],
      },
    ],
  },
};
