import type { K8sObject } from '@ck8s/manifest';
import { meta, RESTRICTED_CONTAINER, RESTRICTED_POD } from './objects';

/**
 * Images of the platform's own Jobs and CronJobs (configuration appliers, backups, copies), pinned by
 * tag in one place: a bump reaches every Job that uses the tool. Never `latest`.
 */
export const JOB_IMAGES = {
  /** curl with a POSIX shell and sed: what the REST API appliers need. */
  curl: 'docker.io/curlimages/curl:8.11.1',
  rclone: 'docker.io/rclone/rclone:1.68.2',
} as const;

/** The pod of a platform Job or CronJob: what differs between them. */
export interface JobPod {
  /** Pod labels; the Job or CronJob carries them too. */
  labels: Record<string, string>;
  /** User, group (and fsGroup) the pod runs as; the rest of the `restricted` profile is fixed. */
  runAs: { runAsUser: number; runAsGroup: number; fsGroup?: number };
  /** Containers, init containers and volumes. */
  spec: Record<string, unknown>;
}

/**
 * Pods of the platform's own Jobs all look alike: `restricted` Pod Security, no service account token
 * (none of them talks to the API server), restarted in place on failure.
 */
function podTemplate(pod: JobPod) {
  return {
    metadata: { labels: pod.labels },
    spec: { restartPolicy: 'OnFailure', automountServiceAccountToken: false, securityContext: { ...RESTRICTED_POD, ...pod.runAs }, ...pod.spec },
  };
}

/** A one-off Job (configuration appliers, named after the digest of what they apply). */
export function platformJob(component: string, namespace: string, name: string, pod: JobPod, backoffLimit = 6): K8sObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: meta(component, name, namespace, pod.labels),
    spec: { backoffLimit, template: podTemplate(pod) },
  };
}

/** A scheduled Job (backups, copies) on UTC time that never overlaps itself and keeps a short history. */
export function platformCronJob(
  component: string,
  namespace: string,
  name: string,
  schedule: string,
  pod: JobPod,
  extraLabels: Record<string, string> = {},
): K8sObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: meta(component, name, namespace, { ...pod.labels, ...extraLabels }),
    spec: {
      schedule,
      timeZone: 'Etc/UTC',
      concurrencyPolicy: 'Forbid',
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 3,
      jobTemplate: { spec: { backoffLimit: 2, template: podTemplate(pod) } },
    },
  };
}

/** What differs between the Jobs that configure a service through its REST API with curl. */
export interface RestApiJob {
  labels: Record<string, string>;
  command: string[];
  /** Credentials, from Secrets. */
  env: Record<string, unknown>[];
  /** Request bodies and scripts mounted into the container. */
  volumeMounts?: Record<string, unknown>[];
  volumes?: Record<string, unknown>[];
}

/**
 * A configuration applier: one small curl container, `restricted`, as the curl image's own user.
 * Name it after the digest of what it applies (`contentHash`), so a change runs it again.
 */
export function restApiJob(component: string, namespace: string, name: string, j: RestApiJob): K8sObject {
  return platformJob(component, namespace, name, {
    labels: j.labels,
    runAs: { runAsUser: 100, runAsGroup: 101 },
    spec: {
      containers: [
        {
          name: 'configure',
          image: JOB_IMAGES.curl,
          command: j.command,
          env: j.env,
          securityContext: RESTRICTED_CONTAINER,
          resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { memory: '64Mi' } },
          ...(j.volumeMounts ? { volumeMounts: j.volumeMounts } : {}),
        },
      ],
      ...(j.volumes ? { volumes: j.volumes } : {}),
    },
  });
}
