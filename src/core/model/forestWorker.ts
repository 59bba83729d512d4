/**
 * Worker-thread entry of the forest trainer (bundled as dist/forestWorker.js): builds the trees it is asked
 * for on the shared binned matrix and sends each back as transferable typed arrays.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Binned } from './forest/binning';
import { buildTree } from './forest/tree';
import type { ForestWorkerData, ForestWorkerReply, ForestWorkerRequest } from './forest/train';

const d = workerData as ForestWorkerData;
const binned: Binned = {
  n: d.n,
  nFeatures: d.nFeatures,
  bins: new Uint8Array(d.bins),
  binOffset: d.binOffset,
  binMin: d.binMin,
  binMax: d.binMax,
};
const y = new Int32Array(d.y);
const port = parentPort;
if (!port) throw new Error('forestWorker must run as a worker thread');

port.on('message', (msg: ForestWorkerRequest) => {
  let reply: ForestWorkerReply;
  try {
    const result = buildTree(binned, y, d.nClasses, d.params, d.seed, msg.tree);
    reply = { tree: msg.tree, result };
    const r = result;
    // the arrays are fresh slices, so their buffers are plain ArrayBuffers and can be moved, not copied
    const transfer = [r.feature, r.threshold, r.left, r.right, r.value, r.importance].map((a) => a.buffer as ArrayBuffer);
    port.postMessage(reply, transfer);
  } catch (e) {
    reply = { tree: msg.tree, error: e instanceof Error ? e.message : String(e) };
    port.postMessage(reply);
  }
});
