export * from './types';
export * from './emit';
export * from './yaml';
