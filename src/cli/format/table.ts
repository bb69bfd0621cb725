/** Renders rows as an aligned plain-text table; cells are cut at `maxWidth` with an ellipsis. */
export function renderTable(headers: string[], rows: string[][], options: { maxWidth?: number } = {}): string {
  const max = options.maxWidth ?? 60;
  const cut = (s: string) => (s.length > max ? s.slice(0, max - 1) + '…' : s);
  const cells = [headers, ...rows].map((r) => r.map((c) => cut(oneLine(c))));
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  const [head, ...body] = cells;
  return [line(head ?? []), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n') + '\n';
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}
