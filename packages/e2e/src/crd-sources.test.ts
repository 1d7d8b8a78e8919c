import { describe, expect, it } from 'vitest';
import { DEFAULT_FLUX_VERSION } from '@ck8s/bootstrap';
import { chartCatalog } from '@ck8s/components';
import { hasShared, sharedDir, skipMessage } from '@ck8s/testing';
import { CHART_CRDS, chartCrdFolder, crdGroup, FLUX_CRDS, fluxCrdFolders, readCrds } from './crd-sources';

const crdsDir = sharedDir('crds');
const shared = hasShared('crds');
if (!shared) console.warn(skipMessage('crds'));

describe.skipIf(!shared)('CRDs of the pinned charts and of Flux (../shared/crds)', () => {
  const charts = chartCatalog();

  it.each(
    Object.entries(charts)
      .filter(([, pin]) => pin.crds)
      .map(([name, pin]) => [name, pin.version]),
  )('chart %s %s (crds: true in charts.yaml) has its CRD files at that version', (name, version) => {
    expect(CHART_CRDS[name], `${name} ships CRDs but packages/e2e/src/crd-sources.ts does not say where they are`).toBeDefined();
    const { folder, error } = chartCrdFolder(crdsDir, name, version);
    expect(error).toBeUndefined();
    const crds = readCrds(folder!);
    expect(crds.length).toBeGreaterThan(0);
    for (const crd of crds) expect(crd.metadata.name).toBe(`${(crd.spec as { names: { plural: string } }).names.plural}.${crdGroup(crd)}`);
  });

  it('every CRD source is for a pinned chart, and every version override is for the pinned version', () => {
    for (const [name, source] of Object.entries(CHART_CRDS)) {
      const pin = charts[name];
      expect(pin, `${name}: not in packages/components/charts.yaml`).toBeDefined();
      // An override left behind after a chart bump would silently map the new version to old CRDs.
      for (const chartVersion of Object.keys(source.versions ?? {})) expect(chartVersion, `${name}: stale version override`).toBe(pin.version);
      expect(chartCrdFolder(crdsDir, name, pin.version).error).toBeUndefined();
    }
  });

  it('a chart bump without new CRD files is an error naming the chart, the version and the folder', () => {
    const { folder, error } = chartCrdFolder(crdsDir, 'gatekeeper', '3.99.0');
    expect(folder).toBeUndefined();
    expect(error).toContain('chart gatekeeper 3.99.0 installs CRDs');
    expect(error).toContain(`${crdsDir}/gatekeeper/`);
    expect(error).toMatch(/has: .*3\.20\.1/);
  });

  it(`the Flux version the bootstrap installs (${DEFAULT_FLUX_VERSION}) has the CRDs of its four controllers`, () => {
    expect(Object.keys(FLUX_CRDS)).toContain(DEFAULT_FLUX_VERSION);
    const kinds = fluxCrdFolders(crdsDir, DEFAULT_FLUX_VERSION)
      .flatMap(readCrds)
      .map((c) => `${crdGroup(c)}/${(c.spec as { names: { kind: string } }).names.kind}`);
    expect(kinds).toEqual(
      expect.arrayContaining([
        'source.toolkit.fluxcd.io/GitRepository',
        'source.toolkit.fluxcd.io/HelmRepository',
        'kustomize.toolkit.fluxcd.io/Kustomization',
        'helm.toolkit.fluxcd.io/HelmRelease',
        'notification.toolkit.fluxcd.io/Provider',
        'notification.toolkit.fluxcd.io/Alert',
      ]),
    );
    expect(() => fluxCrdFolders(crdsDir, 'v9.9.9')).toThrow(/no Flux CRD sources known for Flux v9\.9\.9/);
  });

  it('reads the upstream files as the API server does (the bare "=" enum value stays a string)', () => {
    const { folder } = chartCrdFolder(crdsDir, 'kube-prometheus-stack', charts['kube-prometheus-stack'].version);
    const text = JSON.stringify(readCrds(folder!).find((c) => c.metadata.name === 'alertmanagerconfigs.monitoring.coreos.com'));
    expect(text).toContain('"="');
  });
});
