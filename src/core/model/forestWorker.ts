/**
 * Worker-thread entry of the forest trainer (bundled as dist/forestWorker.js): bins the feature blocks it is
 * asked for straight into the shared matrix, then builds the trees it is asked for on it and sends each back as
 * transferable typed arrays.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { binFeature, edgeSample } from './forest/binning';
import { buildTree, type TreeData } from './forest/tree';
import type { ForestWorkerData, ForestWorkerReply, ForestWorkerRequest } from './forest/train';

const d = workerData as ForestWorkerData;
const bins = new Uint8Array(d.bins);
const y = new Int32Array(d.y);
let data: TreeData | undefined;
const port = parentPort;
if (!port) throw new Error('forestWorker must run as a worker thread');

port.on('message', (msg: ForestWorkerRequest) => {
  if ('bin' in msg) {
    const [from, to] = msg.bin;
    const sample = edgeSample(d.n);
    const ranges = [];
    for (let f = from; f < to; f++) ranges.push(binFeature(d.X[f], d.categorical[f] === 1, sample, bins.subarray(f * d.n, (f + 1) * d.n)));
    port.postMessage({ binnedFrom: from, ranges } satisfies ForestWorkerReply);
    return;
  }
  if ('binned' in msg) {
    data = {
      n: d.n,
      nFeatures: d.nFeatures,
      bins,
      ...msg.binned,
      categorical: d.categorical,
      raw: d.X.map((col, f) => (d.categorical[f] ? undefined : col)),
    };
    return;
  }
  let reply: ForestWorkerReply;
  try {
    if (!data) throw new Error('tree requested before the binned matrix');
    const result = buildTree(data, y, d.nClasses, d.params, d.seed, msg.tree);
    reply = { tree: msg.tree, result };
    const r = result;
    // the arrays are fresh slices, so their buffers are plain ArrayBuffers and can be moved, not copied
    const transfer = [r.feature, r.threshold, r.left, r.right, r.flags, r.catBits, r.value, r.importance].map((a) => a.buffer as ArrayBuffer);
    port.postMessage(reply, transfer);
  } catch (e) {
    reply = { tree: msg.tree, error: e instanceof Error ? e.message : String(e) };
    port.postMessage(reply);
  }
});
