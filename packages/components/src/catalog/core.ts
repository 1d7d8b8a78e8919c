import type { Component } from '../lib/component';
import { certManager } from '../cert-manager';
import { ingress } from '../ingress';
import { metricsServer } from '../metrics-server';
import { namespaces } from '../namespaces';

/** Cluster plumbing every cluster gets, whatever its role. */
export const CORE_COMPONENTS: readonly Component[] = [namespaces, certManager, ingress, metricsServer];
