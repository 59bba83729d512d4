import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stateDir } from '../config';
import { HttpError } from './httpErrors';

/**
 * An uploaded batch (`Content-Type: text/csv`), streamed to `.driftcatcher/uploads/` inside the workspace — never
 * held in memory, so a big file costs disk, not RAM. Past `maxBytes` the upload is refused with 413 and the
 * partial file removed.
 */
export function uploadsDir(workspace: string): string {
  return path.join(stateDir(workspace), 'uploads');
}

export async function receiveUpload(body: Readable, workspace: string, maxBytes: number, declaredLength: number | undefined): Promise<string> {
  if (declaredLength !== undefined && declaredLength > maxBytes) {
    body.resume(); // drain, so the connection can answer
    throw tooLarge(maxBytes);
  }
  const dir = uploadsDir(workspace);
  fs.mkdirSync(dir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const file = path.join(dir, `upload-${stamp}-${randomBytes(4).toString('hex')}.csv`);
  let seen = 0;
  const limit = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      seen += chunk.length;
      if (seen > maxBytes) cb(tooLarge(maxBytes));
      else cb(null, chunk);
    },
  });
  try {
    await pipeline(body, limit, fs.createWriteStream(file, { flags: 'wx', mode: 0o600 }));
  } catch (e) {
    fs.rmSync(file, { force: true });
    if (e instanceof HttpError) throw e;
    throw new HttpError(400, `the upload did not complete: ${(e as Error).message}`, 'BAD_INPUT');
  }
  if (seen === 0) {
    fs.rmSync(file, { force: true });
    throw new HttpError(400, 'the uploaded CSV is empty', 'BAD_INPUT');
  }
  return file;
}

function tooLarge(maxBytes: number): HttpError {
  return new HttpError(413, `the upload is larger than service.maxUploadBytes (${maxBytes} bytes)`, 'TOO_LARGE');
}
