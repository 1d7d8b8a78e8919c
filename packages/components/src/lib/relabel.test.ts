import { describe, expect, it } from 'vitest';
import { exactAlternatives, relabel } from './relabel';

describe('relabel', () => {
  it('anchors the regex: keep "monitoring" does not keep "monitoring-extra"', () => {
    const rules = [{ source_labels: ['namespace'], regex: 'monitoring', action: 'keep' as const }];
    expect(relabel({ namespace: 'monitoring' }, rules)).toEqual({ namespace: 'monitoring' });
    expect(relabel({ namespace: 'monitoring-extra' }, rules)).toBeUndefined();
  });

  it('reads a missing label as the empty string and joins source labels with the separator', () => {
    expect(relabel({}, [{ source_labels: ['namespace'], regex: '', action: 'keep' }])).toEqual({});
    expect(relabel({ a: 'x', b: 'y' }, [{ source_labels: ['a', 'b'], regex: 'x;y', action: 'drop' }])).toBeUndefined();
    expect(relabel({ a: 'x', b: 'y' }, [{ source_labels: ['a', 'b'], separator: '/', regex: 'x/(.*)', target_label: 'c' }])).toEqual({
      a: 'x',
      b: 'y',
      c: 'y',
    });
  });

  it('replace with an empty result removes the target label; labeldrop and labelmap work on names', () => {
    expect(relabel({ a: 'x', t: 'old' }, [{ source_labels: ['missing'], regex: '(.*)', target_label: 't' }])).toEqual({ a: 'x' });
    expect(
      relabel({ __meta_x: '1', keep: '2' }, [
        { regex: '__meta_(.*)', action: 'labelmap' },
        { regex: '__meta_.*', action: 'labeldrop' },
      ]),
    ).toEqual({ x: '1', keep: '2' });
  });

  it('exactAlternatives escapes metacharacters', () => {
    const rules = [{ source_labels: ['n'], regex: exactAlternatives(['a.b', 'c']), action: 'keep' as const }];
    expect(relabel({ n: 'a.b' }, rules)).toBeDefined();
    expect(relabel({ n: 'axb' }, rules)).toBeUndefined();
  });
});
