import type { Flavor, Provider } from './enums';

/**
 * Platform-wide defaults per flavor. Component-specific flavor defaults live with each component
 * (`Component.defaults`), so this file knows no component.
 */
export const FLAVOR_DEFAULTS: Record<Flavor, Record<string, unknown>> = {
  dev: {
    certificates: { issuer: 'letsencrypt-staging' },
    flux: { driftDetection: 'warn' },
  },
  prod: {
    certificates: { issuer: 'letsencrypt-prod' },
    flux: { driftDetection: 'enabled' },
  },
  'air-gapped': {
    certificates: { issuer: 'custom-ca' },
    flux: { driftDetection: 'enabled' },
  },
};

/** What the infrastructure under a cluster offers: storage, object storage API, load balancers. */
export const PROVIDER_DEFAULTS: Record<Provider, Record<string, unknown>> = {
  exoscale: {
    storage: { storageClass: 'rook-ceph-block', objectStorage: { type: 's3', region: 'ch-gva-2', endpoint: 'https://sos-ch-gva-2.exo.io' } },
    network: { loadBalancerMode: 'service', allowLoadBalancerServices: true },
  },
  safespring: {
    storage: { storageClass: 'cinder-csi', objectStorage: { type: 's3', region: 'sto2', endpoint: 'https://s3.sto2.safedc.net' } },
    network: { loadBalancerMode: 'host-network', allowLoadBalancerServices: false },
  },
  elastx: {
    storage: { storageClass: 'cinder-csi', objectStorage: { type: 'swift', region: 'se-sto', endpoint: 'https://ops.elastx.cloud:5000/v3' } },
    network: { loadBalancerMode: 'service', allowLoadBalancerServices: true },
  },
  upcloud: {
    storage: { storageClass: 'upcloud-block-storage-maxiops', objectStorage: { type: 's3', region: 'europe-1' } },
    network: { loadBalancerMode: 'service', allowLoadBalancerServices: true },
  },
  openstack: {
    storage: { storageClass: 'cinder-csi', objectStorage: { type: 'swift' } },
    network: { loadBalancerMode: 'service', allowLoadBalancerServices: true },
  },
  aws: {
    storage: { storageClass: 'gp3', objectStorage: { type: 's3', region: 'eu-north-1' } },
    network: { loadBalancerMode: 'service', allowLoadBalancerServices: true },
  },
  azure: {
    storage: { storageClass: 'managed-csi', objectStorage: { type: 'azure', region: 'swedencentral' } },
    network: { loadBalancerMode: 'service', allowLoadBalancerServices: true },
  },
  baremetal: {
    storage: { storageClass: 'local-path', objectStorage: { type: 's3' } },
    network: { loadBalancerMode: 'host-network', allowLoadBalancerServices: false },
  },
  none: {
    storage: { storageClass: 'standard', objectStorage: { type: 'none' } },
    network: { loadBalancerMode: 'node-port', allowLoadBalancerServices: false },
  },
};
