import { z } from 'zod';
import { envName } from '../lib/naming';

export const CONNECTOR_TYPES = ['oidc', 'github', 'google', 'ldap', 'saml'] as const;
export type ConnectorType = (typeof CONNECTOR_TYPES)[number];

/** Config keys that carry a secret, per connector type: they come from a Secret, never from config. */
export const CONNECTOR_SECRET_KEYS: Record<ConnectorType, string[]> = {
  oidc: ['clientSecret'],
  github: ['clientSecret'],
  google: ['clientSecret'],
  ldap: ['bindPW'],
  // SAML verifies the IdP with its public certificate (`ca`/`caData`): nothing secret.
  saml: [],
};

/** Connector types that redirect back to Dex (and so need `redirectURI`). */
const REDIRECTING: ReadonlySet<ConnectorType> = new Set(['oidc', 'github', 'google', 'saml']);

export const Connector = z
  .strictObject({
    type: z.enum(CONNECTOR_TYPES).describe('Dex connector type'),
    id: z
      .string()
      .regex(/^[a-z][a-z0-9-]{0,30}$/, { message: 'a lower-case identifier (letters, digits, "-")' })
      .describe('Connector id (appears in user ids and the Secret name dex-connector-<id>)'),
    name: z.string().min(1).describe('Name shown on the Dex login page'),
    config: z
      .record(z.string(), z.unknown())
      .default({})
      .describe('Connector config as Dex documents it, without secrets (they are read from the Secret dex-connector-<id>)'),
  })
  .superRefine((c, ctx) => {
    for (const key of CONNECTOR_SECRET_KEYS[c.type]) {
      if (key in c.config) {
        ctx.addIssue({
          code: 'custom',
          path: ['config', key],
          message: `"${key}" is a secret: put it in the SOPS Secret dex-connector-${c.id} (key ${key}), not in the config`,
        });
      }
    }
  });

export type ConnectorSettings = z.output<typeof Connector>;

export function connectorSecretName(c: Pick<ConnectorSettings, 'id'>): string {
  return `dex-connector-${c.id}`;
}

export function connectorEnv(c: Pick<ConnectorSettings, 'id'>, key: string): string {
  return envName('DEX_CONNECTOR', c.id, key);
}

/**
 * The connector as Dex reads it: secrets as `$ENV` references (Dex expands environment variables in
 * connector configs) and the callback URL filled in when the user left it out.
 */
export function dexConnector(c: ConnectorSettings, callbackURL: string): Record<string, unknown> {
  const config: Record<string, unknown> = { ...c.config };
  for (const key of CONNECTOR_SECRET_KEYS[c.type]) config[key] = `$${connectorEnv(c, key)}`;
  if (REDIRECTING.has(c.type) && config.redirectURI === undefined) config.redirectURI = callbackURL;
  return { type: c.type, id: c.id, name: c.name, config };
}

/** Environment variables of the Dex pod that carry the connectors' secrets. */
export function connectorEnvVars(connectors: ConnectorSettings[]) {
  return connectors.flatMap((c) =>
    CONNECTOR_SECRET_KEYS[c.type].map((key) => ({ name: connectorEnv(c, key), valueFrom: { secretKeyRef: { name: connectorSecretName(c), key } } })),
  );
}
