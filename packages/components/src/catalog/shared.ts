import type { Component } from '../lib/component';

/** See catalog/index.ts: the shared group of the catalog. */
export const SHARED_COMPONENTS: readonly Component[] = [];
