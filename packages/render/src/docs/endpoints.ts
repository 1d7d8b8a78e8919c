import { ENDPOINT_INFO, endpoints, type Endpoints } from '@ck8s/components';
import type { EnvironmentConfig } from '@ck8s/config';
import type { DocsEndpoint } from '@ck8s/docs';
import type { ClusterPlan, PlannedComponent } from '../plan';

/** Strings anywhere under a value. */
function strings(v: unknown, out: string[] = []): string[] {
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) v.forEach((x) => strings(x, out));
  else if (v && typeof v === 'object') Object.values(v).forEach((x) => strings(x, out));
  return out;
}

/** Helm values under a key that configures an ingress (`ingress`, `expose.ingress`, ...) whose `enabled` is not false. */
function ingressValues(v: unknown, out: unknown[] = []): unknown[] {
  if (!v || typeof v !== 'object') return out;
  for (const [k, x] of Object.entries(v)) {
    if (/ingress/i.test(k) && x && typeof x === 'object' && (x as { enabled?: unknown }).enabled !== false) out.push(x);
    else ingressValues(x, out);
  }
  return out;
}

/**
 * Hosts a planned component actually serves: its rendered Ingress (and IngressRoute) objects, and
 * ingress sections of its Helm values (charts that create their own Ingress, such as Harbor's).
 * What the settings switched off renders no Ingress, so it is not listed.
 */
export function servedHosts(c: PlannedComponent): Set<string> {
  const hosts = new Set<string>();
  for (const o of [...(c.output.objects ?? []), ...(c.output.config ?? [])]) {
    if (o.kind === 'Ingress') for (const r of (o.spec as { rules?: { host?: string }[] })?.rules ?? []) if (r.host) hosts.add(r.host);
    if (o.kind === 'IngressRoute') for (const s of strings(o.spec)) for (const m of s.matchAll(/Host\(`([^`]+)`\)/g)) hosts.add(m[1]);
  }
  for (const section of ingressValues(c.output.values)) for (const s of strings(section)) hosts.add(s);
  return hosts;
}

/** The environment's endpoints that the management cluster serves with the current settings. */
export function exposedEndpoints(env: EnvironmentConfig, management: ClusterPlan | undefined): DocsEndpoint[] {
  const hosts = endpoints(env);
  return (Object.keys(ENDPOINT_INFO) as (keyof Endpoints)[])
    .filter((k) => {
      const c = management?.components.find((x) => x.component.name === ENDPOINT_INFO[k].component);
      return !!c && servedHosts(c).has(hosts[k]);
    })
    .map((k) => ({ name: ENDPOINT_INFO[k].title, host: hosts[k], audience: ENDPOINT_INFO[k].audience, component: ENDPOINT_INFO[k].component }));
}
