import * as fs from 'node:fs';
import * as path from 'node:path';
import { DriftCatcherError } from '../util/errors';

/**
 * The server only reads and writes inside the workspace folders the client named on `initialize`.
 * A path in request params is resolved against the first folder, symlinks are resolved (for a path that
 * does not exist yet, those of its nearest existing ancestor), and the result must lie inside one of the
 * folders; otherwise the request fails with OUTSIDE_WORKSPACE.
 */
export class WorkspacePaths {
  private readonly realFolders: string[];

  constructor(readonly folders: string[]) {
    if (folders.length === 0) throw new DriftCatcherError('no workspace folder: initialize with workspaceFolders or rootUri', 'BAD_INPUT');
    this.realFolders = folders.map((f) => realpathOrSelf(path.resolve(f)));
  }

  /** the first folder: relative paths resolve against it and the engine keeps its state there */
  get primary(): string {
    return this.realFolders[0];
  }

  /** absolute, symlink-free path inside a workspace folder, or an OUTSIDE_WORKSPACE error naming the field */
  resolve(p: string, field = 'path'): string {
    if (p.includes('\0')) throw new DriftCatcherError(`${field}: the path contains a NUL byte`, 'BAD_INPUT');
    const absolute = realpathDeep(path.resolve(this.primary, p));
    if (!this.contains(absolute)) {
      throw new DriftCatcherError(
        `${field}: ${p} is outside the workspace (${this.realFolders.join(', ')}); only files inside the workspace folders can be read or written`,
        'OUTSIDE_WORKSPACE',
      );
    }
    return absolute;
  }

  /** true when an absolute path (already symlink-resolved) lies inside a folder */
  contains(absolute: string): boolean {
    return this.realFolders.some((f) => {
      const rel = path.relative(f, absolute);
      return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
    });
  }
}

function realpathOrSelf(p: string): string {
  try {
    return fs.realpathSync.native(p);
  } catch {
    return p;
  }
}

/**
 * realpath of the nearest existing ancestor + the not-yet-existing rest (for outputs). A dangling symlink is
 * followed too, since writing through it would create its target wherever it points.
 */
function realpathDeep(p: string): string {
  const rest: string[] = [];
  let cur = p;
  for (let hops = 0; ; ) {
    try {
      return path.join(fs.realpathSync.native(cur), ...rest.reverse());
    } catch {
      const link = danglingLinkTarget(cur);
      if (link !== undefined && hops++ < 40) {
        cur = path.resolve(path.dirname(cur), link);
        continue;
      }
      const parent = path.dirname(cur);
      if (parent === cur) return p;
      rest.push(path.basename(cur));
      cur = parent;
    }
  }
}

function danglingLinkTarget(p: string): string | undefined {
  try {
    return fs.lstatSync(p).isSymbolicLink() ? fs.readlinkSync(p) : undefined;
  } catch {
    return undefined;
  }
}
