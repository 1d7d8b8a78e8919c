export * from './component-rules';
export * from './promtool';
export * from './rules';
export * from './runbooks';
export * from './unit-tests';
