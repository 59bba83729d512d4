import { z } from 'zod';
import { DriftCatcherError } from '../../util/errors';
import { MAX_CATEGORIES } from './binning';
import { CAT_WORDS, CATEGORICAL, MISSING_LEFT } from './tree';

/** What one model input is: a number, or a category code into `categories` (NaN: missing or another category). */
export type ForestInput = { name: string; kind: 'numeric' } | { name: string; kind: 'categorical'; categories: string[] };

/**
 * The model file: versioned JSON whose typed arrays are base64 (little-endian) — compact, and never code.
 * Loading checks everything a walk over the trees relies on (sizes, feature and child indices, children
 * after parents so no walk can loop), so a tampered or truncated file fails with a message, not a crash.
 */
export const FOREST_FORMAT = 'driftcatcher-forest';
export const FOREST_VERSION = 2;

export interface ForestParts {
  nClasses: number;
  nFeatures: number;
  nodeOffset: Int32Array;
  leafOffset: Int32Array;
  feature: Int32Array;
  threshold: Float64Array;
  left: Int32Array;
  right: Int32Array;
  /** per node: MISSING_LEFT, CATEGORICAL (see tree.ts) */
  flags: Uint8Array;
  /** CAT_WORDS words per categorical split; a categorical node's threshold is its bitset's index */
  catBits: Int32Array;
  value: Float32Array;
  importances: Float64Array;
  /** the training options, for the record */
  params: Record<string, unknown>;
  inputs: ForestInput[];
}

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'not base64');

const inputSchema = z.discriminatedUnion('kind', [
  z.object({ name: z.string(), kind: z.literal('numeric') }),
  z.object({ name: z.string(), kind: z.literal('categorical'), categories: z.array(z.string()).max(MAX_CATEGORIES) }),
]);

/**
 * Version 1 files (numeric features only, missing values always to the right) load as version 2 files without
 * flags and categorical splits; their inputs are named f0, f1, … (the registry's meta.json has the names).
 */
const forestJsonSchema = z.object({
  format: z.literal(FOREST_FORMAT),
  version: z.union([z.literal(1), z.literal(FOREST_VERSION)]),
  inputs: z.array(inputSchema).optional(),
  nClasses: z.number().int().min(1),
  nFeatures: z.number().int().min(1),
  nTrees: z.number().int().min(1),
  nodes: z.number().int().min(1),
  leaves: z.number().int().min(1),
  params: z.record(z.string(), z.unknown()),
  arrays: z.object({
    nodeOffset: base64,
    leafOffset: base64,
    feature: base64,
    threshold: base64,
    left: base64,
    right: base64,
    flags: base64.optional(),
    catBits: base64.optional(),
    value: base64,
    importances: base64,
  }),
});

export type ForestJson = z.infer<typeof forestJsonSchema>;

function b64(a: Int32Array | Float64Array | Float32Array | Uint8Array): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
}

type TypedCtor<T> = { new (buf: ArrayBuffer): T; BYTES_PER_ELEMENT: number };

function unb64<T>(s: string, Ctor: TypedCtor<T>, count: number, name: string): T {
  const buf = Buffer.from(s, 'base64');
  if (buf.byteLength !== count * Ctor.BYTES_PER_ELEMENT) {
    throw bad(`array ${name} holds ${buf.byteLength / Ctor.BYTES_PER_ELEMENT} values, expected ${count}`);
  }
  const ab = new ArrayBuffer(buf.byteLength); // aligned copy (Buffer may sit at any offset of its pool)
  new Uint8Array(ab).set(buf);
  return new Ctor(ab);
}

function bad(msg: string): DriftCatcherError {
  return new DriftCatcherError(`invalid forest model: ${msg}`, 'BAD_INPUT');
}

export function encodeForestJson(p: ForestParts): ForestJson {
  const nTrees = p.nodeOffset.length - 1;
  return {
    format: FOREST_FORMAT,
    version: FOREST_VERSION,
    nClasses: p.nClasses,
    nFeatures: p.nFeatures,
    nTrees,
    nodes: p.nodeOffset[nTrees],
    leaves: p.leafOffset[nTrees],
    params: p.params,
    inputs: p.inputs,
    arrays: {
      nodeOffset: b64(p.nodeOffset),
      leafOffset: b64(p.leafOffset),
      feature: b64(p.feature),
      threshold: b64(p.threshold),
      left: b64(p.left),
      right: b64(p.right),
      flags: b64(p.flags),
      catBits: b64(p.catBits),
      value: b64(p.value),
      importances: b64(p.importances),
    },
  };
}

/** `names`: the input names of a version 1 file (which has none; the registry's meta.json has them). */
export function decodeForestJson(v: unknown, names?: string[]): ForestParts {
  const parsed = forestJsonSchema.safeParse(v);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw bad(`${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  const j = parsed.data;
  const a = j.arrays;
  const k = j.nClasses;
  const F = j.nFeatures;
  const nodeOffset = unb64(a.nodeOffset, Int32Array, j.nTrees + 1, 'nodeOffset');
  const leafOffset = unb64(a.leafOffset, Int32Array, j.nTrees + 1, 'leafOffset');
  const feature = unb64(a.feature, Int32Array, j.nodes, 'feature');
  const threshold = unb64(a.threshold, Float64Array, j.nodes, 'threshold');
  const left = unb64(a.left, Int32Array, j.nodes, 'left');
  const right = unb64(a.right, Int32Array, j.nodes, 'right');
  const flags = a.flags === undefined ? new Uint8Array(j.nodes) : unb64(a.flags, Uint8Array, j.nodes, 'flags');
  const catBuf = a.catBits === undefined ? Buffer.alloc(0) : Buffer.from(a.catBits, 'base64');
  if (catBuf.byteLength % (CAT_WORDS * 4) !== 0) throw bad(`array catBits holds ${catBuf.byteLength} bytes, not a whole number of bitsets`);
  const catSets = catBuf.byteLength / (CAT_WORDS * 4);
  const catBits = a.catBits === undefined ? new Int32Array(0) : unb64(a.catBits, Int32Array, catSets * CAT_WORDS, 'catBits');
  const inputs: ForestInput[] = j.inputs ?? Array.from({ length: F }, (_, f) => ({ name: names?.[f] ?? `f${f}`, kind: 'numeric' as const }));
  if (inputs.length !== F) throw bad(`${inputs.length} inputs for ${F} features`);
  const value = unb64(a.value, Float32Array, j.leaves * k, 'value');
  const importances = unb64(a.importances, Float64Array, F, 'importances');

  if (nodeOffset[0] !== 0 || nodeOffset[j.nTrees] !== j.nodes) throw bad('node offsets do not cover the nodes');
  if (leafOffset[0] !== 0 || leafOffset[j.nTrees] !== j.leaves) throw bad('leaf offsets do not cover the leaves');
  for (let t = 0; t < j.nTrees; t++) {
    const nb = nodeOffset[t];
    const m = nodeOffset[t + 1] - nb;
    const lb = leafOffset[t];
    const leaves = leafOffset[t + 1] - lb;
    if (m < 1 || leaves < 1) throw bad(`tree ${t} is empty`);
    let seenLeaves = 0;
    for (let i = 0; i < m; i++) {
      const g = nb + i;
      const f = feature[g];
      if (f < 0) {
        if (f !== -1 || right[g] !== -1 || left[g] < 0 || left[g] >= leaves) {
          throw bad(`tree ${t} node ${i}: leaf index ${left[g]} out of range 0..${leaves - 1}`);
        }
        seenLeaves++;
      } else {
        if (f >= F) throw bad(`tree ${t} node ${i}: feature ${f} out of range 0..${F - 1}`);
        if (Number.isNaN(threshold[g])) throw bad(`tree ${t} node ${i}: threshold is NaN`);
        const fl = flags[g];
        if (fl & ~(MISSING_LEFT | CATEGORICAL)) throw bad(`tree ${t} node ${i}: unknown flags ${fl}`);
        if (fl & CATEGORICAL) {
          if (inputs[f].kind !== 'categorical') throw bad(`tree ${t} node ${i}: categorical split on numeric feature ${f}`);
          const c = threshold[g];
          if (!(Number.isInteger(c) && c >= 0 && c < catSets)) throw bad(`tree ${t} node ${i}: category set ${c} out of range 0..${catSets - 1}`);
        } else if (inputs[f].kind === 'categorical') throw bad(`tree ${t} node ${i}: numeric split on categorical feature ${f}`);
        for (const c of [left[g], right[g]]) {
          // children after their parent: every walk ends
          if (c <= i || c >= m) throw bad(`tree ${t} node ${i}: child index ${c} out of range ${i + 1}..${m - 1}`);
        }
      }
    }
    if (seenLeaves !== leaves) throw bad(`tree ${t} has ${seenLeaves} leaf nodes but ${leaves} leaf values`);
  }
  for (let i = 0; i < value.length; i++) {
    if (!(value[i] >= 0 && value[i] <= 1.000001)) throw bad(`leaf value ${i} is not a class fraction`);
  }
  for (let f = 0; f < F; f++) {
    if (!(importances[f] >= 0 && importances[f] <= 1.000001)) throw bad(`importance of feature ${f} is not in [0, 1]`);
  }
  return { nClasses: k, nFeatures: F, nodeOffset, leafOffset, feature, threshold, left, right, flags, catBits, value, importances, params: j.params, inputs };
}
