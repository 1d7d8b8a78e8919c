import { EGRESS_KEY_ANNOTATION, type ClusterConfig, type EgressDestination } from '@ck8s/config';
import type { K8sObject } from '@ck8s/manifest';
import { netpol, peers, type Port } from './objects';

/**
 * Egress to places outside the cluster, by destination: the addresses come from the cluster's
 * `network.egress.<destination>` (any address only where that key says 0.0.0.0/0), and the policy
 * names the key it was built from, so `validate` can hold every any-address rule to a key that allows
 * it and the environment README can list each rule with its destinations.
 */

export const egressKey = (destination: EgressDestination): string => `network.egress.${destination}`;

export function egressTo(
  component: string,
  cluster: ClusterConfig,
  destination: EgressDestination,
  ns: string,
  name: string,
  ports: Port[],
  podSelector: Record<string, unknown> = {},
): K8sObject {
  const cidrs = (cluster.settings.network as { egress: Record<EgressDestination, string[]> }).egress[destination];
  const policy = netpol.allowEgress(component, ns, name, cidrs.map(peers.cidr), ports, podSelector);
  return { ...policy, metadata: { ...policy.metadata, annotations: { [EGRESS_KEY_ANNOTATION]: egressKey(destination) } } };
}

/** HTTPS (443, or the ports an endpoint names) to a destination outside the cluster. */
export function httpsTo(
  component: string,
  cluster: ClusterConfig,
  destination: EgressDestination,
  ns: string,
  name: string,
  podSelector: Record<string, unknown> = {},
  portNumbers: number[] = [443],
): K8sObject {
  return egressTo(
    component,
    cluster,
    destination,
    ns,
    name,
    portNumbers.map((port) => ({ port })),
    podSelector,
  );
}
