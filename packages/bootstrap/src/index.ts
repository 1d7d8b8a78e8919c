export * from './gotk-sync';
export * from './bootstrap';
export { bootstrapFromConfig, findWorkspaceRoot, CONFIG_NAMESPACE } from './program';
