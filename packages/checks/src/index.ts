export * from './config';
export * from './finding';
export * from './graph';
export * from './kustomize';
export * from './schema';
export * from './secrets';
export * from './tree';
export * from './validate';
