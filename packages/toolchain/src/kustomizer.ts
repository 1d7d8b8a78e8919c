import { findTool, type Env } from './locate';

/** The kustomize the machine has: the standalone binary (pinned in .tools/bin or on PATH), else `kubectl kustomize`. */
export interface Kustomizer {
  label: string;
  command: string;
  args: (dir: string) => string[];
}

export function findKustomizer(env: Env = process.env): Kustomizer | undefined {
  const kustomize = findTool('kustomize', env);
  if (kustomize) return { label: 'kustomize build', command: kustomize, args: (dir) => ['build', dir] };
  const kubectl = findTool('kubectl', env);
  if (kubectl) return { label: 'kubectl kustomize', command: kubectl, args: (dir) => ['kustomize', dir] };
  return undefined;
}
