import { NEUTRAL_COLOR } from './report-colors.js';

/**
 * Inline SVG charts for the audit report: plain markup, no script, no external assets, so the
 * report opens anywhere (an air-gapped auditor's laptop, an e-mail attachment) and prints.
 */

export interface BarItem {
  label: string;
  value: number;
  /** The colour says what the bar is (see `report-colors.ts`); never its rank. Default neutral. */
  color?: string;
}


export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

/** Horizontal bars, one per item, labelled with the item and its count. */
export function barChartSvg(title: string, items: BarItem[], options: { width?: number } = {}): string {
  const width = options.width ?? 640;
  const labelWidth = 220;
  const valueWidth = 70;
  const barHeight = 20;
  const gap = 6;
  const height = Math.max(1, items.length) * (barHeight + gap) + gap;
  const max = Math.max(1, ...items.map((i) => i.value));
  const span = width - labelWidth - valueWidth;
  const rows = items
    .map((item, i) => {
      const y = gap + i * (barHeight + gap);
      const w = item.value > 0 ? Math.max(1, Math.round((item.value / max) * span)) : 0;
      const color = item.color ?? NEUTRAL_COLOR;
      return (
        `<text x="${labelWidth - 8}" y="${y + barHeight * 0.7}" text-anchor="end" class="lbl">${escapeHtml(truncate(item.label, 34))}</text>` +
        `<rect x="${labelWidth}" y="${y}" width="${w}" height="${barHeight}" fill="${color}"><title>${escapeHtml(item.label)}: ${item.value}</title></rect>` +
        `<text x="${labelWidth + w + 6}" y="${y + barHeight * 0.7}" class="val">${item.value}</text>`
      );
    })
    .join('');
  const empty = items.length === 0 ? `<text x="${width / 2}" y="${height / 2 + 4}" text-anchor="middle" class="lbl">no data</text>` : '';
  return `<svg class="chart" role="img" aria-label="${escapeHtml(title)}" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"><title>${escapeHtml(title)}</title>${rows}${empty}</svg>`;
}

export interface TimeBucket {
  start: number;
  values: Record<string, number>;
}

/** Stacked columns over time, with a legend and a few time labels on the axis. */
export function stackedColumnsSvg(
  title: string,
  buckets: TimeBucket[],
  series: { key: string; label: string; color: string }[],
  formatTime: (ms: number) => string,
  options: { width?: number; height?: number } = {},
): string {
  const width = options.width ?? 860;
  const plotHeight = options.height ?? 220;
  const left = 56;
  const right = 12;
  const top = 28;
  const bottom = 42;
  const height = top + plotHeight + bottom;
  const totals = buckets.map((b) => series.reduce((s, x) => s + (b.values[x.key] ?? 0), 0));
  // Four gridline steps of a whole, round number of decisions: a count axis never reads 0.3 or 1.3.
  const step = niceStep(Math.max(1, ...totals) / 4);
  const max = step * 4;
  const plotWidth = width - left - right;
  const slot = buckets.length > 0 ? plotWidth / buckets.length : plotWidth;
  const barWidth = Math.max(1, slot * 0.8);
  let bars = '';
  buckets.forEach((b, i) => {
    let y = top + plotHeight;
    const x = left + i * slot + (slot - barWidth) / 2;
    for (const s of series) {
      const v = b.values[s.key] ?? 0;
      if (v <= 0) continue;
      const h = (v / max) * plotHeight;
      y -= h;
      bars += `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${barWidth.toFixed(1)}" height="${h.toFixed(1)}" fill="${s.color}"><title>${escapeHtml(formatTime(b.start))} ${escapeHtml(s.label)}: ${v}</title></rect>`;
    }
  });
  let axis = `<line x1="${left}" y1="${top + plotHeight}" x2="${width - right}" y2="${top + plotHeight}" class="axis"/>`;
  for (let i = 0; i <= 4; i++) {
    const v = step * i;
    const y = top + plotHeight - (v / max) * plotHeight;
    axis += `<line x1="${left}" y1="${y.toFixed(1)}" x2="${width - right}" y2="${y.toFixed(1)}" class="grid"/><text x="${left - 6}" y="${(y + 4).toFixed(1)}" text-anchor="end" class="val">${formatCount(v)}</text>`;
  }
  const labelEvery = Math.max(1, Math.ceil(buckets.length / 6));
  buckets.forEach((b, i) => {
    if (i % labelEvery !== 0) return;
    const x = left + i * slot + slot / 2;
    axis += `<text x="${x.toFixed(1)}" y="${top + plotHeight + 16}" text-anchor="middle" class="val">${escapeHtml(formatTime(b.start))}</text>`;
  });
  let legend = '';
  let lx = left;
  for (const s of series) {
    legend += `<rect x="${lx}" y="8" width="12" height="12" fill="${s.color}"/><text x="${lx + 16}" y="18" class="lbl">${escapeHtml(s.label)}</text>`;
    lx += 24 + s.label.length * 7;
  }
  const empty = buckets.length === 0 ? `<text x="${width / 2}" y="${top + plotHeight / 2}" text-anchor="middle" class="lbl">no decisions in range</text>` : '';
  return `<svg class="chart" role="img" aria-label="${escapeHtml(title)}" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"><title>${escapeHtml(title)}</title>${axis}${bars}${legend}${empty}</svg>`;
}

/** The smallest of 1, 2, 5 × 10^k (at least 1) that is at least `v`. */
function niceStep(v: number): number {
  if (v <= 1) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

function formatCount(v: number): string {
  if (v >= 1e6) return `${(v / 1e6).toFixed(v % 1e6 === 0 ? 0 : 1)}M`;
  if (v >= 1e3) return `${(v / 1e3).toFixed(v % 1e3 === 0 ? 0 : 1)}k`;
  return Number.isInteger(v) ? String(v) : v.toFixed(1);
}

function truncate(text: string, max: number): string {
  return text.length > max ? text.slice(0, max - 1) + '…' : text;
}
