import type { Component } from '../lib/component';
import { falco } from '../falco';
import { fluentBit } from '../fluent-bit';
import { gatekeeper } from '../gatekeeper';
import { gatekeeperConstraints } from '../gatekeeper-constraints';
import { kubePrometheusStack } from '../kube-prometheus-stack';
import { trivyOperator } from '../trivy-operator';
import { velero } from '../velero';

/** See catalog/index.ts: the shared group of the catalog. */
export const SHARED_COMPONENTS: readonly Component[] = [kubePrometheusStack, fluentBit, falco, gatekeeper, gatekeeperConstraints, velero, trivyOperator];
