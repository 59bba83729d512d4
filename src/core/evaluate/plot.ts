import type { PolicySummary } from './summary';
import type { ReplayRun } from './replay';

/**
 * The accuracy-over-batches plot as a self-contained SVG (no dependency): one line per policy, a ring where a
 * retrained model was deployed (it predicts from the next batch on). Every text is XML-escaped: policy names and
 * titles may come from user input.
 */
export const POLICY_COLORS: Record<string, string> = { never: '#9e9e9e', always: '#e4572e', psi: '#4c9f70', agent: '#1f6feb' };
const FALLBACK_COLORS = ['#8e44ad', '#d4a017', '#17becf', '#7f7f7f'];

export function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}

export function accuracySvg(summary: PolicySummary[], runs: ReplayRun[], title: string): string {
  const W = 760;
  const H = 400;
  const m = { l: 60, r: 150, t: 40, b: 50 };
  const pw = W - m.l - m.r;
  const ph = H - m.t - m.b;
  const all = summary.flatMap((s) => s.accuracy);
  const n = Math.max(1, ...summary.map((s) => s.accuracy.length));
  // y range: whole 0.05 steps around the data
  const lo = all.length ? Math.max(0, Math.floor(Math.min(...all) * 20) / 20) : 0;
  const hi = all.length ? Math.min(1, Math.ceil(Math.max(...all) * 20) / 20) : 1;
  const span = hi - lo || 0.05;
  const x = (i: number): number => m.l + (n === 1 ? pw / 2 : (i * pw) / (n - 1));
  const y = (v: number): number => m.t + ph - ((v - lo) / span) * ph;
  const f = (v: number): string => v.toFixed(1);
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`);
  out.push(`<rect width="${W}" height="${H}" fill="#ffffff"/>`);
  out.push(`<text x="${W / 2}" y="22" text-anchor="middle" font-size="15">${escapeXml(title)}</text>`);
  for (let k = 0; k <= Math.round(span / 0.05); k++) {
    const v = lo + k * 0.05;
    out.push(`<line x1="${m.l}" x2="${m.l + pw}" y1="${f(y(v))}" y2="${f(y(v))}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${m.l - 8}" y="${f(y(v) + 4)}" text-anchor="end">${v.toFixed(2)}</text>`);
  }
  for (let i = 0; i < n; i++) out.push(`<text x="${f(x(i))}" y="${m.t + ph + 18}" text-anchor="middle">${i + 1}</text>`);
  out.push(`<line x1="${m.l}" x2="${m.l + pw}" y1="${m.t + ph}" y2="${m.t + ph}" stroke="#333"/>`);
  out.push(`<line x1="${m.l}" x2="${m.l}" y1="${m.t}" y2="${m.t + ph}" stroke="#333"/>`);
  out.push(`<text x="${m.l + pw / 2}" y="${H - 12}" text-anchor="middle">batch (scored before its labels are used)</text>`);
  out.push(`<text transform="translate(16 ${m.t + ph / 2}) rotate(-90)" text-anchor="middle">accuracy</text>`);
  summary.forEach((s, p) => {
    const color = POLICY_COLORS[s.policy] ?? FALLBACK_COLORS[p % FALLBACK_COLORS.length];
    const pts = s.accuracy.map((a, i) => `${f(x(i))},${f(y(a))}`).join(' ');
    out.push(`<polyline fill="none" stroke="${color}" stroke-width="2" points="${pts}"/>`);
    const run = runs.find((r) => r.policy === s.policy);
    run?.steps.forEach((st, i) => {
      if (st.deployed) out.push(`<circle cx="${f(x(i))}" cy="${f(y(st.accuracy))}" r="4" fill="#fff" stroke="${color}" stroke-width="2"/>`);
    });
    const ly = m.t + 10 + p * 20;
    out.push(`<line x1="${m.l + pw + 15}" x2="${m.l + pw + 40}" y1="${ly}" y2="${ly}" stroke="${color}" stroke-width="2"/>`);
    out.push(`<text x="${m.l + pw + 46}" y="${ly + 4}">${escapeXml(`${s.policy} ${s.mean_accuracy.toFixed(3)}`)}</text>`);
  });
  const ny = m.t + 10 + summary.length * 20 + 10;
  out.push(`<circle cx="${m.l + pw + 27}" cy="${ny}" r="4" fill="#fff" stroke="#333" stroke-width="2"/>`);
  out.push(`<text x="${m.l + pw + 46}" y="${ny + 4}">retrained, deployed</text>`);
  out.push('</svg>');
  return out.join('\n') + '\n';
}
