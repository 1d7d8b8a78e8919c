import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '@ck8s/testing';
import { readTar, readTgz } from './tar';

// A path longer than the 100-byte name field: ustar splits it into prefix + name, GNU tar writes an `L`
// long-name member before it, pax a `path` record.
const DEEP = `chart/charts/${'sub'.repeat(30)}/templates`;
const FILES: Record<string, string> = {
  'chart/Chart.yaml': 'name: chart\nversion: 1.0.0\n',
  'chart/values.yaml': 'replicas: 1\n',
  [`${DEEP}/configmap.yaml`]: 'kind: ConfigMap\n',
  'chart/empty.txt': '',
};

describe('tar reader over archives GNU tar writes', () => {
  let t: ReturnType<typeof tempDir>;
  beforeAll(() => {
    t = tempDir('ck8s-tar-');
    for (const [path, content] of Object.entries(FILES)) {
      mkdirSync(join(t.dir, 'src', path, '..'), { recursive: true });
      writeFileSync(join(t.dir, 'src', path), content);
    }
  });
  afterAll(() => t.cleanup());

  const pack = (format: string): Buffer => {
    const out = join(t.dir, `${format}.tar`);
    const r = spawnSync('tar', [`--format=${format}`, '-cf', out, '-C', join(t.dir, 'src'), 'chart'], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`tar --format=${format} failed: ${r.stderr}`);
    return readFileSync(out);
  };
  const files = (entries: ReturnType<typeof readTar>) =>
    Object.fromEntries(entries.filter((e) => e.type === 'file').map((e) => [e.path, e.data.toString('utf8')]));

  it.each([
    ['gnu', '././@LongLink'],
    ['pax', ` path=${DEEP}`],
    ['ustar', 'chart/charts/sub'],
  ])('reads every file with its full path and content (%s format)', (format, marker) => {
    const archive = pack(format);
    expect(archive.includes(marker), `the ${format} archive carries its long-name form`).toBe(true);
    expect(files(readTar(archive))).toEqual(FILES);
  });

  it('reports directories as directories', () => {
    expect(
      readTar(pack('pax'))
        .filter((e) => e.type === 'directory')
        .map((e) => e.path.replace(/\/$/, '')),
    ).toContain(DEEP);
  });

  it('reads a gzip-compressed archive', () => {
    expect(files(readTgz(gzipSync(pack('gnu'))))).toEqual(FILES);
  });

  it('rejects a header whose checksum does not match', () => {
    const archive = pack('ustar');
    archive[0] ^= 0x01;
    expect(() => readTar(archive)).toThrow(/bad header checksum at byte 0/);
  });

  it('rejects an archive cut short inside a member or before its end blocks', () => {
    const archive = pack('gnu');
    const valuesAt = archive.indexOf('replicas: 1');
    expect(() => readTar(archive.subarray(0, valuesAt + 4))).toThrow(/cut short/);
    const lastMemberEnd = archive.lastIndexOf('kind: ConfigMap') + 512;
    expect(() => readTar(archive.subarray(0, lastMemberEnd - (lastMemberEnd % 512)))).toThrow(/end-of-archive/);
  });

  it('rejects data that is not gzip', () => {
    expect(() => readTgz(Buffer.from('<html>not found</html>'))).toThrow();
  });
});
