import YAML from 'yaml';
import { rulesInDocument, type FoundRuleFile as FoundIn } from '@ck8s/components';
import type { Tree } from './tree';

/** A rule file found in the rendered output: the file, where in it (key path) and its groups. */
export interface FoundRuleFile extends FoundIn {
  file: string;
}

/** Every rule file in one parsed document of a rendered file (see `rulesInDocument` in @ck8s/components). */
export function rulesInFile(file: string, doc: unknown): FoundRuleFile[] {
  return rulesInDocument(doc).map((f) => ({ ...f, file }));
}

/** Every rule file in one environment's rendered tree (SOPS files are skipped: ciphertext holds no rules). */
export function findRuleFiles(tree: Tree, prefix = ''): FoundRuleFile[] {
  const out: FoundRuleFile[] = [];
  for (const [file, text] of [...tree].sort(([a], [b]) => a.localeCompare(b))) {
    if (!file.startsWith(prefix) || !/\.ya?ml$/.test(file) || file.includes('/secrets/')) continue;
    YAML.parseAllDocuments(text).forEach((d, i) => {
      const found = rulesInFile(file, d.toJS());
      out.push(...found.map((f) => ({ ...f, path: `doc ${i}${f.path ? ` ${f.path}` : ''}` })));
    });
  }
  return out;
}

/** What every alert of the platform carries; a missing one is a message naming the alert and where it is. */
export const REQUIRED_ALERT_FIELDS = { labels: ['severity'], annotations: ['summary', 'description', 'runbook_url'] } as const;

export function missingAlertFields(files: readonly FoundRuleFile[]): string[] {
  const problems: string[] = [];
  for (const f of files) {
    for (const g of f.groups) {
      for (const r of g.rules) {
        if (!r.alert) continue;
        const missing = [
          ...REQUIRED_ALERT_FIELDS.labels.filter((k) => !String(r.labels?.[k] ?? '').trim()).map((k) => `labels.${k}`),
          ...REQUIRED_ALERT_FIELDS.annotations.filter((k) => !String(r.annotations?.[k] ?? '').trim()).map((k) => `annotations.${k}`),
        ];
        if (missing.length) problems.push(`${f.file} (${f.path}) group ${g.name}: alert ${r.alert} has no ${missing.join(', ')}`);
      }
    }
  }
  return problems;
}
