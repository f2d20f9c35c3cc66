/** The bench's report: the chart of each target's requests/s as a share of the baseline. */
import { REFERENCE } from './targets';

export function svgChart(
  rows: { name: string; median: number; min: number; max: number }[],
): string {
  const width = 820;
  const left = 260;
  const barHeight = 22;
  const top = 40;
  const scale = (ratio: number) => left + Math.min(ratio, 1.2) * ((width - left - 130) / 1.2);
  const bars = rows.map((row, i) => {
    const y = top + i * (barHeight + 10);
    return `<text x="${left - 8}" y="${y + 15}" text-anchor="end">${row.name}</text>
<rect x="${left}" y="${y}" width="${scale(row.median) - left}" height="${barHeight}" fill="${REFERENCE.test(row.name) ? '#9aa0a6' : '#0b57d0'}"/>
<line x1="${scale(row.min)}" x2="${scale(row.max)}" y1="${y + barHeight / 2}" y2="${y + barHeight / 2}" stroke="#111" stroke-width="2"/>
<text x="${Math.max(scale(row.median), scale(row.max)) + 6}" y="${y + 15}">${(row.median * 100).toFixed(0)} %${row.median > 1.2 ? ' (off scale)' : ''}</text>`;
  });
  const height = top + rows.length * (barHeight + 10) + 30;
  const one = scale(1);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="system-ui, sans-serif" font-size="13" role="img">
<title>kvpress requests per second as a share of the baseline worker</title>
<rect width="100%" height="100%" fill="#fff"/>
<text x="10" y="22" font-weight="700">Requests/s as a share of the baseline worker (bar: median; line: min–max of rounds)</text>
<line x1="${one}" x2="${one}" y1="${top - 6}" y2="${height - 24}" stroke="#999" stroke-dasharray="4 3"/>
<text x="${one}" y="${height - 8}" text-anchor="middle" fill="#555">baseline = 100 %</text>
${bars.join('\n')}
</svg>
`;
}
