import { defineAlertGroup } from '../lib/alerts/rules';

/** A counter of one Fluent Bit pod's output, growing by `perMinute`. */
const counter = (metric: string, perMinute: number, points = 60) => ({
  series: `${metric}{pod="fluent-bit-abcde",name="opensearch.0"}`,
  values: `0+${perMinute}x${points}`,
});

/** The log shipper on every node of this cluster (metrics of each Fluent Bit pod, per output). */
export const FLUENT_BIT_ALERTS = defineAlertGroup<Record<string, never>>({
  name: 'fluent-bit',
  title: 'Log shipping (Fluent Bit)',
  example: {},
  alerts: [
    {
      alert: 'FluentBitOutputErrors',
      severity: 'warning',
      summary: 'Fluent Bit output {{ $labels.name }} on {{ $labels.pod }} fails to deliver',
      description:
        'The output {{ $labels.name }} of {{ $labels.pod }} has returned errors for 15 minutes: the destination (OpenSearch or object ' +
        'storage) refuses or cannot be reached; chunks are kept in the buffer and retried.',
      expr: () => 'sum by (pod, name) (rate(fluentbit_output_errors_total[5m])) > 0',
      for: '15m',
      tests: {
        fires: { series: [counter('fluentbit_output_errors_total', 2)], at: '30m', labels: { pod: 'fluent-bit-abcde', name: 'opensearch.0' } },
        silent: { series: [counter('fluentbit_output_errors_total', 0)], at: '30m' },
      },
    },
    {
      alert: 'FluentBitOutputRetrying',
      severity: 'warning',
      summary: 'Fluent Bit output {{ $labels.name }} on {{ $labels.pod }} keeps retrying',
      description:
        'The output {{ $labels.name }} of {{ $labels.pod }} has retried chunks for 30 minutes without catching up: logs reach the ' +
        'destination late and the disk buffer grows.',
      expr: () => 'sum by (pod, name) (rate(fluentbit_output_retries_total[5m])) > 0.1',
      for: '30m',
      tests: {
        fires: { series: [counter('fluentbit_output_retries_total', 12)], at: '45m', labels: { pod: 'fluent-bit-abcde', name: 'opensearch.0' } },
        silent: { series: [counter('fluentbit_output_retries_total', 1)], at: '45m' },
      },
    },
    {
      alert: 'FluentBitRecordsDropped',
      severity: 'critical',
      summary: 'Fluent Bit on {{ $labels.pod }} dropped log records',
      description:
        'The output {{ $labels.name }} of {{ $labels.pod }} dropped records in the last 10 minutes (retries exhausted, buffer limit ' +
        'reached, or records refused as invalid): these logs are lost.',
      expr: () => 'sum by (pod, name) (increase(fluentbit_output_dropped_records_total[10m]) + increase(fluentbit_output_retries_failed_total[10m])) > 0',
      tests: {
        fires: {
          series: [counter('fluentbit_output_dropped_records_total', 5), counter('fluentbit_output_retries_failed_total', 0)],
          at: '20m',
          labels: { pod: 'fluent-bit-abcde', name: 'opensearch.0' },
        },
        silent: { series: [counter('fluentbit_output_dropped_records_total', 0), counter('fluentbit_output_retries_failed_total', 0)], at: '20m' },
      },
    },
    {
      alert: 'FluentBitBufferFilling',
      severity: 'warning',
      summary: 'The disk buffer of Fluent Bit output {{ $labels.name }} on {{ $labels.pod }} is almost full',
      description:
        'Less than 20 % of the buffer of output {{ $labels.name }} on {{ $labels.pod }} is free (fluentBit.bufferLimit): when it ' +
        'is full, Fluent Bit drops the oldest chunks.',
      expr: () => 'min by (pod, name) (fluentbit_output_chunk_available_capacity_percent) < 20',
      for: '15m',
      tests: {
        fires: {
          series: [{ series: 'fluentbit_output_chunk_available_capacity_percent{pod="fluent-bit-abcde",name="opensearch.0"}', values: '100 50 15x30' }],
          at: '25m',
          labels: { pod: 'fluent-bit-abcde', name: 'opensearch.0' },
        },
        silent: {
          series: [{ series: 'fluentbit_output_chunk_available_capacity_percent{pod="fluent-bit-abcde",name="opensearch.0"}', values: '100 50 25x30' }],
          at: '25m',
        },
      },
    },
  ],
});
