export * from './drift';
export * from './commands';
export * from './flux';
export * from './layout';
export * from './plan';
export * from './required-secrets';
export * from './workspace';
