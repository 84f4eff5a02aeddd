import { escapeHtml } from './escape-html.ts';
import { formatUtc } from './format-time.ts';
import type { TrendPoint } from './trend-points.ts';

const WIDTH = 640;
const HEIGHT = 190;
const PLOT = { left: 44, right: 12, top: 14, bottom: 34 };
// drawn bottom-up; the colours match the grid's state colours
const SERIES = [
  { key: 'drifted', label: 'drifted', colour: '#e37400' },
  { key: 'degraded', label: 'degraded', colour: '#c5221f' },
  { key: 'unreachable', label: 'unreachable', colour: '#3c4043' },
] as const;

/**
 * Renders the trend as an inline SVG stacked bar chart (clusters per problem state per scan) with
 * axis labels, a title and description for assistive technology, and the same figures as a table.
 */
export function renderTrendChart(points: readonly TrendPoint[]): string {
  if (points.length === 0) return '<p class="muted">No drift scans yet: the trend starts with the first scan.</p>';
  const first = points[0] as TrendPoint;
  const last = points[points.length - 1] as TrendPoint;
  const totals = points.map((p) => p.drifted + p.degraded + p.unreachable);
  const { max, step } = chooseScale(Math.max(...totals));
  const plotWidth = WIDTH - PLOT.left - PLOT.right;
  const plotHeight = HEIGHT - PLOT.top - PLOT.bottom;
  const slot = plotWidth / points.length;
  const barWidth = Math.min(28, Math.max(2, slot * 0.7));
  const y = (value: number): number => PLOT.top + plotHeight - (value / max) * plotHeight;
  const parts: string[] = [];
  for (let tick = 0; tick <= max; tick += step) {
    parts.push(
      `<line x1="${PLOT.left}" x2="${WIDTH - PLOT.right}" y1="${round(y(tick))}" y2="${round(y(tick))}" stroke="${tick === 0 ? '#80868b' : '#e8eaed'}"/>`,
      `<text x="${PLOT.left - 6}" y="${round(y(tick) + 4)}" text-anchor="end">${tick}</text>`,
    );
  }
  points.forEach((point, index) => {
    const x = PLOT.left + slot * index + (slot - barWidth) / 2;
    let base = 0;
    const rects = SERIES.filter((series) => point[series.key] > 0).map((series) => {
      const top = base + point[series.key];
      const rect = `<rect x="${round(x)}" y="${round(y(top))}" width="${round(barWidth)}" height="${round(y(base) - y(top))}" fill="${series.colour}"/>`;
      base = top;
      return rect;
    });
    const label = `${formatUtc(point.at)}: ${point.drifted} drifted, ${point.degraded} degraded, ${point.unreachable} unreachable of ${point.clusters}`;
    parts.push(`<g><title>${escapeHtml(label)}</title><rect x="${round(PLOT.left + slot * index)}" y="${PLOT.top}" width="${round(slot)}" height="${plotHeight}" fill="transparent"/>${rects.join('')}</g>`);
  });
  for (const index of chooseXLabels(points.length)) {
    const point = points[index] as TrendPoint;
    const x = PLOT.left + slot * index + slot / 2;
    const anchor = points.length === 1 ? 'middle' : index === 0 ? 'start' : index === points.length - 1 ? 'end' : 'middle';
    const ax = anchor === 'start' ? PLOT.left : anchor === 'end' ? WIDTH - PLOT.right : x;
    parts.push(`<text x="${round(ax)}" y="${HEIGHT - PLOT.bottom + 16}" text-anchor="${anchor}">${escapeHtml(formatUtc(point.at).slice(5, 16))}</text>`);
  }
  if (totals.every((total) => total === 0)) {
    parts.push(`<text x="${PLOT.left + plotWidth / 2}" y="${PLOT.top + plotHeight / 2}" text-anchor="middle">No cluster drifted, degraded or unreachable in these scans</text>`);
  }
  parts.push(
    `<text x="${PLOT.left - 34}" y="${PLOT.top + plotHeight / 2}" text-anchor="middle" transform="rotate(-90 ${PLOT.left - 34} ${PLOT.top + plotHeight / 2})">clusters</text>`,
    `<text x="${PLOT.left + plotWidth / 2}" y="${HEIGHT - 4}" text-anchor="middle">scan time (UTC)</text>`,
  );
  const description =
    `${points.length} scan${points.length === 1 ? '' : 's'} from ${formatUtc(first.at)} to ${formatUtc(last.at)}: ` +
    `drifted clusters went from ${first.drifted} to ${last.drifted} (highest ${Math.max(...points.map((p) => p.drifted))}); ` +
    `now ${last.degraded} degraded and ${last.unreachable} unreachable of ${last.clusters}.`;
  const legend = SERIES.map((series) => `<span class="key k-${series.key}">${series.label}</span>`).join('');
  const rows = points
    .map((p) => `<tr><td>${escapeHtml(formatUtc(p.at))}</td><td>${p.drifted}</td><td>${p.degraded}</td><td>${p.unreachable}</td><td>${p.clusters}</td></tr>`)
    .join('');
  return (
    `<figure class="trend"><svg viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-labelledby="trend-title" aria-describedby="trend-desc">` +
    `<title id="trend-title">Clusters drifted, degraded and unreachable per scan</title>` +
    `${parts.join('')}</svg><figcaption><span class="legend" aria-hidden="true">${legend}</span> <span id="trend-desc">${escapeHtml(description)}</span></figcaption>` +
    `<details class="trend-data"><summary>Trend as a table</summary><table><thead><tr><th scope="col">Scan</th><th scope="col">Drifted</th>` +
    `<th scope="col">Degraded</th><th scope="col">Unreachable</th><th scope="col">Clusters</th></tr></thead><tbody>${rows}</tbody></table></details></figure>`
  );
}

/** A y-axis top and tick step from 1, 2 or 5 × 10ⁿ giving at most about four gridlines. */
function chooseScale(highest: number): { max: number; step: number } {
  if (highest <= 0) return { max: 1, step: 1 };
  const rough = highest / 4;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = Math.max(1, [1, 2, 5, 10].map((m) => m * magnitude).find((candidate) => candidate >= rough) ?? magnitude * 10);
  return { max: Math.ceil(highest / step) * step, step };
}

function chooseXLabels(count: number): number[] {
  if (count <= 2) return [...Array(count).keys()];
  return [0, Math.floor((count - 1) / 2), count - 1];
}

function round(value: number): string {
  return String(Math.round(value * 10) / 10);
}
