export * from './compliance';
export * from './enums';
export * from './errors';
export * from './layers';
export * from './loader';
export * from './merge';
export {
  API_SERVER_KEY,
  CONFIG_VERSION,
  clusterOverridesSchema,
  EGRESS_DESTINATIONS,
  EGRESS_KEY_ANNOTATION,
  environmentSchema,
  type EgressDestination,
} from './schema';
export { writeJsonSchemas } from './json-schema';
