import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { indexEntries } from './helm-index';

// The layout `helm repo index` writes (Go YAML): list items at the same indent as their chart key.
const HELM_LAYOUT = `apiVersion: v1
entries:
  a.b:
  - apiVersion: v2
    name: a.b
    urls:
    - a.b-1.0.0.tgz
    version: 1.0.0
  axb:
  - name: axb
    version: 9.9.9
  demo:
  # a comment inside the list
  - apiVersion: v2
    digest: ${'1'.repeat(64)}
    name: demo
    urls:
    - https://example.test/demo-1.2.0.tgz
    version: 1.2.0
  - name: demo
    urls:
    - demo-1.1.0.tgz
    version: "1.10"
  zeta:
  - name: zeta
    version: 0.1.0
generated: "2025-01-01T00:00:00Z"
serverInfo:
  demo: not a chart
`;

describe('Helm repository index entries', () => {
  it.each(['a.b', 'axb', 'demo', 'zeta'])('the section read for %s equals the whole index parsed', (chart) => {
    expect(indexEntries(HELM_LAYOUT, chart)).toEqual(YAML.parse(HELM_LAYOUT).entries[chart]);
  });

  it('keeps versions as written and knows no chart the index lacks, nor keys outside entries', () => {
    expect(indexEntries(HELM_LAYOUT, 'demo')?.map((e) => e.version)).toEqual(['1.2.0', '1.10']);
    expect(indexEntries(HELM_LAYOUT, 'contextPath')).toBeUndefined();
    expect(indexEntries(`apiVersion: v1\nentries: {}\nserverInfo:\n  demo: x\n`, 'demo')).toBeUndefined();
  });

  it("reads only the chart's own section of a Helm-layout index (a damaged neighbour does not matter)", () => {
    const damaged = HELM_LAYOUT.replace('  - name: zeta\n', '  - name: [zeta\n');
    expect(() => YAML.parse(damaged)).toThrow();
    expect(indexEntries(damaged, 'demo')).toHaveLength(2);
  });

  it('parses any other layout whole: a JSON index, a YAML one indented differently', () => {
    const index = YAML.parse(HELM_LAYOUT);
    expect(indexEntries(JSON.stringify(index), 'demo')).toEqual(index.entries.demo);
    expect(indexEntries(YAML.stringify(index, { indent: 4 }), 'demo')).toEqual(index.entries.demo);
  });

  it('throws on an index that is not YAML', () => {
    expect(() => indexEntries('entries: [unclosed', 'demo')).toThrow();
  });
});
