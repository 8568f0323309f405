// A local Ping++ speaking the real API on 127.0.0.1:<random port>: Bearer (or
// SDK-style Basic) auth, optional request-signature check, create / retrieve /
// refund charges with the real shapes and errors. Charge shapes and input rules
// come from src/payments/charge.ts, shared with the sandbox provider.
import { createPublicKey, verify } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  buildCharge,
  markChargePaid,
  refundCharge,
  validateChargeRequest,
  type Charge,
  type ChargeCreateParams,
  type PingppApiError,
} from '../../src/payments/charge.js';

export interface PingppFakeOptions {
  apiKey: string;
  appId: string;
  /** when set, every request must carry a valid Pingplusplus-Signature */
  merchantPublicKeyPem?: string;
}

export interface RecordedRequest {
  method: string;
  /** path with query, as received */
  path: string;
  headers: IncomingHttpHeaders;
  /** raw body text ('' for GET) */
  body: string;
}

export interface PingppFake {
  url: string;
  charges: Map<string, Charge>;
  requests: RecordedRequest[];
  /** marks a charge paid, as the channel's notification would */
  markPaid(chargeId: string): Charge;
  /** delay every answer by ms (to exercise client timeouts) */
  setDelay(ms: number): void;
  /** while true, every request answers 503 api_error (an outage) */
  setDown(down: boolean): void;
  /**
   * Holds every answer (requests are still received and recorded) until the returned function
   * is called: a provider that has not answered yet, for as long as a test needs.
   */
  hold(): () => void;
  /** called with each request as it arrives (before any delay) */
  onRequest(listener: (r: RecordedRequest) => void): void;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json;charset=UTF-8' });
  res.end(JSON.stringify(body));
}

const apiError = (res: ServerResponse, status: number, error: PingppApiError): void => send(res, status, { error });

export async function startPingppFake(opts: PingppFakeOptions): Promise<PingppFake> {
  const charges = new Map<string, Charge>();
  const requests: RecordedRequest[] = [];
  const publicKey = opts.merchantPublicKeyPem ? createPublicKey(opts.merchantPublicKeyPem) : undefined;
  let delayMs = 0;
  let down = false;
  let held: Promise<void> | undefined;
  const listeners: ((r: RecordedRequest) => void)[] = [];

  const authorized = (h: string | undefined): boolean => {
    if (!h) return false;
    if (h === `Bearer ${opts.apiKey}`) return true;
    // The official SDKs send the key as Basic user with an empty password.
    return h.startsWith('Basic ') && Buffer.from(h.slice(6), 'base64').toString() === `${opts.apiKey}:`;
  };

  // Checked independently of src/payments/pingpp-signature.ts so a bug there shows.
  const signatureOk = (body: string, path: string, headers: IncomingHttpHeaders): boolean => {
    const sig = headers['pingplusplus-signature'];
    const ts = headers['pingplusplus-request-timestamp'];
    if (typeof sig !== 'string' || typeof ts !== 'string' || !/^\d+$/.test(ts)) return false;
    return verify('sha256', Buffer.from(body + path + ts, 'utf8'), publicKey!, Buffer.from(sig, 'base64'));
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const path = req.url ?? '/';
      const method = req.method ?? 'GET';
      const recorded = { method, path, headers: req.headers, body };
      requests.push(recorded);
      for (const l of listeners) l(recorded);
      const answer = () => setTimeout(() => handle(method, path, body, req.headers, res), delayMs);
      if (held) void held.then(answer);
      else answer();
    });
  });

  function handle(method: string, path: string, raw: string, headers: IncomingHttpHeaders, res: ServerResponse): void {
    if (res.destroyed) return;
    if (down) return apiError(res, 503, { type: 'api_error', message: 'Service temporarily unavailable.' });
    if (!authorized(headers.authorization)) {
      return apiError(res, 401, {
        type: 'invalid_request_error',
        message: headers.authorization ? 'Invalid API Key provided.' : 'No API key provided.',
      });
    }
    if (publicKey && !signatureOk(raw, path, headers)) {
      return apiError(res, 401, { type: 'invalid_request_error', message: 'Request signature verification failed.' });
    }
    let body: unknown = {};
    if (method === 'POST') {
      try {
        body = JSON.parse(raw);
      } catch {
        return apiError(res, 400, { type: 'invalid_request_error', message: 'Request body is not valid JSON.' });
      }
    }
    const pathname = new URL(path, 'http://x').pathname;
    const m = /^\/v1\/charges(?:\/([^/]+))?(\/refunds)?$/.exec(pathname);
    if (!m) return apiError(res, 404, { type: 'invalid_request_error', message: `Unrecognized request URL: ${pathname}` });
    const [, id, refunds] = m;

    if (!id && method === 'POST') {
      const err = validateChargeRequest(body, opts.appId);
      if (err) return apiError(res, 400, err);
      const charge = buildCharge(body as ChargeCreateParams, { livemode: false });
      charges.set(charge.id, charge);
      return send(res, 200, charge);
    }
    if (!id) return apiError(res, 405, { type: 'invalid_request_error', message: `${method} not allowed here` });

    const charge = charges.get(decodeURIComponent(id));
    if (!charge) return apiError(res, 404, { type: 'invalid_request_error', message: `No such charge: ${id}`, param: 'id' });
    if (refunds && method === 'POST') {
      const r = refundCharge(charge, body);
      return r.ok ? send(res, 200, r.refund) : apiError(res, r.status, r.error);
    }
    if (refunds && method === 'GET') return send(res, 200, charge.refunds);
    if (method === 'GET') return send(res, 200, charge);
    return apiError(res, 405, { type: 'invalid_request_error', message: `${method} not allowed here` });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    charges,
    requests,
    markPaid(chargeId) {
      const charge = charges.get(chargeId);
      if (!charge) throw new Error(`pingpp fake: no charge ${chargeId}`);
      return markChargePaid(charge);
    },
    setDelay(ms) {
      delayMs = ms;
    },
    setDown(d) {
      down = d;
    },
    hold() {
      let release!: () => void;
      held = new Promise<void>((resolve) => (release = resolve));
      return () => {
        held = undefined;
        release();
      };
    },
    onRequest(listener) {
      listeners.push(listener);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections(); // fetch keeps sockets alive; don't wait for them
        server.close(() => resolve());
      }),
  };
}
