import { describe, expect, it } from 'vitest';
import { loadEnvironment } from '@ck8s/render';
import { hasShared, repoRoot } from '@ck8s/testing';
import { imageRefs, mirrored, mirrorList } from './mirror-list';

describe('image references', () => {
  it('come from image strings and registry/repository/tag maps, with the appVersion for an empty tag', () => {
    const values = {
      image: { registry: 'quay.io', repository: 'prometheus/prometheus', tag: '' },
      sidecar: { image: 'ghcr.io/example/reloader:v1' },
      backup: { repository: 'snapshots', bucket: 'b' }, // a snapshot repository, not an image
      digestOnly: { repository: 'docker.io/library/busybox', digest: 'sha256:abc' },
    };
    expect(imageRefs(values, 'v3.6.0').sort()).toEqual([
      'docker.io/library/busybox@sha256:abc',
      'ghcr.io/example/reloader:v1',
      'quay.io/prometheus/prometheus:v3.6.0',
    ]);
  });

  it('map onto the mirror by replacing the registry host and keeping the path', () => {
    expect(mirrored('docker.io/falcosecurity/falco:0.41.3', 'registry.example.com')).toBe('registry.example.com/falcosecurity/falco:0.41.3');
    expect(mirrored('velero/velero:v1.16.1', 'registry.example.com')).toBe('registry.example.com/velero/velero:v1.16.1');
    expect(mirrored('localhost:5000/a/b:1', 'm.example.com:5000')).toBe('m.example.com:5000/a/b:1');
  });
});

describe.skipIf(!hasShared('charts'))('the mirror list of example-airgap', () => {
  it("names every pinned chart and the images of the charts' defaults and of the platform's own objects", () => {
    const list = mirrorList(repoRoot, loadEnvironment(repoRoot, 'example-airgap'));
    expect(list.unresolved).toEqual([]);
    expect(list.charts.map((c) => c.key)).toEqual(expect.arrayContaining(['gatekeeper', 'opensearch', 'harbor', 'thanos', 'velero']));
    for (const c of list.charts) expect(c.mirror).toBe('oci://registry.airgap.example.com/charts');
    const images = list.images.map((i) => i.image);
    expect(images).toEqual(
      expect.arrayContaining([
        'docker.io/falcosecurity/falco:0.41.3',
        'quay.io/prometheus/prometheus:v3.6.0',
        'docker.io/rclone/rclone:1.68.2',
        'goharbor/harbor-core:v2.13.1',
      ]),
    );
    expect(list.images.find((i) => i.image === 'quay.io/prometheus/prometheus:v3.6.0')!.mirror).toBe(
      'registry.airgap.example.com/prometheus/prometheus:v3.6.0',
    );
  });
});
