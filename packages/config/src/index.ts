export * from './compliance';
export * from './enums';
export * from './errors';
export * from './layers';
export * from './loader';
export * from './merge';
export { CONFIG_VERSION, clusterOverridesSchema, environmentSchema } from './schema';
export { writeJsonSchemas } from './json-schema';
