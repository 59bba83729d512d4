import { DriftCatcherError } from '../util/errors';
import { correctPredictions } from '../agent/realised';

/**
 * The labels of a replayed stream, released batch by batch. Prequential evaluation is only honest when a batch's
 * labels stay unseen until the deployed model's prediction of that batch has been scored, so the vault enforces
 * it: `score(t, predictions)` is the only way batch t's labels are used before release, it must happen in batch
 * order, and `labels(t)` (what retraining reads) throws for a batch that has not been scored yet.
 * Batch 0 is the initial training data and is released from the start.
 */
export type VaultEvent = { kind: 'score' | 'labels'; batch: number };

export interface BatchScore {
  batch: number;
  rows: number;
  correct: number;
  accuracy: number;
}

export class LabelVault {
  private readonly released: boolean[];
  /** every use of the labels, in order (tests assert the order; cheap: two fields per access) */
  readonly events: VaultEvent[] = [];

  constructor(private readonly y: readonly Int32Array[]) {
    if (y.length === 0) throw new DriftCatcherError('a label vault needs at least the initial batch');
    this.released = y.map((_, t) => t === 0);
  }

  get batches(): number {
    return this.y.length;
  }

  isReleased(t: number): boolean {
    return this.released[t] === true;
  }

  /** Scores the predictions of batch t against its labels and releases them. Batches are scored in order. */
  score(t: number, predictions: Int32Array): BatchScore {
    this.check(t);
    if (this.released[t]) throw new DriftCatcherError(`batch ${t} was already scored or is training data`);
    if (!this.released[t - 1]) throw new DriftCatcherError(`batch ${t} scored before batch ${t - 1}: the replay must go in time order`);
    const y = this.y[t];
    if (predictions.length !== y.length) throw new DriftCatcherError(`batch ${t}: ${predictions.length} predictions for ${y.length} rows`);
    const correct = correctPredictions(predictions, y);
    this.events.push({ kind: 'score', batch: t });
    this.released[t] = true;
    return { batch: t, rows: y.length, correct, accuracy: y.length ? correct / y.length : 0 };
  }

  /** The labels of a released batch (for training); asking for an unscored batch is label leakage and throws. */
  labels(t: number): Int32Array {
    this.check(t);
    if (!this.released[t]) {
      throw new DriftCatcherError(`label leakage: the labels of batch ${t} were requested before its predictions were scored`);
    }
    this.events.push({ kind: 'labels', batch: t });
    return this.y[t];
  }

  private check(t: number): void {
    if (!Number.isInteger(t) || t < 0 || t >= this.y.length) throw new DriftCatcherError(`no batch ${t} (the stream has ${this.y.length})`);
  }
}
