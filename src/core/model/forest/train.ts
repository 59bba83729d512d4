import * as os from 'node:os';
import { Worker } from 'node:worker_threads';
import { CancelledError, DriftCatcherError } from '../../util/errors';
import { workerScript } from '../../util/workerPath';
import { binFeatures, type Binned } from './binning';
import { Forest } from './forest';
import { buildTree, type TreeArrays, type TreeParams } from './tree';

export interface ForestOptions {
  /** trees (100) */
  nTrees?: number;
  /** unlimited by default */
  maxDepth?: number;
  /** 2 */
  minSamplesSplit?: number;
  /** 1 */
  minSamplesLeaf?: number;
  /** features visited per node: 'sqrt' (default), 'log2', 'all', a count ≥ 1, or a fraction in (0, 1) */
  maxFeatures?: 'sqrt' | 'log2' | 'all' | number;
  /** true */
  bootstrap?: boolean;
  /** 42 */
  seed?: number;
  /** worker threads (os.availableParallelism()); 1 builds in this thread. The model does not depend on it. */
  threads?: number;
  signal?: AbortSignal;
  onProgress?: (treesDone: number, total: number) => void;
}

/** What a forest worker receives once; the binned matrix and labels are shared, not copied. */
export interface ForestWorkerData {
  n: number;
  nFeatures: number;
  nClasses: number;
  bins: SharedArrayBuffer;
  y: SharedArrayBuffer;
  binOffset: Int32Array;
  binMin: Float64Array;
  binMax: Float64Array;
  params: TreeParams;
  seed: number;
}

export type ForestWorkerRequest = { tree: number };
export type ForestWorkerReply = { tree: number; result: TreeArrays } | { tree: number; error: string };

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

function checkData(X: Float64Array[], y: Int32Array, nClasses: number): void {
  if (!(Number.isInteger(nClasses) && nClasses >= 1)) throw new DriftCatcherError(`nClasses must be ≥ 1, got ${nClasses}`);
  if (X.length === 0) throw new DriftCatcherError('no feature columns to train on');
  if (y.length === 0) throw new DriftCatcherError('no rows to train on');
  X.forEach((col, f) => {
    if (col.length !== y.length) throw new DriftCatcherError(`feature column ${f} has ${col.length} rows, labels have ${y.length}`);
    for (let i = 0; i < col.length; i++) {
      if (!Number.isFinite(col[i])) throw new DriftCatcherError(`feature column ${f} row ${i} is not a finite number (${col[i]})`);
    }
  });
  for (let i = 0; i < y.length; i++) {
    if (!(y[i] >= 0 && y[i] < nClasses)) throw new DriftCatcherError(`label of row ${i} is ${y[i]}, expected 0..${nClasses - 1}`);
  }
}

/**
 * Train a random forest of CART trees on column-major data (X[f][i], all finite; y in 0..nClasses-1).
 * Features are binned once; trees are built by a pool of worker threads that share the binned matrix, each
 * tree seeded from (seed, tree index) only, so the model is the same for any thread count.
 */
export async function trainForest(X: Float64Array[], y: Int32Array, nClasses: number, opts: ForestOptions = {}): Promise<Forest> {
  checkData(X, y, nClasses);
  const nTrees = positiveInt(opts.nTrees, 100, 'nTrees');
  const params: TreeParams = {
    maxDepth: opts.maxDepth === undefined ? Infinity : positiveInt(opts.maxDepth, 0, 'maxDepth'),
    minSamplesSplit: positiveInt(opts.minSamplesSplit, 2, 'minSamplesSplit', 2),
    minSamplesLeaf: positiveInt(opts.minSamplesLeaf, 1, 'minSamplesLeaf'),
    mtry: mtryFor(opts.maxFeatures, X.length),
    bootstrap: opts.bootstrap ?? true,
  };
  const seed = opts.seed ?? 42;
  if (!Number.isInteger(seed)) throw new DriftCatcherError(`seed must be an integer, got ${seed}`);
  const threads = Math.min(nTrees, positiveInt(opts.threads, os.availableParallelism(), 'threads'));
  if (opts.signal?.aborted) throw new CancelledError('training');

  const binned = binFeatures(X);
  const trees =
    threads <= 1
      ? await buildInThread(binned, y, nClasses, params, seed, nTrees, opts)
      : await buildInWorkers(binned, y, nClasses, params, seed, nTrees, threads, opts);
  const recorded = {
    nTrees,
    maxDepth: opts.maxDepth ?? null,
    minSamplesSplit: params.minSamplesSplit,
    minSamplesLeaf: params.minSamplesLeaf,
    maxFeatures: opts.maxFeatures ?? 'sqrt',
    mtry: params.mtry,
    bootstrap: params.bootstrap,
    seed,
    trainRows: y.length,
  };
  return Forest.fromTrees(trees, nClasses, X.length, recorded);
}

async function buildInThread(
  binned: Binned,
  y: Int32Array,
  k: number,
  params: TreeParams,
  seed: number,
  nTrees: number,
  opts: ForestOptions,
): Promise<TreeArrays[]> {
  const trees: TreeArrays[] = [];
  for (let t = 0; t < nTrees; t++) {
    if (opts.signal?.aborted) throw new CancelledError('training');
    trees.push(buildTree(binned, y, k, params, seed, t));
    opts.onProgress?.(t + 1, nTrees);
    // let abort signals and other callbacks run between trees
    await new Promise<void>((r) => setImmediate(r));
  }
  if (opts.signal?.aborted) throw new CancelledError('training');
  return trees;
}

function buildInWorkers(
  binned: Binned,
  y: Int32Array,
  k: number,
  params: TreeParams,
  seed: number,
  nTrees: number,
  threads: number,
  opts: ForestOptions,
): Promise<TreeArrays[]> {
  const binsShared = new SharedArrayBuffer(binned.bins.byteLength);
  new Uint8Array(binsShared).set(binned.bins);
  const yShared = new SharedArrayBuffer(y.byteLength);
  new Int32Array(yShared).set(y);
  const data: ForestWorkerData = {
    n: binned.n,
    nFeatures: binned.nFeatures,
    nClasses: k,
    bins: binsShared,
    y: yShared,
    binOffset: binned.binOffset,
    binMin: binned.binMin,
    binMax: binned.binMax,
    params,
    seed,
  };
  const script = workerScript('model/forestWorker');

  return new Promise<TreeArrays[]>((resolve, reject) => {
    const trees: (TreeArrays | undefined)[] = new Array(nTrees);
    const workers: Worker[] = [];
    let next = 0;
    let done = 0;
    let finished = false;

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
    for (let i = 0; i < threads; i++) {
      const w = new Worker(script, { workerData: data });
      workers.push(w);
      w.on('message', (msg: ForestWorkerReply) => {
        if (finished) return;
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
      dispatch(w);
    }
  });
}
