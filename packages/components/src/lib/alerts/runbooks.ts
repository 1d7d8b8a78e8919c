import type { ClusterConfig, EnvironmentConfig } from '@ck8s/config';

/** Where the runbooks live in this repository: one page per alert group, one section per alert. */
export const RUNBOOKS_DIR = 'docs/runbooks';

/**
 * The web address of a Git repository from its clone URL: `ssh://git@github.com/org/repo.git` →
 * `https://github.com/org/repo`. SSH user and port are dropped (the web server is not the SSH
 * server); an HTTPS URL keeps its host and port but loses any credentials.
 */
export function gitWebUrl(cloneUrl: string): string {
  const url = new URL(cloneUrl);
  const host = url.protocol === 'ssh:' ? url.hostname : url.host;
  const path = url.pathname.replace(/\/+$/, '').replace(/\.git$/, '');
  return `https://${host}${path}`;
}

/**
 * The base URL of the runbooks for alerts of one cluster: `alerting.runbookBaseUrl` when set, else
 * the runbooks folder on the branch Flux deploys, in the repository's web view (`<web>/blob/<branch>/docs/runbooks`,
 * the form GitHub, Gitea and GitLab all serve).
 */
export function runbookBaseUrl(env: EnvironmentConfig, cluster: ClusterConfig): string {
  const configured = cluster.settings.alerting.runbookBaseUrl.replace(/\/+$/, '');
  return configured || `${gitWebUrl(env.git.url)}/blob/${env.git.branch}/${RUNBOOKS_DIR}`;
}

/** A Markdown heading's anchor as GitHub and GitLab generate it: lower case, spaces to dashes, punctuation dropped. */
export function runbookAnchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9 _-]/g, '')
    .replace(/ /g, '-');
}

export function runbookUrl(base: string, group: string, alert: string): string {
  return `${base}/${group}.md#${runbookAnchor(alert)}`;
}

/** Where one cluster's rules run, for `renderAlertGroup`: its name, the environment's and the runbooks' base URL. */
export function alertTarget(env: EnvironmentConfig, cluster: ClusterConfig): { environment: string; cluster: string; runbookBase: string } {
  return { environment: env.name, cluster: cluster.name, runbookBase: runbookBaseUrl(env, cluster) };
}
