import type { LogStream } from '../lib/wiring';

/**
 * Fluent Bit's classic configuration, built from small typed sections so tests can look at the
 * pipeline instead of at strings. Keys are written in the order given.
 */
export type Section = { kind: 'INPUT' | 'FILTER' | 'OUTPUT'; props: [string, string | number][] };

export function section(kind: Section['kind'], props: Record<string, string | number | undefined>): Section {
  return { kind, props: Object.entries(props).filter((e): e is [string, string | number] => e[1] !== undefined && e[1] !== '') };
}

export function renderSections(sections: Section[]): string {
  return sections.map((s) => [`[${s.kind}]`, ...s.props.map(([k, v]) => `    ${k} ${v}`)].join('\n')).join('\n') + '\n';
}

/** Host state (tail positions, filesystem buffers) survives pod restarts on this hostPath. */
export const STATE_DIR = '/var/lib/fluent-bit';

/** Service settings: metrics and health on 2020, filesystem buffering under the host state directory. */
export function serviceSection(): string {
  const props: [string, string | number][] = [
    ['Daemon', 'Off'],
    ['Flush', 1],
    ['Log_Level', 'info'],
    ['Parsers_File', '/fluent-bit/etc/parsers.conf'],
    ['Parsers_File', '/fluent-bit/etc/conf/custom_parsers.conf'],
    ['HTTP_Server', 'On'],
    ['HTTP_Listen', '0.0.0.0'],
    ['HTTP_Port', 2020],
    ['Health_Check', 'On'],
    ['storage.path', `${STATE_DIR}/buffer/`],
    ['storage.sync', 'normal'],
    ['storage.backlog.mem_limit', '16M'],
  ];
  return ['[SERVICE]', ...props.map(([k, v]) => `    ${k} ${v}`)].join('\n') + '\n';
}

/** Tags per log stream: the routing key between inputs and outputs. */
export const TAGS: Record<LogStream, string> = { kubernetes: 'kube.*', kubeaudit: 'kubeaudit.*', authlog: 'authlog.*' };

export interface InputPaths {
  auditLogPath: string;
  authLogPaths: string[];
}

export function inputs(p: InputPaths): Section[] {
  const tail = (alias: string, tag: string, path: string, extra: Record<string, string | number>) =>
    section('INPUT', {
      Name: 'tail',
      Alias: alias,
      Tag: tag,
      Path: path,
      DB: `${STATE_DIR}/${alias}.db`,
      'DB.locking': 'true',
      Mem_Buf_Limit: '50MB',
      Skip_Long_Lines: 'On',
      Refresh_Interval: 10,
      'storage.type': 'filesystem',
      ...extra,
    });
  return [
    tail('containers', TAGS.kubernetes, '/var/log/containers/*.log', { 'multiline.parser': 'cri, docker' }),
    // Audit events can be large (request and response bodies).
    tail('kubeaudit', TAGS.kubeaudit, p.auditLogPath, { Parser: 'json', Buffer_Max_Size: '1MB' }),
    tail('authlog', TAGS.authlog, p.authLogPaths.join(','), {}),
  ];
}

export function filters(cluster: string): Section[] {
  return [
    section('FILTER', {
      Name: 'kubernetes',
      Match: TAGS.kubernetes,
      Merge_Log: 'On',
      Keep_Log: 'Off',
      'K8S-Logging.Parser': 'On',
      'K8S-Logging.Exclude': 'On',
      Annotations: 'Off',
    }),
    // Every record names its cluster: indices are per cluster, but copies in object storage are not.
    section('FILTER', { Name: 'modify', Match: '*', Add: `cluster ${cluster}` }),
  ];
}

export interface OpensearchTarget {
  host: string;
  port: number;
  /** TLS with certificate verification (always verified when on). */
  tls: boolean;
  /** CA file to verify the server with, when it is not a public CA (the platform's OpenSearch CA). */
  caFile?: string;
  /** Index per stream. */
  index: (stream: LogStream) => string;
  bufferLimit: string;
}

/** One output per stream into OpenSearch, credentials from environment variables (never in the config). */
export function opensearchOutputs(t: OpensearchTarget): Section[] {
  return (Object.keys(TAGS) as LogStream[]).map((stream) =>
    section('OUTPUT', {
      Name: 'opensearch',
      Alias: `opensearch-${stream}`,
      Match: TAGS[stream],
      Host: t.host,
      Port: t.port,
      tls: t.tls ? 'On' : 'Off',
      ...(t.tls ? { 'tls.verify': 'On' } : {}),
      ...(t.tls && t.caFile ? { 'tls.ca_file': t.caFile } : {}),
      HTTP_User: '${OPENSEARCH_USERNAME}',
      HTTP_Passwd: '${OPENSEARCH_PASSWORD}',
      Index: t.index(stream),
      Suppress_Type_Name: 'On',
      Replace_Dots: 'On',
      Trace_Error: 'On',
      // Keep retrying from the filesystem buffer while the management cluster is unreachable.
      Retry_Limit: 'no_limits',
      'storage.total_limit_size': t.bufferLimit,
    }),
  );
}

export type ArchiveTarget =
  | { type: 's3'; bucket: string; region: string; endpoint: string; cluster: string; contentMd5: boolean }
  | { type: 'azure'; container: string; cluster: string };

/** Streams the archive keeps: Kubernetes audit logs (under `<cluster>/`), node auth logs (under `<cluster>/authlog/`). */
export type ArchivedStream = Extract<LogStream, 'kubeaudit' | 'authlog'>;

/**
 * A log stream copied as it is to object storage (kept beyond the log store's retention). Objects are
 * gzip-compressed batches of up to 50 MB or 10 minutes, so the archive holds few, large objects.
 * Audit logs keep the key layout they always had; auth logs get a folder of their own.
 */
export function archiveOutput(t: ArchiveTarget, stream: ArchivedStream = 'kubeaudit'): Section {
  const folder = stream === 'kubeaudit' ? t.cluster : `${t.cluster}/${stream}`;
  if (t.type === 'azure') {
    return section('OUTPUT', {
      Name: 'azure_blob',
      Alias: `archive-${stream}`,
      Match: TAGS[stream],
      account_name: '${AZURE_STORAGE_ACCOUNT}',
      shared_key: '${AZURE_STORAGE_KEY}',
      container_name: t.container,
      path: folder,
      blob_type: 'appendblob',
      auto_create_container: 'off',
      tls: 'on',
      Retry_Limit: 'no_limits',
    });
  }
  return section('OUTPUT', {
    Name: 's3',
    Alias: `archive-${stream}`,
    Match: TAGS[stream],
    bucket: t.bucket,
    region: t.region || 'us-east-1',
    endpoint: t.endpoint,
    total_file_size: '50M',
    upload_timeout: '10m',
    use_put_object: 'On',
    compression: 'gzip',
    s3_key_format: `/${folder}/%Y/%m/%d/%H%M%S-$UUID.${stream === 'kubeaudit' ? 'json' : 'log'}.gz`,
    // A bucket with Object Lock accepts a PUT only with a Content-MD5 header.
    ...(t.contentMd5 ? { send_content_md5: 'true' } : {}),
    // Each output buffers in its own directory; the audit logs' stays where it always was.
    store_dir: stream === 'kubeaudit' ? `${STATE_DIR}/s3` : `${STATE_DIR}/s3-${stream}`,
    Retry_Limit: 'no_limits',
  });
}
