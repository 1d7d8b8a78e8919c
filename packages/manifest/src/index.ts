export * from './types';
export * from './yaml';
