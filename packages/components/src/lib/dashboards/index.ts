export * from './assemble';
export * from './component-dashboard';
export * from './configmap';
export * from './inspect';
export * from './model';
export * from './panels';
export * from './workload';
