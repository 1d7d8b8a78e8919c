export * from './model';
export * from './catalog';
export * from './readme';
