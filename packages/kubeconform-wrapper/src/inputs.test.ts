import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '@ck8s/testing';
import { collectSources } from './inputs';

describe('collectSources', () => {
  it('walks folders like kubeconform: manifest extensions only, name order, links to files read, links to folders not followed', () => {
    const t = tempDir('kcw-inputs-');
    try {
      const dir = join(t.dir, 'in');
      mkdirSync(join(dir, 'sub'), { recursive: true });
      writeFileSync(join(dir, 'b.yaml'), 'b: 1\n');
      writeFileSync(join(dir, 'a.json'), '{}');
      writeFileSync(join(dir, 'notes.txt'), 'x');
      writeFileSync(join(dir, 'sub', 'c.yml'), 'c: 1\n');
      symlinkSync(join(dir, 'b.yaml'), join(dir, 'link.yaml'));
      symlinkSync(dir, join(dir, 'sub', 'loop')); // a cycle: followed, the walk would never end
      const { sources } = collectSources({ inputs: [dir], ignoreFilenamePatterns: ['/a\\.json$'] });
      expect(sources.map((s) => [s.filename.slice(dir.length + 1), s.content, s.readError])).toEqual([
        ['b.yaml', 'b: 1\n', undefined],
        ['link.yaml', 'b: 1\n', undefined],
        ['sub/c.yml', 'c: 1\n', undefined],
      ]);
    } finally {
      t.cleanup();
    }
  });

  it('reports a missing input as an unreadable source', () => {
    expect(collectSources({ inputs: ['/nonexistent/x.yaml'] }).sources).toEqual([
      { filename: '/nonexistent/x.yaml', origin: 'path', content: '', readError: 'lstat /nonexistent/x.yaml: no such file or directory' },
    ]);
  });
});
