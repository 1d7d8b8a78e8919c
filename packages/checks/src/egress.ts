import { API_SERVER_KEY, EGRESS_DESTINATIONS, EGRESS_KEY_ANNOTATION, type ClusterConfig, type EgressDestination, type Flavor } from '@ck8s/config';
import type { Finding } from './finding';
import { objectsIn, type Tree } from './tree';

/**
 * Egress by destination: outside dev, a NetworkPolicy may let pods reach any address only where a
 * named config key says so. Each such rule must carry the annotation naming its key
 * (`ck8s.io/egress-destination: network.egress.<destination>`), and that key of the cluster's config
 * must hold the any-address CIDR. Read from the rendered output, so a hand-written policy is held
 * to the same rule as the ones the components build.
 */
const ANY = ['0.0.0.0/0', '::/0'];

interface EgressRule {
  to?: { ipBlock?: { cidr?: string } }[];
}

/** The addresses a key allows on this cluster, or undefined when the annotation names no key. */
function allowedBy(cluster: ClusterConfig, key: string): string[] | undefined {
  const network = cluster.settings.network as { apiServerCidrs: string[]; egress: Record<EgressDestination, string[]> };
  if (key === API_SERVER_KEY) return network.apiServerCidrs;
  const destination = key.startsWith('network.egress.') ? key.slice('network.egress.'.length) : '';
  return destination in EGRESS_DESTINATIONS ? network.egress[destination as EgressDestination] : undefined;
}

/**
 * Whether the text can hold a NetworkPolicy with an any-address rule, without parsing it: both the kind
 * and an any-address CIDR must stand in the text as written, or an escape (a backslash) may spell them
 * (see mayHoldSecret). Only such files are parsed.
 */
export function mayHoldAnyAddressPolicy(text: string): boolean {
  if (text.includes('\\')) return true;
  return text.includes('NetworkPolicy') && ANY.some((cidr) => text.includes(cidr));
}

export function checkEgress(flavor: Flavor, cluster: ClusterConfig, tree: Tree, clusterRoot: string): Finding[] {
  if (flavor === 'dev') return [];
  const findings: Finding[] = [];
  for (const file of tree.keys()) {
    if (!file.startsWith(`${clusterRoot}/`) || !file.endsWith('.yaml') || file.includes('/secrets/')) continue;
    if (!mayHoldAnyAddressPolicy(tree.get(file)!)) continue;
    for (const { object } of objectsIn(tree, file)) {
      if (object.kind !== 'NetworkPolicy') continue;
      const spec = object.spec as { egress?: EgressRule[] } | undefined;
      const anyAddress = (spec?.egress ?? [])
        .flatMap((r) => r.to ?? [])
        .map((p) => p.ipBlock?.cidr)
        .filter((c): c is string => !!c && ANY.includes(c));
      if (!anyAddress.length) continue;
      const ref = `NetworkPolicy/${object.metadata.namespace}/${object.metadata.name}`;
      const key = object.metadata.annotations?.[EGRESS_KEY_ANNOTATION];
      const allowed = key ? allowedBy(cluster, key) : undefined;
      const error = (message: string) => findings.push({ check: 'config', severity: 'error', cluster: cluster.name, file, object: ref, message });
      if (!allowed) {
        error(
          `egress to any address (${anyAddress.join(', ')}) that no config key allows; ` +
            `build it from network.egress.<destination> (annotation ${EGRESS_KEY_ANNOTATION})`,
        );
      } else if (!anyAddress.every((c) => allowed.includes(c))) {
        error(`egress to any address, but ${key} of cluster ${cluster.name} is ${JSON.stringify(allowed)}; re-render, or allow it there`);
      }
    }
  }
  return findings;
}
