export * from './model';
export * from './readme';
