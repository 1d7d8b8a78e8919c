export * from './catalog';
export * from './lib';
// The platform's exemptions from its own policies, read by the policy test (checks) and the README (render).
export * from './gatekeeper-constraints/exemptions';
export { CONSTRAINT_NAMES } from './gatekeeper-constraints';
// Dashboards as code: one per component (the ops Grafana), and the components that have none.
export { COMPONENT_DASHBOARDS, WITHOUT_DASHBOARD } from './catalog/dashboards';
