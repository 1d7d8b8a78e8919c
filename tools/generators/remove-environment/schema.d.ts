export interface RemoveEnvironmentSchema {
  /** Name of an existing environment (folder under environments/). */
  name: string;
}
