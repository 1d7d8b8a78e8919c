export * from './catalog';
export * from './lib';
// The platform's exemptions from its own policies, read by the policy test (checks) and the README (render).
export * from './gatekeeper-constraints/exemptions';
export { CONSTRAINT_NAMES } from './gatekeeper-constraints';
