/**
 * Jensen–Shannon distance (base 2, so 0 = identical and 1 = disjoint): √JSD(P‖Q) with
 * JSD = ½ KL(P‖M) + ½ KL(Q‖M), M = ½(P + Q). Inputs are counts or proportions over the same bins; each side
 * is normalised first. Same definition as scipy.spatial.distance.jensenshannon(p, q, base=2).
 */
export function jensenShannonDistance(p: ArrayLike<number>, q: ArrayLike<number>): number {
  if (p.length !== q.length) throw new Error(`jensenShannon: ${p.length} vs ${q.length} bins`);
  let sp = 0;
  let sq = 0;
  for (let i = 0; i < p.length; i++) {
    sp += p[i];
    sq += q[i];
  }
  if (sp === 0 || sq === 0) return sp === sq ? 0 : 1;
  let js = 0;
  for (let i = 0; i < p.length; i++) {
    const a = p[i] / sp;
    const b = q[i] / sq;
    const m = (a + b) / 2;
    if (a > 0) js += 0.5 * a * Math.log2(a / m);
    if (b > 0) js += 0.5 * b * Math.log2(b / m);
  }
  return Math.sqrt(Math.max(0, Math.min(1, js)));
}
