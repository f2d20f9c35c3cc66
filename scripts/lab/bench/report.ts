/** The bench's report: the chart of each target's requests/s as a share of the baseline, and the Markdown tables. */
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

export interface ReportRow {
  name: string;
  rps: number;
  rpsMin: number;
  rpsMax: number;
  errors: number;
  ratio: number;
  ratioMin: number;
  ratioMax: number;
  p50: number;
  p99: number;
  p50Ratio: number;
  p99Ratio: number;
}

/** The tables for docs/performance.md (and the before/after one, with --before), as lines. */
export function markdownReport(
  results: {
    machine: string;
    generator: string;
    settings: { rounds: number; durationSeconds: number; connections: number };
    targets: ReportRow[];
    goals: { goal: string; ratio: number; min: number }[];
    bundleKiB: { raw: number; gzip: number };
    coldStartMs: number;
    contentBuild10kMs: number;
    renderMicroseconds: Record<string, number>;
  },
  beforeAfter: { name: string; before: number; after: number; change: number }[],
  beforeRef?: string,
): string[] {
  const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : '–');
  const { rounds, durationSeconds, connections } = results.settings;
  const lines = [
    `\nMachine: ${results.machine}; load: ${results.generator}, ${connections} connections, ${rounds} rounds × ${durationSeconds} s\n`,
    '| Target | req/s (median, min–max) | errors | vs baseline (median, min–max) | p50 ms (×base) | p99 ms (×base) |',
    '| --- | --- | --- | --- | --- | --- |',
    ...results.targets.map(
      (r) =>
        `| ${r.name} | ${fmt(r.rps)} (${fmt(r.rpsMin)}–${fmt(r.rpsMax)}) | ${r.errors} | ${fmt(r.ratio * 100)} % (${fmt(r.ratioMin * 100)}–${fmt(r.ratioMax * 100)}) | ${fmt(r.p50, 3)} (${fmt(r.p50Ratio, 2)}) | ${fmt(r.p99, 3)} (${fmt(r.p99Ratio, 2)}) |`,
    ),
    '\n| Goal | measured (median of per-round ratios) | goal | met |',
    '| --- | --- | --- | --- |',
    ...results.goals.map(
      (g) =>
        `| ${g.goal} | ${fmt(g.ratio * 100, 1)} % | ≥ ${fmt(g.min * 100)} % | ${g.ratio >= g.min ? 'yes' : 'no'} |`,
    ),
  ];
  if (beforeAfter.length) {
    lines.push(
      `\n| Target | before (${beforeRef}) vs baseline | after vs baseline | after ÷ before |`,
      '| --- | --- | --- | --- |',
      ...beforeAfter.map(
        (r) =>
          `| ${r.name} | ${fmt(r.before * 100, 1)} % | ${fmt(r.after * 100, 1)} % | ${fmt(r.change, 3)} |`,
      ),
    );
  }
  lines.push(
    `\nBundle: ${results.bundleKiB.raw} KiB raw, ${results.bundleKiB.gzip} KiB gzip · cold start ${fmt(results.coldStartMs)} ms · content build, 10,000 articles: ${fmt(results.contentBuild10kMs / 1000, 1)} s`,
    `Render (µs, median): ${Object.entries(results.renderMicroseconds)
      .map(([k, v]) => `${k} ${fmt(v, 1)}`)
      .join(', ')}`,
  );
  return lines;
}
