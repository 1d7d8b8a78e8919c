import { describe, expect, it } from 'vitest';
import { realTool } from '@ck8s/testing';
import { CATALOG } from './catalog';
import { promtoolSuite, runPromtoolSuite } from './lib/alerts';

const bin = realTool('promtool', 'alert rule unit tests');
const groups = CATALOG.flatMap((c) => (c.alerts ?? []).map((g) => ({ component: c.name, group: g })));

describe("the platform's alerts", () => {
  it('have one owner per group name and per alert name', () => {
    const names = groups.map((g) => g.group.name);
    expect(new Set(names).size).toBe(names.length);
    const alerts = groups.flatMap((g) => g.group.alerts.map((a) => a.alert));
    expect(alerts.filter((a, i) => alerts.indexOf(a) !== i)).toEqual([]);
  });
});

// Per group: one promtool run with a firing and a silent case for every alert (generated from the typed cases), one with them swapped.
describe.skipIf(!bin).each(groups.map((g) => [`${g.component}/${g.group.name}`, g.group] as const))('promtool test rules: %s', (_, group) => {
  it('fires in its firing case and stays silent in its silent case', () => {
    const suite = promtoolSuite(group);
    expect(suite.cases).toBe(group.alerts.length * 2);
    const result = runPromtoolSuite(bin as string, suite);
    expect(result.ok, result.output).toBe(true);
  }, 60_000);

  // The cases must tell the two situations apart: with the firing and silent inputs swapped, every test fails.
  it('fails every test when the firing and silent inputs are swapped', () => {
    const swapped = group.alerts.map((a) => ({ ...a, tests: { fires: { ...a.tests.silent, labels: a.tests.fires.labels }, silent: a.tests.fires } }));
    const result = runPromtoolSuite(bin as string, promtoolSuite({ ...group, alerts: swapped }));
    expect(result.ok).toBe(false);
    for (const a of group.alerts) {
      expect(result.output, a.alert).toContain(`${a.alert} fires`);
      expect(result.output, a.alert).toContain(`${a.alert} stays silent`);
    }
  }, 60_000);
});
