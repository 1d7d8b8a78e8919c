export * from './component-rules';
export * from './find';
export * from './promql';
export * from './promtool';
export * from './rules';
export * from './runbook-check';
export * from './runbooks';
export * from './unit-tests';
