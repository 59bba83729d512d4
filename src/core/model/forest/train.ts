import * as os from 'node:os';
import { Worker } from 'node:worker_threads';
import { CancelledError, DriftCatcherError } from '../../util/errors';
import { workerScript } from '../../util/workerPath';
import { assembleBinned, binFeatures, MAX_CATEGORIES, type Binned } from './binning';
import { Forest, type ForestInput } from './forest';
import { buildTree, samplingTickets, type TreeArrays, type TreeData, type TreeParams } from './tree';

export interface ForestOptions {
  /** trees (100) */
  nTrees?: number;
  /** unlimited by default */
  maxDepth?: number;
  /** 2 */
  minSamplesSplit?: number;
  /** 1 */
  minSamplesLeaf?: number;
  /**
   * features visited per node: 'sqrt' (default), 'log2', 'all', a count ≥ 1, or a fraction in (0, 1) — of the
   * sampling tickets (one per feature; a categorical feature with at most ONE_HOT_CATEGORIES categories has one per
   * category, see tree.ts)
   */
  maxFeatures?: 'sqrt' | 'log2' | 'all' | number;
  /** true */
  bootstrap?: boolean;
  /** 42 */
  seed?: number;
  /** worker threads (os.availableParallelism()); 1 builds in this thread. The model does not depend on it. */
  threads?: number;
  /**
   * What each column is: numeric (default) or categorical with its category names (values are codes 0..254 into
   * `categories`, NaN for missing/other). Stored in the model file so it can encode new data itself.
   */
  inputs?: ForestInput[];
  /** exact raw-value splits of numeric features with more than 255 distinct values in nodes of ≤ this many rows */
  refineRows?: number;
  /** histogram subtraction (true); the model does not depend on it */
  subtraction?: boolean;
  signal?: AbortSignal;
  onProgress?: (treesDone: number, total: number) => void;
}

/** Nodes of at most this many rows split coarse numeric features on raw values (see README "The random forest"). */
export const DEFAULT_REFINE_ROWS = 1024;

/**
 * What a forest worker receives once: the feature columns, labels and binned matrix are shared memory, not
 * copies. The worker first bins the feature blocks it is asked for (feature-parallel), then builds trees.
 */
export interface ForestWorkerData {
  n: number;
  nFeatures: number;
  nClasses: number;
  /** per feature, its raw column (shared memory) */
  X: Float64Array[];
  bins: SharedArrayBuffer;
  y: SharedArrayBuffer;
  categorical: Uint8Array;
  params: TreeParams;
  seed: number;
}

export type ForestWorkerRequest =
  | { bin: [number, number] }
  | { binned: { binOffset: Int32Array; binMin: Float64Array; binMax: Float64Array } }
  | { tree: number };
export type ForestWorkerReply =
  | { tree: number; result: TreeArrays }
  | { tree: number; error: string }
  | { binnedFrom: number; ranges: { min: Float64Array; max: Float64Array }[] };

function mtryFor(maxFeatures: ForestOptions['maxFeatures'], F: number): number {
  const mf = maxFeatures ?? 'sqrt';
  if (mf === 'sqrt') return Math.max(1, Math.floor(Math.sqrt(F)));
  if (mf === 'log2') return Math.max(1, Math.floor(Math.log2(F)));
  if (mf === 'all') return F;
  if (typeof mf === 'number' && mf > 0 && mf < 1) return Math.max(1, Math.floor(mf * F));
  if (typeof mf === 'number' && Number.isInteger(mf) && mf >= 1) return Math.min(F, mf);
  throw new DriftCatcherError(`maxFeatures must be 'sqrt', 'log2', 'all', an integer ≥ 1 or a fraction in (0, 1); got ${String(mf)}`);
}

function positiveInt(v: number | undefined, dflt: number, name: string, min = 1): number {
  const x = v ?? dflt;
  if (!(Number.isInteger(x) && x >= min)) throw new DriftCatcherError(`${name} must be an integer ≥ ${min}, got ${String(v)}`);
  return x;
}

function checkData(X: Float64Array[], y: Int32Array, nClasses: number, inputs: ForestInput[]): void {
  if (!(Number.isInteger(nClasses) && nClasses >= 1)) throw new DriftCatcherError(`nClasses must be ≥ 1, got ${nClasses}`);
  if (X.length === 0) throw new DriftCatcherError('no feature columns to train on');
  if (y.length === 0) throw new DriftCatcherError('no rows to train on');
  if (inputs.length !== X.length) throw new DriftCatcherError(`${inputs.length} input descriptions for ${X.length} feature columns`);
  X.forEach((col, f) => {
    if (col.length !== y.length) throw new DriftCatcherError(`feature column ${f} has ${col.length} rows, labels have ${y.length}`);
    const inp = inputs[f];
    if (inp.kind === 'categorical') {
      const c = inp.categories.length;
      if (c > MAX_CATEGORIES) throw new DriftCatcherError(`feature ${f} has ${c} categories, at most ${MAX_CATEGORIES}`);
      for (let i = 0; i < col.length; i++) {
        const v = col[i];
        if (v === v && !(v >= 0 && v < c && Math.floor(v) === v)) throw new DriftCatcherError(`feature column ${f} row ${i}: category code ${v} outside 0..${c - 1}`);
      }
    }
  });
  for (let i = 0; i < y.length; i++) {
    if (!(y[i] >= 0 && y[i] < nClasses)) throw new DriftCatcherError(`label of row ${i} is ${y[i]}, expected 0..${nClasses - 1}`);
  }
}

/** Numeric inputs named f0, f1, … when the caller gives no descriptions. */
function defaultInputs(F: number): ForestInput[] {
  return Array.from({ length: F }, (_, f) => ({ name: `f${f}`, kind: 'numeric' as const }));
}

/** A column in shared memory (as is when it already lives there, else copied), so workers read it without a copy. */
export function sharedColumn(col: Float64Array): Float64Array {
  if (col.buffer instanceof SharedArrayBuffer) return col;
  const out = new Float64Array(new SharedArrayBuffer(col.byteLength));
  out.set(col);
  return out;
}

/** Above this many cells the workers bin the features (each a block of columns) instead of the main thread. */
const PARALLEL_BINNING_CELLS = 1 << 20;

/**
 * Train a random forest of CART trees on column-major data (X[f][i]; NaN = missing; categorical inputs hold
 * category codes; y in 0..nClasses-1). Features are binned once; trees are built by a pool of worker threads that
 * share the binned matrix, each tree seeded from (seed, tree index) only, so the model is the same for any
 * thread count.
 */
export async function trainForest(X: Float64Array[], y: Int32Array, nClasses: number, opts: ForestOptions = {}): Promise<Forest> {
  const inputs = opts.inputs ?? defaultInputs(X.length);
  checkData(X, y, nClasses, inputs);
  const nTrees = positiveInt(opts.nTrees, 100, 'nTrees');
  const categorical = Uint8Array.from(inputs, (i) => (i.kind === 'categorical' ? 1 : 0));
  const tickets = samplingTickets(X, categorical);
  const params: TreeParams = {
    tickets,
    maxDepth: opts.maxDepth === undefined ? Infinity : positiveInt(opts.maxDepth, 0, 'maxDepth'),
    minSamplesSplit: positiveInt(opts.minSamplesSplit, 2, 'minSamplesSplit', 2),
    minSamplesLeaf: positiveInt(opts.minSamplesLeaf, 1, 'minSamplesLeaf'),
    mtry: mtryFor(opts.maxFeatures, tickets.feature.length),
    bootstrap: opts.bootstrap ?? true,
    refineRows: positiveInt(opts.refineRows, DEFAULT_REFINE_ROWS, 'refineRows', 0),
    subtraction: opts.subtraction ?? true,
  };
  const seed = opts.seed ?? 42;
  if (!Number.isInteger(seed)) throw new DriftCatcherError(`seed must be an integer, got ${seed}`);
  const threads = Math.min(nTrees, positiveInt(opts.threads, os.availableParallelism(), 'threads'));
  if (opts.signal?.aborted) throw new CancelledError('training');

  const trees =
    threads <= 1
      ? await buildInThread(X, y, nClasses, categorical, params, seed, nTrees, opts)
      : await buildInWorkers(X, y, nClasses, categorical, params, seed, nTrees, threads, opts);
  const recorded = {
    nTrees,
    maxDepth: opts.maxDepth ?? null,
    minSamplesSplit: params.minSamplesSplit,
    minSamplesLeaf: params.minSamplesLeaf,
    maxFeatures: opts.maxFeatures ?? 'sqrt',
    mtry: params.mtry,
    bootstrap: params.bootstrap,
    refineRows: params.refineRows,
    seed,
    trainRows: y.length,
  };
  return Forest.fromTrees(trees, nClasses, inputs, recorded);
}

function treeData(binned: Binned, X: Float64Array[]): TreeData {
  return { ...binned, raw: X.map((col, f) => (binned.categorical[f] ? undefined : col)) };
}

async function buildInThread(
  X: Float64Array[],
  y: Int32Array,
  k: number,
  categorical: Uint8Array,
  params: TreeParams,
  seed: number,
  nTrees: number,
  opts: ForestOptions,
): Promise<TreeArrays[]> {
  const data = treeData(binFeatures(X, categorical), X);
  const trees: TreeArrays[] = [];
  for (let t = 0; t < nTrees; t++) {
    if (opts.signal?.aborted) throw new CancelledError('training');
    trees.push(buildTree(data, y, k, params, seed, t));
    opts.onProgress?.(t + 1, nTrees);
    // let abort signals and other callbacks run between trees
    await new Promise<void>((r) => setImmediate(r));
  }
  if (opts.signal?.aborted) throw new CancelledError('training');
  return trees;
}

function buildInWorkers(
  Xin: Float64Array[],
  y: Int32Array,
  k: number,
  categorical: Uint8Array,
  params: TreeParams,
  seed: number,
  nTrees: number,
  threads: number,
  opts: ForestOptions,
): Promise<TreeArrays[]> {
  const n = y.length;
  const F = Xin.length;
  const X = Xin.map(sharedColumn);
  const binsShared = new SharedArrayBuffer(n * F);
  const yShared = new SharedArrayBuffer(y.byteLength);
  new Int32Array(yShared).set(y);
  const data: ForestWorkerData = { n, nFeatures: F, nClasses: k, X, bins: binsShared, y: yShared, categorical, params, seed };
  const script = workerScript('model/forestWorker');
  const parallelBinning = n * F >= PARALLEL_BINNING_CELLS && F >= threads;

  return new Promise<TreeArrays[]>((resolve, reject) => {
    const trees: (TreeArrays | undefined)[] = new Array(nTrees);
    const workers: Worker[] = [];
    let next = 0;
    let done = 0;
    let finished = false;
    let binned: Binned | undefined;
    const ranges: { min: Float64Array; max: Float64Array }[] = new Array(F);
    let blocksLeft = 0;

    const finish = (err?: Error): void => {
      if (finished) return;
      finished = true;
      opts.signal?.removeEventListener('abort', onAbort);
      for (const w of workers) void w.terminate();
      if (err) reject(err);
      else resolve(trees as TreeArrays[]);
    };
    const onAbort = (): void => finish(new CancelledError('training'));
    opts.signal?.addEventListener('abort', onAbort, { once: true });

    const dispatch = (w: Worker): void => {
      if (next < nTrees) w.postMessage({ tree: next++ } satisfies ForestWorkerRequest);
    };
    const startTrees = (): void => {
      const b = binned!;
      for (const w of workers) {
        w.postMessage({ binned: { binOffset: b.binOffset, binMin: b.binMin, binMax: b.binMax } } satisfies ForestWorkerRequest);
        dispatch(w);
      }
    };
    for (let i = 0; i < threads; i++) {
      const w = new Worker(script, { workerData: data });
      workers.push(w);
      w.on('message', (msg: ForestWorkerReply) => {
        if (finished) return;
        if ('binnedFrom' in msg) {
          msg.ranges.forEach((r, j) => (ranges[msg.binnedFrom + j] = r));
          if (--blocksLeft === 0) {
            binned = assembleBinned(n, new Uint8Array(binsShared), ranges, categorical);
            startTrees();
          }
          return;
        }
        if ('error' in msg) return finish(new DriftCatcherError(`building tree ${msg.tree} failed: ${msg.error}`, 'INTERNAL'));
        trees[msg.tree] = msg.result;
        done++;
        opts.onProgress?.(done, nTrees);
        if (done === nTrees) finish();
        else dispatch(w);
      });
      w.on('error', (e) => finish(new DriftCatcherError(`forest worker failed: ${e.message}`, 'INTERNAL')));
      w.on('exit', (code) => {
        if (!finished) finish(new DriftCatcherError(`forest worker exited early (code ${code})`, 'INTERNAL'));
      });
    }
    if (parallelBinning) {
      // feature-parallel binning: each worker bins a block of columns straight into the shared matrix
      const per = Math.ceil(F / threads);
      for (let i = 0; i < threads; i++) {
        const from = i * per;
        const to = Math.min(F, from + per);
        if (from >= to) continue;
        blocksLeft++;
        workers[i].postMessage({ bin: [from, to] } satisfies ForestWorkerRequest);
      }
    } else {
      binned = binFeatures(X, categorical, undefined, new Uint8Array(binsShared));
      startTrees();
    }
  });
}
