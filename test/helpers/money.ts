// Helpers for the payment, call and job tests: RSA keys, signed Ping++ webhooks, a clock the
// test moves by hand (so expiry needs no sleeping), and order events recorded per app.
import { generateKeyPairSync } from 'node:crypto';
import type { App } from '../../src/app';
import { EVENT_KEYS, type OrderEvent } from '../../src/orders/order.events';
import type { Charge, Refund } from '../../src/payments/charge';
import { signPayload } from '../../src/payments/pingpp-signature';
import { randomId } from '../../src/payments/charge';

export function rsaKeys() {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

/** A Ping++ event as its webhook delivers it. */
export function pingppEvent(type: 'charge.succeeded' | 'refund.succeeded', object: Charge | Refund) {
  return { id: randomId('evt_'), object: 'event', created: Math.floor(Date.now() / 1000), livemode: false, type, data: { object }, pending_webhooks: 0, request: randomId('iar_') };
}

/** POSTs a raw body to the Ping++ webhook, signed with `privatePem` unless a signature is given. */
export async function postWebhook(base: string, body: string, privatePem: string | null, signature?: string) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const sig = signature ?? (privatePem ? signPayload(body, privatePem) : undefined);
  if (sig) headers['x-pingplusplus-signature'] = sig;
  const res = await fetch(base + '/rest/webhooks/pingpp', { method: 'POST', headers, body });
  const text = await res.text();
  let parsed: any = text;
  try {
    parsed = JSON.parse(text);
  } catch {}
  return { status: res.status, body: parsed };
}

/** A clock for createApp's `now`, moved by the test. */
export function manualClock(start = Date.now()) {
  let t = start;
  return {
    now: () => new Date(t),
    advance(ms: number) {
      t += ms;
    },
  };
}

/** The tests' listeners see an event once the app's own have handled it. */
const AFTER_ALL_LISTENERS = Number.MAX_SAFE_INTEGER;

/** Records every order event of an app (statuses, announcements) from now on. */
export function recordEvents(app: App) {
  const events: OrderEvent[] = [];
  app.services.orders.use({ name: 'test: record events', priority: AFTER_ALL_LISTENERS, handles: EVENT_KEYS, handle: (e) => void events.push(e) });
  return {
    events,
    of: (o_id: string, key?: string) => events.filter((e) => e.order.o_id === o_id && (key === undefined || e.key === key)),
  };
}

/** Resolves with the first order event that satisfies pred; rejects after guardMs (a failure guard, not a timing assertion). */
export function nextOrderEvent(app: App, pred: (e: OrderEvent) => boolean, guardMs = 15_000): Promise<OrderEvent> {
  return new Promise((resolve, reject) => {
    let done = false;
    const timer = setTimeout(() => {
      done = true;
      reject(new Error(`no matching order event within ${guardMs} ms`));
    }, guardMs);
    app.services.orders.use({
      name: 'test: await an event',
      priority: AFTER_ALL_LISTENERS,
      handles: EVENT_KEYS,
      handle: (e) => {
        if (done || !pred(e)) return;
        done = true;
        clearTimeout(timer);
        resolve(e);
      },
    });
  });
}
