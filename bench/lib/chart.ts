import fs from 'fs';
import { Resvg } from '@resvg/resvg-js';
import { type Figure, fmtRate } from './stats';

export interface Bar {
  readonly series: string;
  readonly figure?: Figure;
  /** Shown instead of a bar when there is no figure. */
  readonly missing?: string;
}

export interface Panel {
  readonly title: string;
  readonly unit: string;
  readonly groups: readonly { readonly label: string; readonly bars: readonly Bar[] }[];
  readonly target?: { readonly value: number; readonly label: string };
}

export const COLORS: Record<string, string> = {
  'raw driver (limit)': '#8c8c8c',
  'raw kafkajs (limit)': '#8c8c8c',
  'MongoEventStore': '#1f6fb4',
  'OutboxRelay + KafkaEventBus': '#1f6fb4',
  'readStream + fold (aggregate of N events)': '#1f6fb4',
  'readAll from a checkpoint': '#5aa0d8',
  'server read models': '#1f6fb4',
  'memory read models': '#2e9e5b',
  peer: '#e07b24',
  p50: '#5aa0d8',
  p95: '#1f6fb4',
  p99: '#0d3d66',
  RSS: '#1f6fb4',
};

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const color = (series: string) => COLORS[series] ?? (series.startsWith('peer') || series.includes('emmett') ? COLORS.peer : '#555');

/** Panels side by side on a logarithmic axis each (the figures span several orders of magnitude). */
export function renderSvg(title: string, subtitle: string, panels: readonly Panel[]): string {
  const cols = 2;
  const pw = 620;
  const ph = 400;
  const top = 80;
  const width = cols * pw + 20;
  const height = top + Math.ceil(panels.length / cols) * ph + 20;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="DejaVu Sans, Liberation Sans, Arial, sans-serif">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="20" y="34" font-size="22" font-weight="bold" fill="#111">${esc(title)}</text>`,
    `<text x="20" y="60" font-size="13" fill="#444">${esc(subtitle)}</text>`,
  ];
  panels.forEach((panel, index) => {
    const x0 = 10 + (index % cols) * pw;
    const y0 = top + Math.floor(index / cols) * ph;
    out.push(renderPanel(panel, x0, y0, pw - 20, ph - 20));
  });
  out.push('</svg>');
  return out.join('\n');
}

function renderPanel(panel: Panel, x0: number, y0: number, w: number, h: number): string {
  const left = x0 + 70;
  const right = x0 + w - 10;
  const plotTop = y0 + 66;
  const plotBottom = y0 + h - 70;
  const values = panel.groups.flatMap((g) => g.bars.flatMap((b) => (b.figure ? [b.figure.min, b.figure.max, b.figure.median] : [])));
  if (panel.target) values.push(panel.target.value);
  const positive = values.filter((v) => v > 0);
  const lo = Math.floor(Math.log10(Math.min(...positive, 1)));
  const hi = Math.ceil(Math.log10(Math.max(...positive, 10)) + 0.15);
  const y = (v: number) => plotBottom - ((Math.log10(Math.max(v, 10 ** lo)) - lo) / (hi - lo)) * (plotBottom - plotTop);
  const out: string[] = [
    `<rect x="${x0}" y="${y0}" width="${w}" height="${h}" fill="#fafafa" stroke="#ddd"/>`,
    `<text x="${x0 + 12}" y="${y0 + 26}" font-size="16" font-weight="bold" fill="#111">${esc(panel.title)}</text>`,
    `<text x="${x0 + 12}" y="${y0 + 44}" font-size="11" fill="#666">${esc(panel.unit)} (log scale; bar = median, whisker = min–max)</text>`,
  ];
  for (let d = lo; d <= hi; d++) {
    const yy = y(10 ** d);
    out.push(`<line x1="${left}" y1="${yy}" x2="${right}" y2="${yy}" stroke="#e3e3e3"/>`);
    out.push(`<text x="${left - 6}" y="${yy + 4}" font-size="11" fill="#555" text-anchor="end">${esc(fmtRate(10 ** d))}</text>`);
  }
  out.push(`<line x1="${left}" y1="${plotBottom}" x2="${right}" y2="${plotBottom}" stroke="#888"/>`);
  const groupWidth = (right - left) / panel.groups.length;
  panel.groups.forEach((group, gi) => {
    const gx = left + gi * groupWidth;
    const barWidth = Math.min(56, (groupWidth - 20) / group.bars.length);
    const start = gx + (groupWidth - barWidth * group.bars.length) / 2;
    group.bars.forEach((bar, bi) => {
      const bx = start + bi * barWidth;
      const cx = bx + barWidth / 2;
      if (!bar.figure) {
        out.push(`<text x="${cx}" y="${plotBottom - 8}" font-size="10" fill="${color(bar.series)}" text-anchor="middle" transform="rotate(-90 ${cx} ${plotBottom - 8})">${esc(bar.missing ?? 'n/a')}</text>`);
        return;
      }
      const f = bar.figure;
      out.push(`<rect x="${bx + 3}" y="${y(f.median)}" width="${barWidth - 6}" height="${Math.max(1, plotBottom - y(f.median))}" fill="${color(bar.series)}"/>`);
      out.push(`<line x1="${cx}" y1="${y(f.max)}" x2="${cx}" y2="${y(f.min)}" stroke="#222" stroke-width="1.5"/>`);
      out.push(`<line x1="${cx - 5}" y1="${y(f.max)}" x2="${cx + 5}" y2="${y(f.max)}" stroke="#222"/><line x1="${cx - 5}" y1="${y(f.min)}" x2="${cx + 5}" y2="${y(f.min)}" stroke="#222"/>`);
      out.push(`<text x="${cx}" y="${Math.min(y(f.max), y(f.median)) - 5}" font-size="10.5" fill="#111" text-anchor="middle">${esc(fmtRate(f.median))}</text>`);
    });
    out.push(`<text x="${gx + groupWidth / 2}" y="${plotBottom + 18}" font-size="12" fill="#222" text-anchor="middle">${esc(group.label)}</text>`);
  });
  if (panel.target) {
    const ty = y(panel.target.value);
    out.push(`<line x1="${left}" y1="${ty}" x2="${right}" y2="${ty}" stroke="#c0392b" stroke-dasharray="6 4" stroke-width="1.5"/>`);
    out.push(`<text x="${right - 4}" y="${ty - 5}" font-size="11" fill="#c0392b" text-anchor="end">${esc(panel.target.label)}</text>`);
  }
  // Legend: one entry per series, in order of first appearance.
  const series = [...new Set(panel.groups.flatMap((g) => g.bars.map((b) => b.series)))];
  let lx = left;
  const ly = y0 + h - 28;
  for (const s of series) {
    out.push(`<rect x="${lx}" y="${ly - 10}" width="12" height="12" fill="${color(s)}"/>`);
    out.push(`<text x="${lx + 16}" y="${ly}" font-size="11.5" fill="#222">${esc(s)}</text>`);
    lx += 30 + s.length * 6.6;
  }
  return out.join('\n');
}

/** Renders the SVG to PNG with resvg (no browser); uses the system fonts, DejaVu where present. */
export function writePng(svg: string, file: string): void {
  const fontFiles = ['/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf'].filter((f) => fs.existsSync(f));
  const resvg = new Resvg(svg, {
    background: '#ffffff',
    fitTo: { mode: 'original' },
    font: { loadSystemFonts: true, fontFiles, defaultFontFamily: fontFiles.length ? 'DejaVu Sans' : 'sans-serif' },
  });
  fs.writeFileSync(file, resvg.render().asPng());
}
