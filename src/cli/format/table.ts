/** SGR escape sequences (colours, bold, dim) as the CLI's style helpers write them. */
const ANSI_SGR = /\u001b\[[0-9;]*m/g;

/** How wide `s` shows on a terminal: colour codes take no columns. */
export function visibleLength(s: string): number {
  return s.replace(ANSI_SGR, '').length;
}

/**
 * Renders rows as an aligned plain-text table; cells are cut at `maxWidth` with an ellipsis.
 * Widths count visible characters, so coloured cells line up with plain ones.
 */
export function renderTable(headers: string[], rows: string[][], options: { maxWidth?: number } = {}): string {
  const max = options.maxWidth ?? 60;
  const cut = (s: string): string => {
    if (visibleLength(s) <= max) return s;
    // A cell too long to show keeps its text and loses its colour, rather than a cut escape code.
    const plain = s.replace(ANSI_SGR, '');
    return plain.slice(0, max - 1) + '…';
  };
  const cells = [headers, ...rows].map((r) => r.map((c) => cut(oneLine(c))));
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => visibleLength(r[i] ?? ''))));
  const pad = (c: string, w: number): string => c + ' '.repeat(Math.max(0, w - visibleLength(c)));
  const line = (r: string[]) => r.map((c, i) => pad(c, widths[i] ?? 0)).join('  ').trimEnd();
  const [head, ...body] = cells;
  return [line(head ?? []), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n') + '\n';
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}
