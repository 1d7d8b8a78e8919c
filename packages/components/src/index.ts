export * from './catalog';
export * from './lib';
