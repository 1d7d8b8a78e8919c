import { z } from 'zod';
import type { K8sObject } from '@ck8s/manifest';
import { defineComponent, type PodSecurityLevel } from '../lib/component';
import { meta, netpol } from '../lib/objects';

/** Namespaces Kubernetes or Flux own; the platform neither creates nor locks them down. */
const SYSTEM_NAMESPACES = new Set(['kube-system', 'kube-public', 'kube-node-lease', 'default', 'flux-system']);
const ORDER: PodSecurityLevel[] = ['restricted', 'baseline', 'privileged'];

/**
 * Every platform namespace, created before anything lives in it, with Pod Security admission labels
 * and a default-deny NetworkPolicy (each component adds the allows it needs).
 */
export const namespaces = defineComponent({
  name: 'namespaces',
  description: 'Platform namespaces with Pod Security admission labels, default-deny and DNS NetworkPolicies',
  roles: ['management', 'workload'],
  namespace: 'flux-system',
  podSecurity: 'restricted',
  providesNamespaces: true,
  controls: [
    'MSBFS 2020:7 3 kap. 1 §',
    'MSBFS 2020:7 3 kap. 2 §',
    'MSBFS 2020:7 4 kap. 1 §',
    'MSBFS 2020:7 4 kap. 2 §',
    'ISO 27001 A.12.1.4',
    'ISO 27001 A.13',
    'ISO 27001 A.13.1',
    'ISO 27001 A.14.2.5',
    'NIST SP 800-171 3.1.20',
    'NIST SP 800-171 3.4.7',
    'NIST SP 800-171 3.13.1',
    'NIST SP 800-171 3.13.6',
  ],
  settings: z.strictObject({
    enabled: z.boolean().default(true).describe('Render platform namespaces (disable only if another tool owns them)'),
    auditLevel: z.enum(['baseline', 'restricted']).default('restricted').describe('Pod Security level audited and warned about in platform namespaces'),
  }),
  render(ctx) {
    // Several components may share a namespace: it gets the most permissive level any of them needs.
    const levels = new Map<string, PodSecurityLevel>();
    for (const c of ctx.enabledComponents) {
      if (SYSTEM_NAMESPACES.has(c.namespace)) continue;
      const prev = levels.get(c.namespace);
      if (!prev || ORDER.indexOf(c.podSecurity) > ORDER.indexOf(prev)) levels.set(c.namespace, c.podSecurity);
    }
    const objects: K8sObject[] = [];
    for (const [ns, level] of [...levels].sort(([a], [b]) => a.localeCompare(b))) {
      const audit = ORDER.indexOf(ctx.settings.auditLevel) < ORDER.indexOf(level) ? ctx.settings.auditLevel : level;
      objects.push({
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: meta('namespaces', ns, undefined, {
          'pod-security.kubernetes.io/enforce': level,
          'pod-security.kubernetes.io/audit': audit,
          'pod-security.kubernetes.io/warn': audit,
        }),
      });
      objects.push(netpol.defaultDeny('namespaces', ns), netpol.allowDns('namespaces', ns));
    }
    return { objects };
  },
});
