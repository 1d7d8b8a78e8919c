import { clustersWith, filesOf, Findings, key, objectsOf, requireComponent, setting } from '../input';
import type { EvidenceRule } from '../types';

const CONSTRAINTS = 'gatekeeper-constraints';

/**
 * A Gatekeeper constraint of the platform, rendered and in `deny` mode on every workload cluster
 * (where the users' applications run): admission rejects what it forbids instead of warning.
 * `settingKey` is the constraint's key under components.gatekeeperConstraints.
 */
export function constraintDenies(
  id: string,
  constraint: string,
  settingKey: string,
  title: string,
  unrendered?: { key: string; want: string; what: string },
): EvidenceRule {
  return {
    id,
    title,
    components: ['gatekeeper', CONSTRAINTS],
    check(input) {
      const f = new Findings();
      for (const c of clustersWith(input, ['workload'])) {
        const name = c.cluster.name;
        if (
          !requireComponent(f, input, c, 'gatekeeper', 'Policy enforcement (Gatekeeper)') ||
          !requireComponent(f, input, c, CONSTRAINTS, "The platform's Gatekeeper constraints")
        )
          continue;
        const found = objectsOf(input, c, CONSTRAINTS).find((o) => o.object.metadata.name === constraint);
        if (!found) {
          if (setting(c.cluster, CONSTRAINTS, `${settingKey}.enabled`) === false)
            f.gap(`Constraint ${constraint} is off`, key(CONSTRAINTS, `${settingKey}.enabled`), false, true, name);
          else if (unrendered) f.gap(unrendered.what, key(CONSTRAINTS, unrendered.key), setting(c.cluster, CONSTRAINTS, unrendered.key), unrendered.want, name);
          else f.gap(`Constraint ${constraint} is not rendered`, key(CONSTRAINTS, `${settingKey}.enabled`), 'true (not rendered)', true, name);
          continue;
        }
        const action = (found.object as { spec?: { enforcementAction?: string } }).spec?.enforcementAction;
        if (action === 'deny') {
          f.saw(
            `${name}: constraint ${constraint} (${found.object.kind}) denies at admission`,
            [found.file],
            [key(CONSTRAINTS, `${settingKey}.enforcementAction`), key(CONSTRAINTS, 'defaultEnforcementAction')],
          );
          continue;
        }
        const own = setting(c.cluster, CONSTRAINTS, `${settingKey}.enforcementAction`);
        const keyPath = own && own !== 'default' ? key(CONSTRAINTS, `${settingKey}.enforcementAction`) : key(CONSTRAINTS, 'defaultEnforcementAction');
        f.gap(`Constraint ${constraint} only ${action === 'warn' ? 'warns' : 'reports'} (${action})`, keyPath, action, 'deny', name);
      }
      return f.outcome();
    },
  };
}

export const trustedRegistries = constraintDenies(
  'trusted-registries',
  'allowed-registries',
  'allowedRegistries',
  'images come only from allowed registries (denied otherwise)',
  {
    key: 'allowedRegistries.registries',
    want: '[registry.example.com] (or Harbor with allowedRegistries.includeHarbor)',
    what: 'No allowed registry is known, so the allowed-registries constraint is not rendered',
  },
);
export const pinnedImages = constraintDenies(
  'pinned-images',
  'disallow-latest-tag',
  'disallowLatestTag',
  'images name a version or digest, never :latest (denied otherwise)',
);
export const networkPolicyRequired = constraintDenies(
  'network-policy-required',
  'require-network-policy',
  'requireNetworkPolicy',
  'every user pod is selected by a NetworkPolicy (denied otherwise)',
);
export const resourceRequestsRequired = constraintDenies(
  'resource-requests-required',
  'require-resource-requests',
  'requireResourceRequests',
  'every user container requests CPU and memory (denied otherwise)',
);
export const noPrivilegedPods = constraintDenies(
  'no-privileged-pods',
  'disallow-privileged',
  'disallowPrivileged',
  "privileged containers are denied in users' namespaces",
);
export const noHostAccess = constraintDenies(
  'no-host-access',
  'disallow-host-namespaces',
  'disallowHostNamespaces',
  "host network, PID, IPC and ports are denied in users' namespaces",
);

/**
 * Changes reach the clusters only through Git: Flux corrects drift of every HelmRelease (not only
 * reports it), so a change made by hand on a cluster does not stay.
 */
export const gitopsDriftCorrected: EvidenceRule = {
  id: 'gitops-drift-corrected',
  components: [],
  title: 'changes reach the clusters only through reviewed Git commits: Flux corrects drift on every cluster',
  check(input) {
    const f = new Findings();
    for (const c of input.clusters) {
      const mode = c.cluster.settings.flux.driftDetection;
      const sync = `clusters/${input.env.name}/${c.cluster.name}/flux-system/gotk-sync.yaml`;
      if (mode === 'enabled')
        f.saw(
          `${c.cluster.name}: Flux syncs ${input.env.git.url} (${input.env.git.branch}) and corrects drift`,
          [input.files.has(sync) ? sync : undefined],
          ['flux.driftDetection'],
        );
      else f.gap(`Flux only ${mode === 'warn' ? 'reports' : 'ignores'} drift`, 'flux.driftDetection', mode, 'enabled', c.cluster.name);
    }
    return f.outcome();
  },
};

/** Application teams' namespaces enforce Pod Security and tenants stay apart (Capsule, user-rbac). */
export const tenantIsolation: EvidenceRule = {
  id: 'tenant-isolation',
  components: ['capsule'],
  title: 'application teams work in their own namespaces and tenants, apart from the platform',
  check(input) {
    const f = new Findings();
    for (const c of clustersWith(input, ['workload'])) {
      if (requireComponent(f, input, c, 'capsule', 'Self-service tenants (Capsule)'))
        f.saw(
          `${c.cluster.name}: Capsule tenants keep teams' namespaces apart and away from the platform's`,
          filesOf(input, c.cluster.name, 'capsule', 'values.yaml', 'objects.yaml'),
          [key('capsule', 'tenants')],
        );
    }
    return f.outcome();
  },
};
