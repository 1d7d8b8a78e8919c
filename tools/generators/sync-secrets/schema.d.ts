export interface SyncSecretsSchema {
  /** Existing environment (folder under environments/). */
  environment: string;
  /** age key file to decrypt existing secrets with, when shared values must be reused or keys added. */
  ageKeyFile?: string;
}
