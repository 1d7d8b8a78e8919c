import { z } from 'zod';
import { DnsLabel, type ClusterConfig, type Flavor } from '@ck8s/config';
import { settingsAccessor } from '../lib/cluster-settings';
import type { SettingsProblem } from '../lib/component';
import type { Owner } from '../lib/capsule-tenants';

const PodSecurityLevel = z.enum(['restricted', 'baseline', 'privileged']);

/** Kubernetes and Flux own these; a user namespace must never take their place. */
const RESERVED = /^(kube-.*|default|flux-system)$/;

export const Subjects = z
  .strictObject({
    users: z.array(z.string().min(1)).default([]).describe('User names as the API server sees them (OIDC claim)'),
    groups: z.array(z.string().min(1)).default([]).describe('Group names as the API server sees them (OIDC groups claim)'),
  })
  .prefault({});
export type Subjects = z.infer<typeof Subjects>;

export const userRbacSettings = z
  .strictObject({
    enabled: z.boolean().default(true).describe("Create user namespaces and bind the application teams' roles"),
    namespaces: z
      .array(DnsLabel.refine((n) => !RESERVED.test(n), { message: 'kube-*, default and flux-system are reserved' }))
      .default([])
      .refine((l) => new Set(l).size === l.length, { message: 'namespace names must be unique' })
      .describe('Namespaces created for the application teams'),
    podSecurity: PodSecurityLevel.default('restricted').describe('Pod Security level enforced in user namespaces'),
    namespacePodSecurity: z.record(DnsLabel, PodSecurityLevel).default({}).describe('Per-namespace Pod Security overrides, e.g. {"legacy-app": "baseline"}'),
    admins: Subjects.describe('Users and groups who administer workloads in the user namespaces (ClusterRole user-admin)'),
    viewers: Subjects.describe('Users and groups with read-only access to the user namespaces, Secrets excluded (ClusterRole user-view)'),
    selfService: z
      .strictObject({
        enabled: z.boolean().default(true).describe('When Capsule is enabled, make the admins owners of a tenant so they can create namespaces themselves'),
        tenant: DnsLabel.default('apps').describe('Name of that tenant (and, with forceTenantPrefix, the prefix of its namespaces)'),
        namespaceQuota: z.number().int().min(1).max(1000).default(10).describe('How many namespaces the admins may create'),
      })
      .prefault({})
      .describe('Self-service namespaces for the admins through a Capsule tenant'),
  })
  .superRefine((s, issue) => {
    for (const ns of Object.keys(s.namespacePodSecurity)) {
      if (!s.namespaces.includes(ns))
        issue.addIssue({
          code: 'custom',
          path: ['namespacePodSecurity', ns],
          message: `"${ns}" is not one of the user namespaces (${s.namespaces.join(', ') || 'none'})`,
        });
    }
  });
export type UserRbacSettings = z.output<typeof userRbacSettings>;

/** This component's settings on a cluster (other components read them through here). */
export const userRbacSettingsOf = settingsAccessor('user-rbac', userRbacSettings);

export function subjectsOf(s: Subjects): Owner[] {
  return [...s.users.map((name) => ({ kind: 'User' as const, name })), ...s.groups.map((name) => ({ kind: 'Group' as const, name }))];
}

/**
 * The self-service tenant user-rbac renders when Capsule runs, as Capsule must know it (its owners
 * are Capsule users; its name must not clash with Capsule's own tenants). Undefined when self-service
 * is off or there are no admins to own it.
 */
export function selfServiceTenant(cluster: ClusterConfig): { name: string; owners: Owner[] } | undefined {
  const s = userRbacSettingsOf(cluster);
  const owners = subjectsOf(s.admins);
  return s.selfService.enabled && owners.length ? { name: s.selfService.tenant, owners } : undefined;
}

/** User namespaces of a cluster with their Pod Security level (for backup schedules, policies, docs). */
export function userNamespaces(cluster: ClusterConfig): { name: string; podSecurity: z.infer<typeof PodSecurityLevel> }[] {
  const s = userRbacSettingsOf(cluster);
  return s.namespaces.map((name) => ({ name, podSecurity: s.namespacePodSecurity[name] ?? s.podSecurity }));
}

/**
 * Production invariants (they depend on the flavor, which the settings schema does not see; the
 * component's `checkSettings` reports them). Outside dev no user namespace may run privileged pods:
 * a privileged pod owns its node, and with it every other tenant's workloads on that node. Each
 * problem points at the key that sets the level: the namespace's override, or the common default.
 */
export function userRbacSettingsProblems(flavor: Flavor, s: Pick<UserRbacSettings, 'namespaces' | 'podSecurity' | 'namespacePodSecurity'>): SettingsProblem[] {
  if (flavor === 'dev') return [];
  const problems: SettingsProblem[] = [];
  // The default level also applies to the namespaces of the self-service tenant.
  if (s.podSecurity === 'privileged') {
    problems.push({
      path: ['podSecurity'],
      message: `user namespaces would enforce Pod Security "privileged", which flavor "${flavor}" does not allow; use "baseline" at most`,
    });
  }
  for (const n of s.namespaces.filter((x) => s.namespacePodSecurity[x] === 'privileged')) {
    problems.push({
      path: ['namespacePodSecurity', n],
      message: `user namespace ${n} enforces Pod Security "privileged", which flavor "${flavor}" does not allow; use "baseline" at most`,
    });
  }
  return problems;
}
