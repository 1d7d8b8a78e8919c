import { bcryptHash, type BcryptOptions } from './bcrypt';

/**
 * An htpasswd line `user:$2y$10$...` (the form `htpasswd -B` writes). Accepted by ingress-nginx
 * `auth-type: basic` Secrets (key `auth`), Traefik's BasicAuth middleware, Apache, and — as the bare
 * hash — by exporter-toolkit web configs (Thanos, Prometheus, Alertmanager `basic_auth_users`).
 */
export function htpasswdBcrypt(user: string, password: string, options: BcryptOptions = {}): string {
  if (!user || /[:\r\n]/.test(user)) throw new Error('htpasswd user names must be non-empty and contain no colon or newline');
  return `${user}:${bcryptHash(password, { variant: '2y', ...options })}`;
}
