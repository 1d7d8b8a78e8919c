/**
 * Prometheus relabelling, as Prometheus applies `relabel_configs` / `alert_relabel_configs`: enough of it
 * (keep, drop, replace, labelmap, labeldrop, labelkeep) to evaluate the rules the platform renders on
 * sample label sets in tests, so a routing rule is proven by running it, not by reading it.
 */
export interface RelabelConfig {
  source_labels?: string[];
  separator?: string;
  regex?: string;
  target_label?: string;
  replacement?: string;
  action?: 'replace' | 'keep' | 'drop' | 'labelmap' | 'labeldrop' | 'labelkeep';
}

export type Labels = Record<string, string>;

/** Prometheus anchors every relabel regex at both ends (RE2 syntax; the rules we render use the common subset). */
const anchored = (regex = '(.*)') => new RegExp(`^(?:${regex})$`);

/** `$1` / `${1}` references in a replacement, as Go's Regexp.Expand resolves them. */
function expand(replacement: string, match: RegExpExecArray): string {
  return replacement.replace(/\$\{?(\w+)\}?/g, (_, ref: string) => match[Number(ref)] ?? '');
}

/** The labels after every rule, or undefined when a rule drops the whole set. */
export function relabel(labels: Labels, configs: readonly RelabelConfig[]): Labels | undefined {
  let current: Labels = { ...labels };
  for (const c of configs) {
    const action = c.action ?? 'replace';
    const re = anchored(c.regex);
    const value = (c.source_labels ?? []).map((l) => current[l] ?? '').join(c.separator ?? ';');
    switch (action) {
      case 'keep':
        if (!re.test(value)) return undefined;
        break;
      case 'drop':
        if (re.test(value)) return undefined;
        break;
      case 'replace': {
        const match = re.exec(value);
        if (!match || !c.target_label) break;
        const result = expand(c.replacement ?? '$1', match);
        if (result === '') delete current[c.target_label];
        else current[c.target_label] = result;
        break;
      }
      case 'labelmap': {
        const next: Labels = { ...current };
        for (const [k, v] of Object.entries(current)) {
          const match = re.exec(k);
          if (match) next[expand(c.replacement ?? '$1', match)] = v;
        }
        current = next;
        break;
      }
      case 'labeldrop':
        current = Object.fromEntries(Object.entries(current).filter(([k]) => !re.test(k)));
        break;
      case 'labelkeep':
        current = Object.fromEntries(Object.entries(current).filter(([k]) => re.test(k)));
        break;
    }
  }
  return current;
}

/** A regex alternative that matches exactly these strings (RE2 and JavaScript escape the same metacharacters). */
export function exactAlternatives(values: readonly string[]): string {
  return values.map((v) => v.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&')).join('|');
}
