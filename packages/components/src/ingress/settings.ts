import { z } from 'zod';
import { settingsAccessor } from '../lib/cluster-settings';

/** `components.ingress`: which controller serves the cluster's Ingresses, under which IngressClass. */
export const ingressSettingsSchema = z.strictObject({
  enabled: z.boolean().default(true).describe('Deploy the ingress controller that serves every platform endpoint'),
  controller: z.enum(['traefik', 'ingress-nginx']).default('traefik').describe('Ingress controller implementation'),
  replicas: z.number().int().min(1).max(10).default(1).describe('Replicas when not running on the host network'),
  className: z.string().default('traefik').describe('IngressClass name, marked as the cluster default'),
});

/**
 * The cluster's ingress controller as the ingress component is configured. Every component that
 * builds an Ingress or names an IngressClass reads it through here (lib/ingress.ts re-exports it).
 */
export const ingressSettings = settingsAccessor('ingress', ingressSettingsSchema);
export type IngressSettings = ReturnType<typeof ingressSettings>;
