import type { Component } from '../lib/component';
import { capsule } from '../capsule';
import { clusterAdminRbac } from '../cluster-admin-rbac';
import { externalDns } from '../external-dns';
import { kured } from '../kured';
import { nodeLocalDns } from '../node-local-dns';
import { userRbac } from '../user-rbac';

/**
 * See catalog/index.ts: the workload group of the catalog. Besides the workload-only tenant
 * components it holds the cluster services this group's author owns that also run on management
 * clusters (node-local-dns, external-dns, kured, cluster-admin-rbac); `roles` decides where each runs.
 */
export const WORKLOAD_COMPONENTS: readonly Component[] = [nodeLocalDns, externalDns, kured, clusterAdminRbac, capsule, userRbac];
