import type { Component } from '../lib/component';

/** See catalog/index.ts: the management group of the catalog. */
export const MANAGEMENT_COMPONENTS: readonly Component[] = [];
