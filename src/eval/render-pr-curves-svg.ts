import type { PrPoint } from './precision-recall.js';

export interface PrCurveSeries {
  label: string;
  points: readonly PrPoint[];
  auprc: number | null;
}

const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#7f7f7f', '#bcbd22'];
const MAX_POINTS = 400;

/**
 * Precision (y) against recall (x) per category as a standalone SVG: axes 0–1 with a grid, one
 * step line per category, a legend with each curve's AUPRC. Long curves are thinned to a few
 * hundred points, keeping the first and last.
 */
export function renderPrCurvesSvg(series: readonly PrCurveSeries[], title = 'Precision–recall'): string {
  const width = 760;
  const height = 520;
  const m = { top: 40, right: 230, bottom: 50, left: 60 };
  const w = width - m.left - m.right;
  const h = height - m.top - m.bottom;
  const x = (recall: number): number => m.left + recall * w;
  const y = (precision: number): number => m.top + (1 - precision) * h;
  const f = (n: number): string => n.toFixed(1);

  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${m.left}" y="${m.top - 15}" font-size="15" font-weight="bold">${escapeXml(title)}</text>`,
  ];
  for (let i = 0; i <= 5; i++) {
    const v = i / 5;
    parts.push(
      `<line x1="${f(x(v))}" y1="${m.top}" x2="${f(x(v))}" y2="${m.top + h}" stroke="#e5e5e5"/>`,
      `<line x1="${m.left}" y1="${f(y(v))}" x2="${m.left + w}" y2="${f(y(v))}" stroke="#e5e5e5"/>`,
      `<text x="${f(x(v))}" y="${m.top + h + 18}" text-anchor="middle">${v.toFixed(1)}</text>`,
      `<text x="${m.left - 8}" y="${f(y(v) + 4)}" text-anchor="end">${v.toFixed(1)}</text>`,
    );
  }
  parts.push(
    `<rect x="${m.left}" y="${m.top}" width="${w}" height="${h}" fill="none" stroke="#333333"/>`,
    `<text x="${m.left + w / 2}" y="${height - 12}" text-anchor="middle">recall</text>`,
    `<text x="16" y="${m.top + h / 2}" text-anchor="middle" transform="rotate(-90 16 ${m.top + h / 2})">precision</text>`,
  );

  series.forEach((s, i) => {
    const colour = PALETTE[i % PALETTE.length] as string;
    const pts = thin(s.points);
    if (pts.length > 0) {
      // Step-wise, as average precision counts it: start at recall 0 with the first precision.
      let d = `M${f(x(0))},${f(y((pts[0] as PrPoint).precision))}`;
      let previousRecall = 0;
      for (const p of pts) {
        d += ` L${f(x(previousRecall))},${f(y(p.precision))} L${f(x(p.recall))},${f(y(p.precision))}`;
        previousRecall = p.recall;
      }
      parts.push(`<path d="${d}" fill="none" stroke="${colour}" stroke-width="2"/>`);
    }
    const ly = m.top + 10 + i * 20;
    const ap = s.auprc != null ? s.auprc.toFixed(3) : 'n/a';
    parts.push(
      `<line x1="${m.left + w + 20}" y1="${ly}" x2="${m.left + w + 44}" y2="${ly}" stroke="${colour}" stroke-width="3"/>`,
      `<text x="${m.left + w + 50}" y="${ly + 4}">${escapeXml(s.label)} (AP ${ap})</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}

function thin(points: readonly PrPoint[]): PrPoint[] {
  if (points.length <= MAX_POINTS) return [...points];
  const step = (points.length - 1) / (MAX_POINTS - 1);
  return Array.from({ length: MAX_POINTS }, (_, i) => points[Math.round(i * step)] as PrPoint);
}

function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] as string);
}
