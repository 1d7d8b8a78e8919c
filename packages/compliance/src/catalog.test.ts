import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { COMPLIANCE_FRAMEWORKS } from '@ck8s/config';
import { CATALOG } from '@ck8s/components';
import { hasShared, sharedDir, skipMessage } from '@ck8s/testing';
import { CONTROLS } from './controls';

const REFERENCE = ['compliance', 'ck8s-docs-control-tags.yaml'];

/** The reference data's names for components, mapped to ours (its `fluentd` is our Fluent Bit, `hnc` our Capsule...). */
const OURS: Record<string, string[]> = {
  'ingress-nginx': ['ingress'],
  fluentd: ['fluent-bit'],
  hnc: ['capsule'],
  'network-policies': ['namespaces'],
  prometheus: ['kube-prometheus-stack'],
  alertmanager: ['kube-prometheus-stack'],
  grafana: ['kube-prometheus-stack'],
};
const shipped = new Set(CATALOG.map((c) => c.name));

describe('control catalog', () => {
  it('defines each control once, with a framework it knows', () => {
    const ids = CONTROLS.map((c) => c.id);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    for (const c of CONTROLS) {
      expect(COMPLIANCE_FRAMEWORKS).toContain(c.framework);
      expect(c.id).toBe(`${c.framework} ${c.ref}`);
      expect(c.title.length).toBeGreaterThan(3);
    }
  });

  it("gives every control an evidence rule or marks it the operator's responsibility", () => {
    expect(CONTROLS.filter((c) => !c.rules.length && !c.operator?.length).map((c) => c.id)).toEqual([]);
  });

  it('lets components reference only controls of the catalog', () => {
    const known = new Set(CONTROLS.map((c) => c.id));
    const unknown = CATALOG.flatMap((c) => (c.controls ?? []).filter((id) => !known.has(id)).map((id) => `${c.name}: ${id}`));
    expect(unknown).toEqual([]);
    expect(CATALOG.filter((c) => !c.controls?.length).map((c) => c.name)).toEqual([]);
  });

  it('has each component declare every control whose evidence rule reads that component', () => {
    const missing: string[] = [];
    for (const control of CONTROLS) {
      for (const { rule } of control.rules) {
        for (const name of rule.components) {
          const c = CATALOG.find((x) => x.name === name);
          if (!c) missing.push(`${rule.id}: no component ${name}`);
          else if (!c.controls?.includes(control.id)) missing.push(`${name} lacks ${control.id} (rule ${rule.id})`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  describe.skipIf(!hasShared(...REFERENCE))(`against the reference control tags ${hasShared(...REFERENCE) ? '' : skipMessage(...REFERENCE)}`, () => {
    interface RefControl {
      control_id: string;
      components: string[];
    }
    // Read when a test runs: a skipped describe still collects its body.
    let cached: { frameworks: { framework: string; controls: RefControl[] }[] } | undefined;
    const reference = () => (cached ??= YAML.parse(readFileSync(sharedDir(...REFERENCE), 'utf8')) as NonNullable<typeof cached>);

    it.each(COMPLIANCE_FRAMEWORKS.map((f) => [f]))('claims every %s control whose components we ship', (framework) => {
      const section = reference().frameworks.find((f) => f.framework === framework);
      expect(section, `framework ${framework} in the reference data`).toBeDefined();
      const ours = new Set(CONTROLS.filter((c) => c.framework === framework).map((c) => c.ref));
      const carried = section!.controls.filter((c) => c.components.some((x) => (OURS[x] ?? [x]).some((n) => shipped.has(n))));
      expect(carried.length).toBeGreaterThan(0);
      expect(carried.map((c) => c.control_id).filter((id) => !ours.has(id))).toEqual([]);
    });

    it('claims only controls the reference data tags, or says why', () => {
      const tagged = new Set(reference().frameworks.flatMap((f) => f.controls.map((c) => `${f.framework} ${c.control_id}`)));
      // A.12.4.2 (protection of log information) is not tagged in the documentation but carried by the same design.
      expect(CONTROLS.filter((c) => !tagged.has(c.id)).map((c) => c.id)).toEqual(['ISO 27001 A.12.4.2']);
    });

    it('leaves to the operator exactly the controls the reference data puts on the platform alone, plus the FIPS requirement', () => {
      const platformOnly = reference()
        .frameworks.filter((f) => (COMPLIANCE_FRAMEWORKS as readonly string[]).includes(f.framework))
        .flatMap((f) => f.controls.filter((c) => c.components.every((x) => x === 'platform')).map((c) => `${f.framework} ${c.control_id}`));
      const operatorOnly = CONTROLS.filter((c) => !c.rules.length).map((c) => c.id);
      // Ours where we carry something the reference puts on the platform as a whole (2 kap. 4 §: the separate management cluster
      // and log shipping; 3.1.11, 3.12.4, 3.13.2, ... stay the operator's).
      expect(platformOnly.filter((id) => !operatorOnly.includes(id))).toEqual(['MSBFS 2020:7 2 kap. 4 §']);
      expect(operatorOnly.filter((id) => !platformOnly.includes(id))).toEqual(expect.arrayContaining(['NIST SP 800-171 3.13.11']));
    });
  });
});
