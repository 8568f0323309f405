// Ping++ charge and refund objects, as the API returns them, plus the pieces the
// sandbox provider and the test fake share so both produce the same shapes and
// refuse the same input as the real API.
import { randomBytes, randomInt } from 'node:crypto';
import type { CreateChargeInput, PayChannel } from './provider.js';

interface AlipayCredential {
  object: 'credential';
  alipay: { orderInfo: string };
}

interface WxCredential {
  object: 'credential';
  wx: {
    appId: string;
    partnerId: string;
    prepayId: string;
    nonceStr: string;
    // WeChat's SDK takes a string; accept a number too in case the API sends one.
    timeStamp: string | number;
    packageValue: 'Sign=WXPay';
    sign: string;
  };
}

type Credential = AlipayCredential | WxCredential;

type RefundStatus = 'pending' | 'succeeded' | 'failed';

export interface Refund {
  id: string;
  object: 'refund';
  order_no: string;
  amount: number;
  created: number;
  succeed: boolean;
  status: RefundStatus;
  time_succeed: number | null;
  description: string;
  failure_code: string | null;
  failure_msg: string | null;
  metadata: Record<string, string>;
  charge: string;
  charge_order_no: string;
  transaction_no: string | null;
  extra: Record<string, unknown>;
}

interface RefundList {
  object: 'list';
  url: string;
  has_more: boolean;
  data: Refund[];
}

export interface Charge {
  id: string;
  object: 'charge';
  created: number;
  livemode: boolean;
  paid: boolean;
  refunded: boolean;
  reversed: boolean;
  app: string;
  channel: PayChannel;
  order_no: string;
  client_ip: string;
  amount: number;
  amount_settle: number;
  currency: string;
  subject: string;
  body: string;
  extra: Record<string, unknown>;
  time_paid: number | null;
  time_expire: number | null;
  time_settle: number | null;
  transaction_no: string | null;
  refunds: RefundList;
  amount_refunded: number;
  failure_code: string | null;
  failure_msg: string | null;
  metadata: Record<string, string>;
  credential: Credential;
  description: string | null;
}

/** The body of `POST /v1/charges`, field names as on the wire. */
export interface ChargeCreateParams {
  order_no: string;
  app: { id: string };
  channel: PayChannel;
  amount: number;
  client_ip: string;
  currency: 'cny';
  subject: string;
  body: string;
  metadata?: Record<string, string>;
  time_expire?: number;
  description?: string;
  extra?: Record<string, unknown>;
}

/** The `error` member of a Ping++ error response. */
export interface PingppApiError {
  type: 'invalid_request_error' | 'api_error' | 'channel_error';
  message: string;
  code?: string;
  param?: string;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Ping++-style id: prefix + 24 random alphanumerics ("ch_…", "re_…"). */
export function randomId(prefix: string, length = 24): string {
  let s = prefix;
  for (let i = 0; i < length; i++) s += ALNUM[randomInt(ALNUM.length)];
  return s;
}

const nowS = (): number => Math.floor(Date.now() / 1000);

/** Our input → the wire body (used by the real client and the sandbox alike). */
export function chargeRequestBody(input: CreateChargeInput, appId: string): ChargeCreateParams {
  const body: ChargeCreateParams = {
    order_no: input.orderNo,
    app: { id: appId },
    channel: input.channel,
    amount: input.amount,
    client_ip: input.clientIp,
    currency: input.currency,
    subject: input.subject,
    body: input.body,
  };
  if (input.metadata) body.metadata = input.metadata;
  if (input.timeExpire !== undefined) body.time_expire = input.timeExpire;
  if (input.description !== undefined) body.description = input.description;
  return body;
}

const isStr = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
const invalid = (param: string, message: string): PingppApiError => ({
  type: 'invalid_request_error',
  message,
  param,
});

/**
 * Checks a create-charge body the way the API does; returns the error the API
 * would answer (HTTP 400) or null. Takes `unknown` because the fake feeds it
 * whatever arrived on the wire.
 */
export function validateChargeRequest(raw: unknown, appId?: string): PingppApiError | null {
  if (typeof raw !== 'object' || raw === null) return invalid('body', 'Request body must be a JSON object.');
  const p = raw as Record<string, unknown>;
  if (!isStr(p.order_no)) return invalid('order_no', 'Missing required param: order_no.');
  if (p.order_no.length > 64) return invalid('order_no', 'Invalid order_no: at most 64 characters.');
  const app = p.app as Record<string, unknown> | undefined;
  if (typeof app !== 'object' || app === null || !isStr(app.id)) return invalid('app', 'Missing required param: app[id].');
  if (appId !== undefined && app.id !== appId) return invalid('app', `No such app: ${app.id}.`);
  if (!isStr(p.channel)) return invalid('channel', 'Missing required param: channel.');
  if (p.channel !== 'alipay' && p.channel !== 'wx') return invalid('channel', `Invalid channel: ${p.channel}.`);
  if (p.amount === undefined) return invalid('amount', 'Missing required param: amount.');
  if (!Number.isInteger(p.amount) || (p.amount as number) <= 0) {
    return invalid('amount', 'Invalid amount: must be an integer (fen) greater than 0.');
  }
  if (!isStr(p.client_ip)) return invalid('client_ip', 'Missing required param: client_ip.');
  if (!isStr(p.currency)) return invalid('currency', 'Missing required param: currency.');
  if (p.currency !== 'cny') return invalid('currency', `Invalid currency: ${p.currency}.`);
  if (!isStr(p.subject)) return invalid('subject', 'Missing required param: subject.');
  if ([...p.subject].length > 32) return invalid('subject', 'Invalid subject: at most 32 characters.');
  if (!isStr(p.body)) return invalid('body', 'Missing required param: body.');
  if ([...p.body].length > 128) return invalid('body', 'Invalid body: at most 128 characters.');
  if (p.time_expire !== undefined && !Number.isInteger(p.time_expire)) {
    return invalid('time_expire', 'Invalid time_expire: must be a Unix timestamp.');
  }
  if (p.metadata !== undefined && (typeof p.metadata !== 'object' || p.metadata === null || Array.isArray(p.metadata))) {
    return invalid('metadata', 'Invalid metadata: must be an object.');
  }
  return null;
}

// Fake but well-formed credentials: the client SDK only needs the shape in a
// sandbox; nothing outside can verify these signatures.
function fakeCredential(channel: PayChannel, id: string, p: ChargeCreateParams, created: number): Credential {
  if (channel === 'alipay') {
    const fields: Array<[string, string]> = [
      ['service', 'mobile.securitypay.pay'],
      ['_input_charset', 'utf-8'],
      ['notify_url', encodeURIComponent(`https://notify.pingxx.com/notify/charges/${id}`)],
      ['partner', `2088${randomInt(1e9, 1e10)}${randomInt(10, 100)}`],
      ['out_trade_no', p.order_no],
      ['subject', p.subject],
      ['body', p.body],
      ['total_fee', (p.amount / 100).toFixed(2)],
      ['payment_type', '1'],
    ];
    const unsigned = fields.map(([k, v]) => `${k}="${v}"`).join('&');
    const sign = encodeURIComponent(randomBytes(128).toString('base64'));
    return { object: 'credential', alipay: { orderInfo: `${unsigned}&sign="${sign}"&sign_type="RSA"` } };
  }
  return {
    object: 'credential',
    wx: {
      appId: `wx${randomBytes(8).toString('hex')}`,
      partnerId: String(randomInt(1e9, 2e9)),
      prepayId: `wx${randomBytes(15).toString('hex')}`,
      nonceStr: randomBytes(16).toString('hex'),
      timeStamp: String(created),
      packageValue: 'Sign=WXPay',
      sign: randomBytes(16).toString('hex').toUpperCase(),
    },
  };
}

interface BuildChargeOptions {
  livemode?: boolean;
  id?: string;
  /** unix seconds; defaults to now */
  created?: number;
}

/** A fresh, unpaid charge for a validated create body. */
export function buildCharge(p: ChargeCreateParams, opts: BuildChargeOptions = {}): Charge {
  const id = opts.id ?? randomId('ch_');
  const created = opts.created ?? nowS();
  return {
    id,
    object: 'charge',
    created,
    livemode: opts.livemode ?? false,
    paid: false,
    refunded: false,
    reversed: false,
    app: p.app.id,
    channel: p.channel,
    order_no: p.order_no,
    client_ip: p.client_ip,
    amount: p.amount,
    amount_settle: p.amount,
    currency: p.currency,
    subject: p.subject,
    body: p.body,
    extra: p.extra ?? {},
    time_paid: null,
    time_expire: p.time_expire ?? created + 24 * 3600,
    time_settle: null,
    transaction_no: null,
    refunds: { object: 'list', url: `/v1/charges/${id}/refunds`, has_more: false, data: [] },
    amount_refunded: 0,
    failure_code: null,
    failure_msg: null,
    metadata: p.metadata ?? {},
    credential: fakeCredential(p.channel, id, p, created),
    description: p.description ?? null,
  };
}

/** Marks a charge paid as the channel's notification would; idempotent. */
export function markChargePaid(charge: Charge, at: number = nowS()): Charge {
  if (charge.paid) return charge;
  charge.paid = true;
  charge.time_paid = at;
  // Alipay's trade numbers are digits; WeChat's are "42…" digits too.
  charge.transaction_no = `${charge.channel === 'alipay' ? '2088' : '4200'}${Date.now()}${randomInt(1e5, 1e6)}`;
  return charge;
}

type RefundResult = { ok: true; refund: Refund } | { ok: false; status: number; error: PingppApiError };

/**
 * Applies `POST /v1/charges/{id}/refunds` to a charge (mutating it) the way the
 * API answers; the refund succeeds at once, as a sandbox refund does.
 */
export function refundCharge(charge: Charge, raw: unknown, at: number = nowS()): RefundResult {
  const fail = (param: string | undefined, message: string): RefundResult => ({
    ok: false,
    status: 400,
    error: { type: 'invalid_request_error', message, ...(param ? { param } : {}) },
  });
  const p = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  if (!isStr(p.description)) return fail('description', 'Missing required param: description.');
  if ([...p.description].length > 255) return fail('description', 'Invalid description: at most 255 characters.');
  if (!charge.paid) return fail(undefined, 'Charge not paid, cannot be refunded.');
  const left = charge.amount - charge.amount_refunded;
  if (left <= 0) return fail(undefined, 'Charge has been fully refunded.');
  const amount = p.amount === undefined ? left : p.amount;
  if (!Number.isInteger(amount) || (amount as number) <= 0 || (amount as number) > left) {
    return fail('amount', `Invalid amount: must be an integer between 1 and ${left}.`);
  }
  const refund: Refund = {
    id: randomId('re_'),
    object: 'refund',
    order_no: charge.order_no,
    amount: amount as number,
    created: at,
    succeed: true,
    status: 'succeeded',
    time_succeed: at,
    description: p.description,
    failure_code: null,
    failure_msg: null,
    metadata: {},
    charge: charge.id,
    charge_order_no: charge.order_no,
    transaction_no: `${at}${randomInt(1e5, 1e6)}`,
    extra: {},
  };
  charge.amount_refunded += refund.amount;
  // Ping++: `refunded` says a refund exists (partial or full), not that the
  // whole amount went back; compare amount_refunded with amount for that.
  charge.refunded = true;
  charge.refunds.data.unshift(refund);
  return { ok: true, refund };
}
