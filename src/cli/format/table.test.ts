import { describe, expect, it } from 'vitest';
import { renderTable, visibleLength } from './table.js';

const red = (s: string): string => `\u001b[31m${s}\u001b[39m`;
const strip = (s: string): string => s.replace(/\u001b\[[0-9;]*m/g, '');

describe('renderTable', () => {
  it('lines coloured cells up with plain ones (colour codes take no columns)', () => {
    const out = renderTable(['input', 'outcome', 'target'], [
      ['hello', red('block'), 'sfw'],
      ['a longer input', 'route', red('restricted')],
    ]);
    const lines = strip(out).trimEnd().split('\n');
    const columnStarts = (l: string) => [l.indexOf('outcome'), l.indexOf('block'), l.indexOf('route')].filter((i) => i >= 0);
    expect(columnStarts(lines[0]!)[0]).toBe(columnStarts(lines[2]!)[0]);
    expect(columnStarts(lines[2]!)[0]).toBe(columnStarts(lines[3]!)[0]);
    expect(lines[0]!.indexOf('target')).toBe(lines[3]!.indexOf('restricted'));
    expect(lines[1]).toBe('--------------  -------  ----------');
  });

  it('cuts a long cell at maxWidth with an ellipsis, never inside a colour code', () => {
    const out = renderTable(['text'], [[red('x'.repeat(30))], ['short']], { maxWidth: 10 });
    const rows = out.trimEnd().split('\n');
    expect(rows[2]).toBe('xxxxxxxxx…');
    expect(visibleLength(rows[2]!)).toBe(10);
    expect(out).not.toMatch(/\u001b(?!\[[0-9;]*m)/);
  });
});
