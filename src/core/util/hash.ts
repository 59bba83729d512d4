import * as fs from 'node:fs';
import { createHash } from 'node:crypto';

/** Streaming hash of a file's bytes (md5 for DVC, sha256 for lineage). */
export async function hashFile(file: string, algorithm: 'md5' | 'sha256' = 'sha256'): Promise<string> {
  const h = createHash(algorithm);
  await new Promise<void>((resolve, reject) => {
    fs.createReadStream(file, { highWaterMark: 1 << 20 })
      .on('data', (c) => h.update(c))
      .on('end', () => resolve())
      .on('error', reject);
  });
  return h.digest('hex');
}

export function hashString(s: string, algorithm: 'md5' | 'sha256' = 'sha256'): string {
  return createHash(algorithm).update(s).digest('hex');
}
