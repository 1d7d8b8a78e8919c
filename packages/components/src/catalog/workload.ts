import type { Component } from '../lib/component';

/** See catalog/index.ts: the workload group of the catalog. */
export const WORKLOAD_COMPONENTS: readonly Component[] = [];
