import { describe, expect, it } from 'vitest';
import { appendPath } from '../../../functions/core/append-path.ts';
import { formatPath } from '../../../functions/core/field-path.ts';
import { findPosition } from '../../../functions/core/find-position.ts';
import { parseGoDuration } from '../../../functions/core/go-duration.ts';
import { suggestName } from '../../../functions/core/suggest-name.ts';

describe('parseGoDuration', () => {
  it.each([
    ['30s', 30], ['5m', 300], ['1h30m', 5400], ['1.5h', 5400], ['0', 0], ['250ms', 0.25], ['2h0m0s', 7200],
  ])('%s is %d seconds', (text, seconds) => {
    expect(parseGoDuration(text)).toBeCloseTo(seconds);
  });
  it.each(['', '30', '30 seconds', '1d', '-5s', 's', '5m 3s'])('%j is not a duration', (text) => {
    expect(parseGoDuration(text)).toBeUndefined();
  });
});

describe('suggestName', () => {
  it.each([
    ['replica', ['replicas', 'routes'], 'replicas'],
    ['rolloutStratgy', ['rolloutStrategy', 'replicas'], 'rolloutStrategy'],
    ['Debugg', ['Normal', 'Debug', 'Trace'], 'Debug'],
    ['zzz', ['replicas', 'routes'], undefined],
  ])('%s → %s', (word, candidates, expected) => {
    expect(suggestName(word, candidates)).toBe(expected);
  });
});

describe('appendPath', () => {
  it.each([
    [['spec', 'storage', 's3', 'bucket']],
    [['spec', 'routes', 0, 'name']],
    [['data', 'registry.example.com..5000']],
    [['metadata', 'annotations', 'regops.io/allow']],
  ])('builds the same text as formatPath for %j', (segments) => {
    expect(segments.reduce<string>((path, s) => appendPath(path, s), '')).toBe(formatPath(segments));
  });
});

describe('findPosition', () => {
  const at = (line: number) => ({ file: 'f', line, col: 1 });
  it('falls back to the nearest enclosing field Git set', () => {
    const positions = { spec: at(1), 'spec.storage': at(2), 'spec.routes[0]': at(5) };
    expect(findPosition(positions, 'spec.storage')).toEqual(at(2));
    expect(findPosition(positions, 'spec.storage.pvc.claim')).toEqual(at(2));
    expect(findPosition(positions, 'spec.routes[0].name')).toEqual(at(5));
    expect(findPosition(positions, 'status.x')).toBeUndefined();
  });
});
