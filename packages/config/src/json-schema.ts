import { z } from 'zod';
import { clusterOverridesSchema, environmentSchema } from './schema';

/**
 * JSON Schemas for editors (`# yaml-language-server: $schema=...`), generated from the same zod
 * schema the loader uses, so autocompletion and validation never disagree. Input form: keys with
 * defaults are optional, because layering fills them.
 */
export function writeJsonSchemas(components: z.ZodObject): Record<string, string> {
  const render = (s: z.ZodType, title: string) => `${JSON.stringify({ title, ...z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' }) }, null, 2)}\n`;
  return {
    'environment.schema.json': render(environmentSchema(components), 'Environment config (environments/<env>/config.yaml)'),
    'cluster.schema.json': render(clusterOverridesSchema(components), 'Cluster overrides (environments/<env>/<cluster>.yaml)'),
  };
}
