import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { stateDir } from '../config';
import { writeFileAtomic } from '../util/atomicWrite';
import { DriftCatcherError } from '../util/errors';

/**
 * Who may call the HTTP API. On a loopback address (the default, 127.0.0.1) anyone on this machine may; on any
 * other address every request needs `Authorization: Bearer <token>`. The token is generated on the first such
 * start and kept in `.driftcatcher/http-token` (mode 0600); it is never logged — read it from that file.
 */
export function tokenFile(workspace: string): string {
  return path.join(stateDir(workspace), 'http-token');
}

export function loadOrCreateToken(workspace: string): { token: string; file: string; created: boolean } {
  const file = tokenFile(workspace);
  if (fs.existsSync(file)) {
    const st = fs.statSync(file);
    if ((st.mode & 0o077) !== 0) fs.chmodSync(file, 0o600); // someone loosened it: only the owner may read a secret
    const token = fs.readFileSync(file, 'utf8').trim();
    if (token.length < 32) throw new DriftCatcherError(`${file} holds no usable token (at least 32 characters); delete it to have a new one generated`, 'BAD_INPUT');
    return { token, file, created: false };
  }
  const token = randomBytes(32).toString('base64url');
  writeFileAtomic(file, `${token}\n`, 0o600);
  return { token, file, created: true };
}

/** constant-time comparison of the presented bearer token with the expected one */
export function bearerMatches(authorization: string | undefined, token: string): boolean {
  const m = /^Bearer[ ]+(\S+)\s*$/i.exec(authorization ?? '');
  if (!m) return false;
  const a = createHash('sha256').update(m[1]).digest();
  const b = createHash('sha256').update(token).digest();
  return timingSafeEqual(a, b);
}

export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/**
 * A browser page on another site can send simple requests to a loopback server, and a DNS-rebinding page can even
 * read the answers. So on loopback binds the Host header must name a loopback host, and a request a browser marks
 * as coming from another origin is refused. Returns why a request is refused, or undefined.
 */
export function crossSiteRefusal(headers: Record<string, string | string[] | undefined>, loopbackBind: boolean): string | undefined {
  const host = String(headers.host ?? '');
  if (loopbackBind && host && !isLoopback(host.replace(/:\d+$/, ''))) return `Host '${host.slice(0, 100)}' is not this loopback server`;
  const origin = headers.origin;
  if (typeof origin === 'string' && origin !== 'null') {
    let originHost: string;
    try {
      originHost = new URL(origin).host;
    } catch {
      return 'malformed Origin header';
    }
    if (originHost !== host) return 'cross-origin requests are not accepted';
  } else if (origin === 'null') return 'cross-origin requests are not accepted';
  if (headers['sec-fetch-site'] === 'cross-site') return 'cross-site requests are not accepted';
  return undefined;
}
