/**
 * PCA reconstruction error, NannyML's multivariate drift method: standardise with the baseline's mean and
 * (population) standard deviation, fit PCA on the baseline keeping the fewest components that explain at least
 * `variance` of it (scikit-learn's rule for a fractional n_components), and measure how far each row lies from its
 * reconstruction (Euclidean distance in the standardised space). The baseline's rows, cut into chunks, give the
 * band of normal errors: mean ± 3 standard deviations of the chunk means.
 */
export interface PcaModel {
  /** per feature: baseline mean and scale (population std, 1 for a constant feature) */
  mean: Float64Array;
  scale: Float64Array;
  /** mean of the standardised baseline (PCA centres its input) */
  center: Float64Array;
  /** k × p, row-major: the kept principal axes */
  components: Float64Array;
  k: number;
  p: number;
  /** share of the baseline's variance the kept components explain */
  explained: number;
}

/** `columns` holds one Float64Array per feature, all finite, of equal length */
export function fitPca(columns: Float64Array[], variance = 0.65): PcaModel {
  const p = columns.length;
  const n = columns[0]?.length ?? 0;
  if (p === 0 || n < 2) throw new Error(`PCA needs at least one feature and two rows (got ${p} × ${n})`);
  const mean = new Float64Array(p);
  const scale = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    const col = columns[j];
    let s = 0;
    for (let i = 0; i < n; i++) s += col[i];
    const m = s / n;
    let ss = 0;
    for (let i = 0; i < n; i++) ss += (col[i] - m) ** 2;
    const variance = ss / n;
    mean[j] = m;
    // scikit-learn's test for a constant feature: a variance within its own rounding error counts as zero
    const eps = Number.EPSILON;
    scale[j] = variance <= n * eps * variance + (n * m * eps) ** 2 ? 1 : Math.sqrt(variance);
  }
  const z = columns.map((col, j) => Float64Array.from(col, (v) => (v - mean[j]) / scale[j]));
  const center = Float64Array.from(z, (col) => col.reduce((a, b) => a + b, 0) / n);
  // covariance of the standardised baseline
  const cov = new Float64Array(p * p);
  for (let a = 0; a < p; a++) {
    const za = z[a];
    for (let b = a; b < p; b++) {
      const zb = z[b];
      let s = 0;
      for (let i = 0; i < n; i++) s += (za[i] - center[a]) * (zb[i] - center[b]);
      cov[a * p + b] = cov[b * p + a] = s / (n - 1);
    }
  }
  const { values, vectors } = symmetricEigen(cov, p);
  const order = Array.from({ length: p }, (_, i) => i).sort((x, y) => values[y] - values[x]);
  const total = values.reduce((s, v) => s + Math.max(0, v), 0);
  // scikit-learn: k = searchsorted(cumulative ratios, variance, side='right') + 1
  let k = 0;
  let cum = 0;
  while (k < p && total > 0 && (cum + Math.max(0, values[order[k]])) / total <= variance) cum += Math.max(0, values[order[k++]]);
  k = Math.min(p, k + 1);
  let explained = 0;
  const components = new Float64Array(k * p);
  for (let c = 0; c < k; c++) {
    const idx = order[c];
    explained += Math.max(0, values[idx]);
    for (let j = 0; j < p; j++) components[c * p + j] = vectors[j * p + idx];
  }
  return { mean, scale, center, components, k, p, explained: total > 0 ? explained / total : 1 };
}

/** Per row, the Euclidean distance between the standardised row and its reconstruction from the kept components. */
export function reconstructionErrors(model: PcaModel, columns: Float64Array[]): Float64Array {
  const { p, k, components, mean, scale, center } = model;
  const n = columns[0]?.length ?? 0;
  const out = new Float64Array(n);
  const c = new Float64Array(p);
  const t = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < p; j++) c[j] = (columns[j][i] - mean[j]) / scale[j] - center[j];
    for (let a = 0; a < k; a++) {
      let s = 0;
      for (let j = 0; j < p; j++) s += components[a * p + j] * c[j];
      t[a] = s;
    }
    let err = 0;
    for (let j = 0; j < p; j++) {
      let rec = 0;
      for (let a = 0; a < k; a++) rec += t[a] * components[a * p + j];
      err += (c[j] - rec) ** 2;
    }
    out[i] = Math.sqrt(err);
  }
  return out;
}

/** Band of normal reconstruction errors: chunk means of the baseline's rows, mean ± 3 (population) std. */
export function errorBand(errors: Float64Array, chunks = 10): { mean: number; lower: number; upper: number; chunkMeans: number[] } {
  const n = errors.length;
  const m = Math.max(1, Math.min(chunks, n));
  const chunkMeans: number[] = [];
  for (let c = 0; c < m; c++) {
    const from = Math.floor((c * n) / m);
    const to = Math.floor(((c + 1) * n) / m);
    let s = 0;
    for (let i = from; i < to; i++) s += errors[i];
    chunkMeans.push(s / Math.max(1, to - from));
  }
  const mean = chunkMeans.reduce((a, b) => a + b, 0) / chunkMeans.length;
  const sd = Math.sqrt(chunkMeans.reduce((a, b) => a + (b - mean) ** 2, 0) / chunkMeans.length);
  return { mean, lower: mean - 3 * sd, upper: mean + 3 * sd, chunkMeans };
}

export function meanOf(a: Float64Array): number {
  let s = 0;
  for (const v of a) s += v;
  return a.length ? s / a.length : NaN;
}

/**
 * Eigen-decomposition of a symmetric p × p matrix (row-major) by cyclic Jacobi rotations: eigenvalues and
 * eigenvectors (column i of `vectors`, row-major p × p). Accurate to rounding for the feature counts drift sees.
 */
export function symmetricEigen(matrix: Float64Array, p: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(matrix);
  const v = new Float64Array(p * p);
  for (let i = 0; i < p; i++) v[i * p + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let i = 0; i < p; i++) for (let j = i + 1; j < p; j++) off += a[i * p + j] ** 2;
    if (off < 1e-30) break;
    for (let q = 0; q < p; q++) {
      for (let r = q + 1; r < p; r++) {
        const aqr = a[q * p + r];
        if (Math.abs(aqr) < 1e-300) continue;
        const theta = (a[r * p + r] - a[q * p + q]) / (2 * aqr);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < p; k++) {
          const akq = a[k * p + q];
          const akr = a[k * p + r];
          a[k * p + q] = c * akq - s * akr;
          a[k * p + r] = s * akq + c * akr;
        }
        for (let k = 0; k < p; k++) {
          const aqk = a[q * p + k];
          const ark = a[r * p + k];
          a[q * p + k] = c * aqk - s * ark;
          a[r * p + k] = s * aqk + c * ark;
        }
        for (let k = 0; k < p; k++) {
          const vkq = v[k * p + q];
          const vkr = v[k * p + r];
          v[k * p + q] = c * vkq - s * vkr;
          v[k * p + r] = s * vkq + c * vkr;
        }
      }
    }
  }
  return { values: Float64Array.from({ length: p }, (_, i) => a[i * p + i]), vectors: v };
}
