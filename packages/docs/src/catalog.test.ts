import { describe, expect, it } from 'vitest';
import { catalogMarkdown, presetCells } from './catalog';

describe('catalog flavor presets', () => {
  const rows = ['enabled', 'replicas', 'resources.cpu', 'resources.memory', 'days', 'receivers'];

  it("shows each key's presets in its row, flavors with the same value together", () => {
    const cells = presetCells(
      {
        dev: { replicas: 1 },
        prod: { replicas: 2, resources: { cpu: '50m' }, days: ['mo', 'tu'] },
        'air-gapped': { replicas: 2, resources: { cpu: '100m' }, days: ['mo', 'tu'] },
      },
      rows,
    );
    expect(Object.fromEntries(cells)).toEqual({
      replicas: '`dev`: `1`; `prod`, `air-gapped`: `2`',
      'resources.cpu': '`prod`: `"50m"`; `air-gapped`: `"100m"`',
      days: '`prod`, `air-gapped`: `["mo","tu"]`',
    });
  });

  it('takes a map-valued row whole and escapes table pipes', () => {
    expect(presetCells({ prod: { receivers: { a: 'x|y' } } }, rows).get('receivers')).toBe('`prod`: `{"a":"x\\|y"}`');
  });

  it('refuses a preset for a key the catalog has no row for, so no preset is hidden', () => {
    expect(() => presetCells({ prod: { replica: 2 } }, rows)).toThrow('flavor preset "prod" sets "replica", which is no setting of the component');
    expect(() => presetCells({ prod: { resources: { cpus: '1' } } }, rows)).toThrow('"resources.cpus"');
    expect(() => presetCells({ prod: { resources: {} } }, rows)).toThrow('"resources"');
  });

  it('renders the presets column of the settings table', () => {
    const text = catalogMarkdown([
      {
        name: 'demo',
        anchor: 'demo',
        key: 'demo',
        description: 'A demo',
        roles: 'management',
        namespace: 'demo',
        podSecurity: 'restricted',
        charts: [],
        dependsOn: '',
        controls: '',
        settings: [
          { path: 'replicas', type: 'integer', default: '`1`', presets: '`prod`: `2`', description: 'Replicas' },
          { path: 'enabled', type: 'boolean', default: '`true`', presets: '', description: '' },
        ],
        alerts: [],
      },
    ]);
    expect(text).toContain('| key | type | default | flavor presets | description |');
    expect(text).toContain('| `components.demo.replicas` | integer | `1` | `prod`: `2` | Replicas |');
    expect(text).toContain('| `components.demo.enabled` | boolean | `true` |  |  |');
    expect(text).not.toContain('Alerts:');
  });

  it("lists a component's alerts with links to their runbook sections", () => {
    const base = {
      anchor: 'demo',
      key: 'demo',
      description: 'A demo',
      roles: 'management',
      namespace: 'demo',
      podSecurity: 'restricted',
      charts: [],
      dependsOn: '',
      controls: '',
      settings: [],
    };
    const text = catalogMarkdown([
      {
        ...base,
        name: 'demo',
        alerts: [
          {
            name: 'demo',
            title: 'Demo things',
            alerts: [{ name: 'DemoDown', severity: 'critical', summary: 'Demo {instance} is down', runbook: '../../docs/runbooks/demo.md#demodown' }],
          },
        ],
      },
    ]);
    expect(text).toContain('| [DemoDown](../../docs/runbooks/demo.md#demodown) | Demo things (`demo`) | critical | Demo {instance} is down |');
  });
});
