// A local Cloopen speaking the callback-call API on 127.0.0.1:<random port>.
// It checks sig and Authorization the way Cloopen documents them and answers
// refusals as Cloopen does: HTTP 200 with a non-000000 statusCode.
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CloopenFakeOptions {
  subAccountSid: string;
  subAccountToken: string;
}

export interface CloopenFakeRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface CloopenFakeCall {
  callSid: string;
  body: Record<string, unknown>;
}

export interface CloopenFake {
  url: string;
  requests: CloopenFakeRequest[];
  calls: Map<string, CloopenFakeCall>;
  /** while true, Callback answers 111111 (超过规定的并发数) */
  setBusy(busy: boolean): void;
  /** a hang-up record for a call, as Cloopen would POST it to hangupCdrUrl */
  cdrFor(callSid: string, durationS: number): Record<string, unknown>;
  close(): Promise<void>;
}

// Codes from Cloopen's published account error table.
const CODES = {
  authEmpty: ['111101', '请求包头Authorization参数为空'],
  authBase64: ['111102', '请求包头Authorization参数Base64解码失败'],
  authFormat: ['111103', '请求包头Authorization参数解码后格式有误'],
  authAccount: ['111107', '请求包头Authorization参数中账户ID跟请求地址中的账户ID不一致'],
  sigEmpty: ['111108', '请求地址Sig参数为空'],
  sigBad: ['111109', '请求地址Sig校验失败'],
  tsFormat: ['111113', '请求包头Authorization参数中时间戳格式有误，请参考yyyyMMddHHmmss'],
  busy: ['111111', '超过规定的并发数'],
  unknown: ['111000', '未知错误'],
} as const;

function reply(res: ServerResponse, body: Record<string, unknown>): void {
  res.writeHead(200, { 'Content-Type': 'application/json;charset=utf-8' });
  res.end(JSON.stringify(body));
}

const refuse = (res: ServerResponse, [statusCode, statusMsg]: readonly [string, string], extra = ''): void =>
  reply(res, { statusCode, statusMsg: statusMsg + extra });

function cdrTime(d: Date): string {
  return d.toISOString().replace(/\D/g, '').slice(0, 14);
}

export async function startCloopenFake(opts: CloopenFakeOptions): Promise<CloopenFake> {
  const requests: CloopenFakeRequest[] = [];
  const calls = new Map<string, CloopenFakeCall>();
  let busy = false;

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      requests.push({ method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, body: raw });
      handle(req.method ?? 'GET', req.url ?? '/', req.headers, raw, res);
    });
  });

  function handle(method: string, path: string, headers: IncomingHttpHeaders, raw: string, res: ServerResponse): void {
    const url = new URL(path, 'http://x');
    const m = /^\/2013-12-26\/SubAccounts\/([^/]+)\/Calls\/Callback$/.exec(url.pathname);
    if (method !== 'POST' || !m) {
      res.writeHead(404).end();
      return;
    }
    const [, pathSid] = m;

    // Authorization: base64("sid:yyyyMMddHHmmss"), the sid matching the URL's.
    const auth = headers.authorization;
    if (!auth) return refuse(res, CODES.authEmpty);
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(auth)) return refuse(res, CODES.authBase64);
    const decoded = Buffer.from(auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return refuse(res, CODES.authFormat);
    const authSid = decoded.slice(0, colon);
    const ts = decoded.slice(colon + 1);
    if (authSid !== pathSid || pathSid !== opts.subAccountSid) return refuse(res, CODES.authAccount);
    if (!/^\d{14}$/.test(ts)) return refuse(res, CODES.tsFormat);

    // sig: uppercase hex MD5(sid + token + ts), with the ts from Authorization.
    const sig = url.searchParams.get('sig');
    if (!sig) return refuse(res, CODES.sigEmpty);
    const expected = createHash('md5').update(opts.subAccountSid + opts.subAccountToken + ts).digest('hex').toUpperCase();
    if (sig !== expected) return refuse(res, CODES.sigBad);

    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return refuse(res, CODES.unknown, ' (body is not JSON)');
    }

    if (busy) return refuse(res, CODES.busy);
    if (typeof body.from !== 'string' || typeof body.to !== 'string' || !body.from || !body.to) {
      return refuse(res, CODES.unknown, ' (from and to are required)');
    }
    const callSid = randomBytes(16).toString('hex');
    calls.set(callSid, { callSid, body });
    return reply(res, { statusCode: '000000', CallBack: { callSid, dateCreated: new Date().toISOString() } });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    calls,
    setBusy(b) {
      busy = b;
    },
    cdrFor(callSid, durationS) {
      const call = calls.get(callSid);
      const userData = typeof call?.body.userData === 'string' ? call.body.userData : '';
      const end = new Date();
      const start = new Date(end.getTime() - durationS * 1000);
      const leg = (caller: unknown, called: unknown, duration: number) => ({
        callSid,
        caller,
        called,
        beginCallTime: cdrTime(start),
        starttime: duration > 0 ? cdrTime(start) : '',
        endtime: cdrTime(end),
        duration: String(duration), // Cloopen sends numbers as strings
        userData,
      });
      return {
        callerCdr: leg(call?.body.from, call?.body.to, durationS),
        calledCdr: leg(call?.body.from, call?.body.to, durationS),
        orderid: randomBytes(8).toString('hex'),
        recordurl: '',
      };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
