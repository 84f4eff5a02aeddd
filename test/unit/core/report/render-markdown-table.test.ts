import { describe, expect, it } from 'vitest';
import { renderMarkdownTable } from '../../../../functions/core/report/render-markdown-table.ts';

describe('renderMarkdownTable', () => {
  it.each([
    {
      name: 'header, delimiter and one line per row',
      columns: ['Cluster', 'State'],
      rows: [['`a`', 'in-sync'], ['`b`', 'drifted']],
      lines: ['| Cluster | State |', '|---|---|', '| `a` | in-sync |', '| `b` | drifted |'],
    },
    {
      name: 'right-aligned number columns',
      columns: ['Cluster', { title: 'Add', align: 'right' as const }, 'Status'],
      rows: [['`a`', '3', 'changes']],
      lines: ['| Cluster | Add | Status |', '|---|---:|---|', '| `a` | 3 | changes |'],
    },
    { name: 'no rows: the header alone', columns: ['A'], rows: [], lines: ['| A |', '|---|'] },
  ])('$name', ({ columns, rows, lines }) => {
    expect(renderMarkdownTable(columns, rows)).toEqual(lines);
  });
});
