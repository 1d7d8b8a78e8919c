/**
 * How a cluster gets Flux: one story, told in packages/bootstrap/README.md. The generators print the
 * commands of its supported path (the Pulumi program, one stack per cluster) and point at the README
 * for the alternative without Pulumi. Never `flux bootstrap`: it commits Flux's own manifests and
 * kustomization into the cluster's path, which the drift gate then rejects as not rendered.
 */
export const BOOTSTRAP_README = 'packages/bootstrap/README.md';

/** The Pulumi commands that bootstrap one cluster of an environment (run after its output is committed and pushed). */
export function bootstrapCommands(env: string, cluster: string): string[] {
  return [
    'cd packages/bootstrap',
    `pulumi stack init ${env}-${cluster}`,
    `pulumi config set ck8s:environment ${env}`,
    `pulumi config set ck8s:cluster ${cluster}`,
    'pulumi config set --secret ck8s:gitIdentity < ./deploy-key',
    'pulumi config set ck8s:gitKnownHosts < ./known_hosts',
    `pulumi config set --secret ck8s:ageKey < ~/.config/sops/age/${env}.agekey`,
    'pulumi up',
  ];
}

/** A next-steps entry: bootstrap the given clusters, once the rendered output is merged. */
export function bootstrapStep(env: string, clusters: readonly string[]): string {
  const [first] = clusters;
  const which = clusters.length === 1 ? `cluster ${first}` : `each cluster (${clusters.join(', ')})`;
  return [
    `Once merged and pushed, bootstrap ${which} as ${BOOTSTRAP_README} says (Flux, the flux-system Git credentials, the sops-age key, the sync objects):`,
    ...bootstrapCommands(env, first).map((c) => `       ${c}`),
    ...(clusters.length > 1 ? [`     and the same with ck8s:cluster set to ${clusters.slice(1).join(', ')} (one stack per cluster).`] : []),
  ].join('\n');
}
