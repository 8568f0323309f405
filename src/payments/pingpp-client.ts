// The real Ping++ HTTP API (https://api.pingxx.com/v1): JSON bodies, Bearer
// auth, optional request signing. Every failure becomes a ProviderError so the
// caller maps one type to code 908.
import { chargeRequestBody, type Charge, type PingppApiError, type Refund } from './charge.js';
import { signRequest } from './pingpp-signature.js';
import { ProviderError, type CreateChargeInput, type PaymentProvider, type RefundInput } from './provider.js';

interface PingppClientOptions {
  apiKey: string;
  appId: string;
  baseUrl?: string;
  /** merchant key; when set every request carries Pingplusplus-Signature */
  privateKeyPem?: string;
  /** sent as Pingplusplus-Version */
  apiVersion?: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
  /** unix seconds, for the signing timestamp; injectable for tests */
  now?: () => number;
}

export class PingppClient implements PaymentProvider {
  readonly name = 'pingpp' as const;
  private readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly fetchImpl: typeof fetch;
  private readonly now: () => number;

  constructor(private readonly opts: PingppClientOptions) {
    if (!opts.apiKey) throw new TypeError('PingppClient: apiKey is required');
    if (!opts.appId) throw new TypeError('PingppClient: appId is required');
    this.baseUrl = (opts.baseUrl ?? 'https://api.pingxx.com').replace(/\/+$/, '');
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.fetchImpl = opts.fetch ?? fetch;
    this.now = opts.now ?? (() => Math.floor(Date.now() / 1000));
  }

  createCharge(input: CreateChargeInput): Promise<Charge> {
    return this.request<Charge>('POST', '/v1/charges', chargeRequestBody(input, this.opts.appId), 'charge');
  }

  retrieveCharge(chargeId: string): Promise<Charge> {
    return this.request<Charge>('GET', `/v1/charges/${encodeURIComponent(chargeId)}`, undefined, 'charge');
  }

  refund(chargeId: string, input: RefundInput): Promise<Refund> {
    const body: Record<string, unknown> = { description: input.description };
    if (input.amount !== undefined) body.amount = input.amount;
    return this.request<Refund>('POST', `/v1/charges/${encodeURIComponent(chargeId)}/refunds`, body, 'refund');
  }

  private async request<T>(method: 'GET' | 'POST', path: string, payload: unknown, expect: string): Promise<T> {
    const url = new URL(this.baseUrl + path);
    const body = payload === undefined ? '' : JSON.stringify(payload);
    const headers: Record<string, string> = {
      Authorization: `Bearer ${this.opts.apiKey}`,
      Accept: 'application/json',
    };
    if (method === 'POST') headers['Content-Type'] = 'application/json;charset=UTF-8';
    if (this.opts.apiVersion) headers['Pingplusplus-Version'] = this.opts.apiVersion;
    if (this.opts.privateKeyPem) {
      // Signed over the URI the server sees (base path included), not just our path.
      const timestamp = this.now();
      headers['Pingplusplus-Request-Timestamp'] = String(timestamp);
      headers['Pingplusplus-Signature'] = signRequest({
        body,
        uri: url.pathname + url.search,
        timestamp,
        privateKeyPem: this.opts.privateKeyPem,
      });
    }

    let res: Response;
    let text: string;
    try {
      res = await this.fetchImpl(url, {
        method,
        headers,
        body: method === 'POST' ? body : undefined,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      text = await res.text();
    } catch (err) {
      const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
      throw new ProviderError(
        timedOut
          ? `Ping++ ${method} ${path} timed out after ${this.timeoutMs} ms`
          : `Ping++ ${method} ${path} failed: ${err instanceof Error ? err.message : String(err)}`,
        this.name,
        undefined,
        timedOut ? 'timeout' : 'network',
      );
    }

    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new ProviderError(`Ping++ answered HTTP ${res.status} with a non-JSON body`, this.name, res.status, 'bad_response');
    }
    const error = (json as { error?: PingppApiError } | null)?.error;
    if (!res.ok || error) {
      throw new ProviderError(
        `Ping++ ${method} ${path}: ${error?.message ?? `HTTP ${res.status}`}`,
        this.name,
        res.status,
        error?.code ?? error?.type,
        error?.param,
      );
    }
    const obj = json as { object?: unknown; id?: unknown } | null;
    if (obj?.object !== expect || typeof obj.id !== 'string') {
      throw new ProviderError(`Ping++ ${method} ${path}: expected a ${expect} object`, this.name, res.status, 'bad_response');
    }
    return json as T;
  }
}
