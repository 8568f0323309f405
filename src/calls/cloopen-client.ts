// The real Cloopen (Yuntongxun, 容联) callback call: Cloopen rings `from`, then
// `to`, bridges them, and later POSTs a hang-up record to hangupCdrUrl.
// Auth per request: sig = MD5(sid + token + ts) in the query and
// Authorization = base64(sid:ts), both with the sub-account's credentials.
import { createHash } from 'node:crypto';
import { CallProviderError, type CallProvider, type StartCallInput } from './provider.js';

interface CloopenClientOptions {
  /** main account: needed for account-level queries (CallResult), not for calls */
  accountSid: string;
  authToken: string;
  subAccountSid: string;
  subAccountToken: string;
  appId: string;
  baseUrl?: string;
  timeoutMs?: number;
  now?: () => Date;
  fetch?: typeof fetch;
  /** number shown to `from` / to `to` (must be registered with Cloopen) */
  fromSerNum?: string;
  customerSerNum?: string;
  promptTone?: string;
  /** minutes east of UTC for the ts; default 480, the China clock Cloopen checks expiry against */
  utcOffsetMinutes?: number;
}

const SUCCESS = '000000';

/**
 * Codes that mean "try again later" rather than "refused": 111111 超过规定的并发数
 * (concurrency limit exceeded), from Cloopen's published account error codes.
 */
const CLOOPEN_BUSY_CODES: ReadonlySet<string> = new Set(['111111']);

const pad = (n: number): string => String(n).padStart(2, '0');

/** yyyyMMddHHmmss on a clock `utcOffsetMinutes` east of UTC (no DST in China). */
export function formatCloopenTimestamp(date: Date, utcOffsetMinutes = 480): string {
  // Shift then read the UTC fields, so the server's own TZ does not matter.
  const d = new Date(date.getTime() + utcOffsetMinutes * 60_000);
  return (
    d.getUTCFullYear() +
    pad(d.getUTCMonth() + 1) +
    pad(d.getUTCDate()) +
    pad(d.getUTCHours()) +
    pad(d.getUTCMinutes()) +
    pad(d.getUTCSeconds())
  );
}

/** The query `sig` and `Authorization` header for one request. */
function cloopenAuth(sid: string, token: string, ts: string): { sig: string; authorization: string } {
  return {
    sig: createHash('md5').update(sid + token + ts, 'utf8').digest('hex').toUpperCase(),
    authorization: Buffer.from(`${sid}:${ts}`, 'utf8').toString('base64'),
  };
}

interface CloopenResponse {
  statusCode?: string | number;
  statusMsg?: string;
  CallBack?: { callSid?: string; dateCreated?: string };
}

export class CloopenClient implements CallProvider {
  readonly name = 'cloopen' as const;
  private readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly now: () => Date;
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly opts: CloopenClientOptions) {
    for (const k of ['subAccountSid', 'subAccountToken', 'appId'] as const) {
      if (!opts[k]) throw new TypeError(`CloopenClient: ${k} is required`);
    }
    this.baseUrl = (opts.baseUrl ?? 'https://app.cloopen.com:8883').replace(/\/+$/, '');
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.now = opts.now ?? (() => new Date());
    this.fetchImpl = opts.fetch ?? fetch;
  }

  async startCall(input: StartCallInput): Promise<{ callSid: string }> {
    // Cloopen's documented bodies carry every value as a string.
    const body: Record<string, string> = { from: input.from, to: input.to, userData: input.userData };
    if (input.maxCallTime !== undefined) body.maxCallTime = String(input.maxCallTime);
    if (input.hangupCdrUrl) {
      body.hangupCdrUrl = input.hangupCdrUrl;
      body.needBothCdr = '1'; // the called leg's record says whether they talked
    }
    if (this.opts.fromSerNum) body.fromSerNum = this.opts.fromSerNum;
    if (this.opts.customerSerNum) body.customerSerNum = this.opts.customerSerNum;
    if (this.opts.promptTone) body.promptTone = this.opts.promptTone;

    const res = await this.post('Callback', body);
    const callSid = res.CallBack?.callSid;
    if (typeof callSid !== 'string' || callSid === '') {
      throw new CallProviderError('Cloopen accepted the call but sent no callSid', this.name, false, 'bad_response');
    }
    return { callSid };
  }

  private async post(action: 'Callback', body: Record<string, string>): Promise<CloopenResponse> {
    const { subAccountSid: sid, subAccountToken: token } = this.opts;
    const ts = formatCloopenTimestamp(this.now(), this.opts.utcOffsetMinutes);
    const { sig, authorization } = cloopenAuth(sid, token, ts);
    const url = `${this.baseUrl}/2013-12-26/SubAccounts/${encodeURIComponent(sid)}/Calls/${action}?sig=${sig}`;

    let status: number;
    let text: string;
    try {
      const res = await this.fetchImpl(url, {
        method: 'POST',
        headers: {
          Accept: 'application/json',
          'Content-Type': 'application/json;charset=utf-8',
          Authorization: authorization,
        },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      status = res.status;
      text = await res.text();
    } catch (err) {
      const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
      const why = timedOut ? `timed out after ${this.timeoutMs} ms` : `failed: ${err instanceof Error ? err.message : String(err)}`;
      throw new CallProviderError(`Cloopen ${action} ${why}`, this.name, false, timedOut ? 'timeout' : 'network');
    }

    let json: CloopenResponse;
    try {
      json = JSON.parse(text) as CloopenResponse;
    } catch {
      throw new CallProviderError(`Cloopen ${action}: HTTP ${status} with a non-JSON body`, this.name, false, 'bad_response');
    }
    // Cloopen reports refusals in statusCode (usually with HTTP 200), so that decides.
    const code = json?.statusCode === undefined ? undefined : String(json.statusCode);
    if (code !== SUCCESS) {
      const msg = json?.statusMsg ?? `HTTP ${status}`;
      throw new CallProviderError(
        `Cloopen ${action} refused: ${code ?? 'no statusCode'} ${msg}`,
        this.name,
        code !== undefined && CLOOPEN_BUSY_CODES.has(code),
        code,
      );
    }
    return json;
  }
}
