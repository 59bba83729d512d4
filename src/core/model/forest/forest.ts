import { DriftCatcherError } from '../../util/errors';
import { CAT_WORDS, CATEGORICAL, MISSING_LEFT, type TreeArrays } from './tree';
import { decodeForestJson, encodeForestJson, type ForestInput, type ForestJson, type ForestParts } from './serialize';

/**
 * A trained forest: every tree's nodes concatenated into flat typed arrays (tree t owns nodes
 * nodeOffset[t] .. nodeOffset[t+1]-1 and leaves leafOffset[t] .. leafOffset[t+1]-1; indices inside a tree
 * are tree-local). Pure data — predicting walks the arrays, nothing is ever evaluated.
 */
/** rows per prediction block (block × features × 8 bytes stays in L2) */
const PREDICT_BLOCK = 256;

export type { ForestInput } from './serialize';

export class Forest {
  readonly nClasses: number;
  readonly nFeatures: number;
  readonly nTrees: number;
  /** the model's inputs, in column order */
  readonly inputs: readonly ForestInput[];
  private readonly p: ForestParts;

  private constructor(parts: ForestParts) {
    this.p = parts;
    this.nClasses = parts.nClasses;
    this.nFeatures = parts.nFeatures;
    this.nTrees = parts.nodeOffset.length - 1;
    this.inputs = parts.inputs;
  }

  /** Assemble from trees in tree-index order (the order fixes the model, not which thread built what). */
  static fromTrees(trees: TreeArrays[], nClasses: number, inputs: ForestInput[], params: Record<string, unknown> = {}): Forest {
    const nFeatures = inputs.length;
    const nodeOffset = new Int32Array(trees.length + 1);
    const leafOffset = new Int32Array(trees.length + 1);
    trees.forEach((t, i) => {
      nodeOffset[i + 1] = nodeOffset[i] + t.feature.length;
      leafOffset[i + 1] = leafOffset[i] + t.value.length / nClasses;
    });
    const N = nodeOffset[trees.length];
    const feature = new Int32Array(N);
    const threshold = new Float64Array(N);
    const left = new Int32Array(N);
    const right = new Int32Array(N);
    const flags = new Uint8Array(N);
    let catSets = 0;
    for (const t of trees) catSets += t.catBits.length / CAT_WORDS;
    const catBits = new Int32Array(catSets * CAT_WORDS);
    let catBase = 0;
    const value = new Float32Array(leafOffset[trees.length] * nClasses);
    // sklearn: each tree's importances normalised, averaged over trees, normalised again
    const importances = new Float64Array(nFeatures);
    trees.forEach((t, i) => {
      feature.set(t.feature, nodeOffset[i]);
      threshold.set(t.threshold, nodeOffset[i]);
      left.set(t.left, nodeOffset[i]);
      right.set(t.right, nodeOffset[i]);
      flags.set(t.flags, nodeOffset[i]);
      // categorical nodes index their tree's bitsets: rebase them into the forest-wide array
      for (let j = 0; j < t.feature.length; j++) if (t.flags[j] & CATEGORICAL) threshold[nodeOffset[i] + j] += catBase;
      catBits.set(t.catBits, catBase * CAT_WORDS);
      catBase += t.catBits.length / CAT_WORDS;
      value.set(t.value, leafOffset[i] * nClasses);
      let s = 0;
      for (const v of t.importance) s += v;
      if (s > 0) for (let f = 0; f < nFeatures; f++) importances[f] += t.importance[f] / s;
    });
    let total = 0;
    for (const v of importances) total += v;
    if (total > 0) for (let f = 0; f < nFeatures; f++) importances[f] /= total;
    return new Forest({ nClasses, nFeatures, nodeOffset, leafOffset, feature, threshold, left, right, flags, catBits, value, importances, params, inputs });
  }

  /** n × nClasses class probabilities, row-major: the mean over trees of the leaf's class fractions. */
  predictProba(X: Float64Array[]): Float64Array {
    const n = this.checkInput(X);
    const k = this.nClasses;
    const { nodeOffset, leafOffset, feature, threshold, left, right, flags, catBits, value } = this.p;
    const out = new Float64Array(n * k);
    // blocks of rows copied row-major (one row's features side by side), then every tree walks the block:
    // the tree's nodes stay in cache and each step reads one array instead of two
    const F = this.nFeatures;
    const block = new Float64Array(PREDICT_BLOCK * F);
    for (let r0 = 0; r0 < n; r0 += PREDICT_BLOCK) {
      const rows = Math.min(PREDICT_BLOCK, n - r0);
      for (let f = 0; f < F; f++) {
        const col = X[f];
        for (let r = 0; r < rows; r++) block[r * F + f] = col[r0 + r];
      }
      for (let t = 0; t < this.nTrees; t++) {
        const nb = nodeOffset[t];
        const lb = leafOffset[t];
        for (let r = 0; r < rows; r++) {
          const rowBase = r * F;
          let node = nb;
          let f = feature[node];
          while (f >= 0) {
            const x = block[rowBase + f];
            const fl = flags[node];
            let goLeft: boolean;
            if (fl === 0) goLeft = x <= threshold[node];
            else if (fl & CATEGORICAL) {
              // a code outside the bitset (unseen) reads as missing/other
              const code = x >= 0 && x < 255 ? x | 0 : 255;
              goLeft = ((catBits[threshold[node] * CAT_WORDS + (code >> 5)] >>> (code & 31)) & 1) === 1;
            } else goLeft = x === x ? x <= threshold[node] : (fl & MISSING_LEFT) !== 0;
            node = nb + (goLeft ? left[node] : right[node]);
            f = feature[node];
          }
          const v = (lb + left[node]) * k;
          const o = (r0 + r) * k;
          for (let c = 0; c < k; c++) out[o + c] += value[v + c];
        }
      }
    }
    const inv = 1 / this.nTrees;
    for (let j = 0; j < out.length; j++) out[j] *= inv;
    return out;
  }

  /** The class with the highest mean probability (the first one on ties, like numpy's argmax). */
  predict(X: Float64Array[]): Int32Array {
    return argmaxRows(this.predictProba(X), this.nClasses);
  }

  /** Mean decrease in Gini impurity per feature, normalised to sum 1 (all zeros if no tree ever split). */
  featureImportances(): Float64Array {
    return this.p.importances.slice();
  }

  get nodeCount(): number {
    return this.p.nodeOffset[this.nTrees];
  }

  toJSON(): ForestJson {
    return encodeForestJson(this.p);
  }

  /** `names`: input names for a version 1 file, which stores none */
  static fromJSON(v: unknown, names?: string[]): Forest {
    return new Forest(decodeForestJson(v, names));
  }

  private checkInput(X: Float64Array[]): number {
    if (X.length !== this.nFeatures) {
      throw new DriftCatcherError(`the model expects ${this.nFeatures} feature columns, got ${X.length}`);
    }
    const n = X.length ? X[0].length : 0;
    for (const col of X) {
      if (col.length !== n) throw new DriftCatcherError('feature columns have different lengths');
    }
    return n;
  }
}

/** Predicted class per row of a row-major n × k probability matrix (the first class on ties, like numpy's argmax). */
export function argmaxRows(proba: Float64Array, k: number): Int32Array {
  const n = proba.length / k;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (proba[i * k + c] > proba[i * k + best]) best = c;
    out[i] = best;
  }
  return out;
}
