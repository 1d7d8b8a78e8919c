export * from './access';
export * from './backup';
export * from './logging';
export * from './monitoring';
export * from './network';
export * from './policy';
