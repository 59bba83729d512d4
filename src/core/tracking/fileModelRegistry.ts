import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../util/atomicWrite';
import { DriftCatcherError } from '../util/errors';
import { withLock } from '../util/lock';
import { dumpFlatYaml, parseFlatYaml } from './yaml';

/**
 * MLflow's file-based model registry (mlflow/store/model_registry/file_store.py) beside the runs, so that
 * `mlflow ui --backend-store-uri ./mlruns` lists the registered model, its versions and the `production` alias
 * without a server:
 *
 *   mlruns/models/<name>/meta.yaml              creation_timestamp, description, last_updated_timestamp, name
 *   mlruns/models/<name>/version-<n>/meta.yaml  ModelVersion fields: source, run_id, status READY, current_stage None, …
 *   mlruns/models/<name>/aliases/<alias>        the version number the alias points at
 *
 * Every file is written atomically; version numbers are taken under a lock.
 */
export class FileModelRegistry {
  constructor(
    readonly root: string,
    /** the lock serialising version numbers (outside mlruns, like the tracking store's) */
    private readonly lockDir: string,
  ) {}

  modelDir(name: string): string {
    if (!name || /[\\/%]/.test(name) || name === '.' || name === '..') {
      throw new DriftCatcherError(`invalid registered model name '${name}' (no '/', '\\' or '%')`, 'BAD_INPUT');
    }
    return path.join(this.root, 'models', name);
  }

  /** create_model_version: registers the model (first time) and writes version-<n>; returns n as a string */
  async createVersion(name: string, source: string, runId: string): Promise<string> {
    const dir = this.modelDir(name);
    return withLock(this.lockDir, () => {
      const now = Date.now();
      const meta = path.join(dir, 'meta.yaml');
      const created = fs.existsSync(meta) ? Number(parseFlatYaml(fs.readFileSync(meta, 'utf8')).creation_timestamp) || now : now;
      const version = this.versions(name).reduce((a, b) => Math.max(a, b), 0) + 1;
      const versionDir = path.join(dir, `version-${version}`);
      fs.mkdirSync(versionDir, { recursive: true });
      writeFileAtomic(
        path.join(versionDir, 'meta.yaml'),
        dumpFlatYaml({
          aliases: [],
          creation_timestamp: now,
          current_stage: 'None',
          description: null,
          last_updated_timestamp: now,
          name,
          run_id: runId,
          run_link: null,
          source,
          status: 'READY',
          status_message: null,
          storage_location: source,
          user_id: null,
          version,
        }),
      );
      this.writeModelMeta(name, created, now);
      return String(version);
    });
  }

  /** set_registered_model_alias: `aliases/<alias>` holds the version */
  setAlias(name: string, alias: string, version: string): void {
    if (!/^[\w-]+$/.test(alias)) throw new DriftCatcherError(`invalid alias '${alias}'`, 'BAD_INPUT');
    if (!this.versions(name).includes(Number(version))) {
      throw new DriftCatcherError(`registered model ${name} has no version ${version}`, 'NOT_FOUND', { file: this.modelDir(name) });
    }
    writeFileAtomic(path.join(this.modelDir(name), 'aliases', alias), version);
    const meta = parseFlatYaml(fs.readFileSync(path.join(this.modelDir(name), 'meta.yaml'), 'utf8'));
    this.writeModelMeta(name, Number(meta.creation_timestamp) || Date.now(), Date.now());
  }

  /** alias -> version */
  aliases(name: string): Record<string, string> {
    const dir = path.join(this.modelDir(name), 'aliases');
    if (!fs.existsSync(dir)) return {};
    return Object.fromEntries(fs.readdirSync(dir).filter((f) => !f.startsWith('.')).map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8').trim()]));
  }

  versions(name: string): number[] {
    const dir = this.modelDir(name);
    if (!fs.existsSync(dir)) return [];
    return fs
      .readdirSync(dir)
      .map((f) => /^version-(\d+)$/.exec(f)?.[1])
      .filter((v): v is string => v !== undefined && fs.existsSync(path.join(dir, `version-${v}`, 'meta.yaml')))
      .map(Number);
  }

  private writeModelMeta(name: string, created: number, updated: number): void {
    writeFileAtomic(
      path.join(this.modelDir(name), 'meta.yaml'),
      dumpFlatYaml({ creation_timestamp: created, description: null, last_updated_timestamp: updated, name }),
    );
  }
}
