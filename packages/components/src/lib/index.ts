export * from './charts';
export * from './component';
export * from './hosts';
export * from './objects';
export * from './wiring';
