// JWT HS256 tokens (README.md, "Tokens"). jsonwebtoken verifies synchronously, which keeps the
// hot path of every request and socket handshake free of promise overhead.
import jwt from 'jsonwebtoken';
import { createSecretKey, type KeyObject } from 'node:crypto';
import { ID_RE } from '../http/validate';

export interface Identity {
  userID: string;
  staff: boolean;
}

export function signToken(secret: string, userID: string, opts: { staff?: boolean; expiresIn?: number | string } = {}) {
  const payload: Record<string, unknown> = {};
  if (opts.staff) payload.role = 'staff';
  return jwt.sign(payload, secret, {
    algorithm: 'HS256',
    subject: userID,
    ...(opts.expiresIn !== undefined ? { expiresIn: opts.expiresIn as jwt.SignOptions['expiresIn'] } : {}),
  });
}

// jsonwebtoken turns a string secret into a key on every verify, first trying it as a
// public key and catching the failure; a KeyObject made once per secret skips that
// (BENCHMARKS.md, "Measurements behind the code").
const keys = new Map<string, KeyObject>();
function keyOf(secret: string): KeyObject {
  let k = keys.get(secret);
  if (!k) {
    k = createSecretKey(Buffer.from(secret, 'utf8'));
    if (keys.size > 16) keys.clear();
    keys.set(secret, k);
  }
  return k;
}

/**
 * Tokens already verified, per secret: a client sends the same token with every request,
 * and verifying it (base64, two JSON parses, an HMAC) is a large part of a REST read
 * (BENCHMARKS.md). Keyed by the whole token string, so a hit is the very bytes whose
 * signature was checked; `exp` and `nbf` are checked again on every hit. Only valid tokens are kept
 * (a not-yet-valid one may become valid, a forged one never does). It is the token alone
 * that decides, so nothing here can go stale between processes. Bounded: a miss costs one
 * full verification.
 */
interface Verified {
  userID: string;
  staff: boolean;
  exp: number | undefined;
  nbf: number | undefined;
}
const VERIFIED_MAX = 10_000;
const verified = new WeakMap<KeyObject, Map<string, Verified>>();

/** Returns the identity in a valid token, or null for a missing, forged, expired or malformed one. */
export function verifyToken(secret: string, token: string | undefined | null): Identity | null {
  if (!token || typeof token !== 'string') return null;
  const key = keyOf(secret);
  let cache = verified.get(key);
  if (!cache) verified.set(key, (cache = new Map()));
  // jsonwebtoken's own clock: whole seconds, expired when now >= exp, early when nbf > now.
  const now = Math.floor(Date.now() / 1000);
  const hit = cache.get(token);
  if (hit) {
    if ((hit.exp === undefined || now < hit.exp) && (hit.nbf === undefined || hit.nbf <= now)) return { userID: hit.userID, staff: hit.staff };
    cache.delete(token);
    return null;
  }
  try {
    const claims = jwt.verify(token, key, { algorithms: ['HS256'] });
    if (typeof claims !== 'object' || claims === null) return null;
    const sub = claims.sub;
    if (typeof sub !== 'string' || !ID_RE.test(sub)) return null;
    const v: Verified = { userID: sub.toLowerCase(), staff: claims.role === 'staff', exp: claims.exp, nbf: claims.nbf };
    if (cache.size >= VERIFIED_MAX) cache.clear();
    cache.set(token, v);
    return { userID: v.userID, staff: v.staff };
  } catch {
    return null;
  }
}

/** The token from the `auth` header the apps send, or from `Authorization: Bearer`. */
export function tokenFromHeaders(headers: Record<string, string | string[] | undefined>): string | undefined {
  const auth = headers['auth'];
  if (typeof auth === 'string' && auth) return auth.replace(/^Bearer\s+/i, '');
  const authorization = headers['authorization'];
  if (typeof authorization === 'string') {
    const m = /^Bearer\s+(.+)$/i.exec(authorization);
    if (m) return m[1].trim();
  }
  return undefined;
}

/** When a token verified by verifyToken expires, in ms since the epoch (undefined: never). */
export function tokenExpiresAtMs(token: string): number | undefined {
  const claims = jwt.decode(token, { json: true });
  return typeof claims?.exp === 'number' ? claims.exp * 1000 : undefined;
}
