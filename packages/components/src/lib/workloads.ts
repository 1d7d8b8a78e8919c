import type { K8sObject } from '@ck8s/manifest';
import { meta, RESTRICTED_POD } from './objects';

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
export function platformCronJob(component: string, namespace: string, name: string, schedule: string, pod: JobPod, extraLabels: Record<string, string> = {}): K8sObject {
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
