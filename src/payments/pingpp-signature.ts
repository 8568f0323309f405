// RSA-SHA256 (PKCS#1 v1.5) both ways Ping++ uses it:
// - webhooks: Ping++ signs the raw body; we verify with Ping++'s public key;
// - requests: we sign body + URI + timestamp with the merchant's private key.
import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';

/** Env vars often carry PEMs with literal "\n"; turn those back into newlines. */
function normalizePem(pem: string): string {
  return pem.includes('\\n') ? pem.replace(/\\n/g, '\n') : pem;
}

// Buffer.from(s, 'base64') silently skips junk, so check the alphabet first or
// garbage would decode to a (wrong but) non-empty signature.
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * True only when `signatureB64` (the `x-pingplusplus-signature` header) is a
 * valid signature of exactly these bytes. Never throws: a missing or garbled
 * signature or an unusable key is simply "not verified".
 */
export function verifyWebhookSignature(
  rawBody: Buffer | string,
  signatureB64: string | undefined,
  publicKeyPem: string,
): boolean {
  if (typeof signatureB64 !== 'string') return false;
  const sig = signatureB64.trim();
  if (!BASE64.test(sig)) return false;
  try {
    const key = createPublicKey(normalizePem(publicKeyPem));
    const data = typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody;
    return verify('sha256', data, key, Buffer.from(sig, 'base64'));
  } catch {
    return false;
  }
}

/** What Ping++ expects signed on a request: raw body + URI (path?query) + timestamp. */
function requestSigningPayload(body: string, uri: string, timestamp: number | string): string {
  return `${body}${uri}${timestamp}`;
}

/** base64 RSA-SHA256 of `data` with a private key (PKCS#1 or PKCS#8 PEM). */
export function signPayload(data: string | Buffer, privateKeyPem: string): string {
  const key = createPrivateKey(normalizePem(privateKeyPem));
  return sign('sha256', typeof data === 'string' ? Buffer.from(data, 'utf8') : data, key).toString('base64');
}

interface SignRequestInput {
  /** the exact JSON sent; '' for GET */
  body: string;
  /** path with query, e.g. "/v1/charges/ch_x" */
  uri: string;
  /** unix seconds */
  timestamp: number;
  privateKeyPem: string;
}

/** Value of the `Pingplusplus-Signature` header for one request. */
export function signRequest(input: SignRequestInput): string {
  return signPayload(requestSigningPayload(input.body, input.uri, input.timestamp), input.privateKeyPem);
}
