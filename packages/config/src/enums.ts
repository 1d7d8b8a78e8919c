import { z } from 'zod';

export const FLAVORS = ['dev', 'prod', 'air-gapped'] as const;
export const PROVIDERS = ['exoscale', 'safespring', 'elastx', 'upcloud', 'openstack', 'aws', 'azure', 'baremetal', 'none'] as const;
export const ROLES = ['management', 'workload'] as const;

export const Flavor = z.enum(FLAVORS);
export const Provider = z.enum(PROVIDERS);
export const Role = z.enum(ROLES);
export type Flavor = z.infer<typeof Flavor>;
export type Provider = z.infer<typeof Provider>;
export type Role = z.infer<typeof Role>;

/** RFC 1123 DNS name with at least two labels, lower case (what cert-manager and Ingress accept). */
export const DomainName = z.string().regex(/^(?=.{1,253}$)([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.)+[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/, {
  message: 'a lower-case DNS name with at least two labels, e.g. "dev.example.com"',
});

/** RFC 1123 label: usable as namespace, folder and Kubernetes object name. */
export const DnsLabel = z.string().regex(/^[a-z]([-a-z0-9]{0,38}[a-z0-9])?$/, {
  message: 'a lower-case DNS label: letters, digits and "-", starting with a letter, at most 40 characters',
});

/** Go duration as Flux accepts it (`30s`, `5m`, `1h30m`). */
export const Duration = z.string().regex(/^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$/, {
  message: 'a Go duration such as "30s", "5m" or "1h"',
});
