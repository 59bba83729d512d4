import * as path from 'node:path';
import type { EngineContext } from '../engine';
import type { TrainParams, TrainResult } from '../protocol';
import { train, type VersionArtifacts } from '../model/train';
import { buildProfile, saveProfile } from '../drift/profile';

/** the drift baseline profile inside a model version's folder (what production's drift checks compare against) */
export const PROFILE_FILE = 'profile.json';

/** Every trained version keeps the drift profile of its combined training data, written before the version commits. */
const withBaselineProfile: VersionArtifacts = (staging, combined, info) => {
  saveProfile(path.join(staging, PROFILE_FILE), buildProfile(combined, { label: info.label, dataset: info.dataset, dropColumns: info.dropColumns }));
  return { profile: PROFILE_FILE };
};

/** Training as the engine runs it: the model layer's train plus the version's drift baseline profile. */
export function trainModel(ctx: EngineContext, p: TrainParams): Promise<TrainResult> {
  return train(ctx, p, withBaselineProfile);
}
