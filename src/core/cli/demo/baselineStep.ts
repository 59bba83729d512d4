import * as path from 'node:path';
import { productionVersion } from '../../model/registry';
import { copyFileAtomic } from '../../util/atomicWrite';
import { BASELINE_FILE, versionBaseline } from '../../versioning/baseline';
import { ensureOwnRepo } from '../../versioning/git';
import { rel, type DemoStep } from './steps';

/**
 * `driftcatcher demo`: versions the demo baseline with DVC + git inside the demo folder, made its own git
 * repository so the demo never commits into the project around it.
 */
export const baselineDemoStep: DemoStep = {
  name: 'Version the first baseline (DVC 3 format + git commit, in the demo folder)',
  async run(s) {
    if (!s.files) return ['skipped: no demo data'];
    const git = await ensureOwnRepo(s.dir);
    const ctx = { ...s.ctx, workspace: s.dir };
    copyFileAtomic(s.files.baseline, path.join(s.dir, BASELINE_FILE)); // where baselines live in a workspace
    const v = await versionBaseline(ctx, { file: BASELINE_FILE, modelVersion: productionVersion(s.ctx.workspace) });
    return [
      `${rel(s, path.join(s.dir, BASELINE_FILE))}: ${v.rows} rows, md5 ${v.md5}`,
      v.committed ? `commit ${v.rev.slice(0, 8)}: ${v.message.split('\n')[0]}` : git ? v.notices.join('; ') : 'git is not available: nothing committed',
      `history: ${s.self} baseline history --workspace ${rel(s, s.dir)}`,
    ];
  },
};
