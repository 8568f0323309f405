// The clock SIGKILLed in the middle of a sweep (real processes: a web node, two clocks one
// after the other, one Redis, one store): the next clock's sweep finishes the work, and
// nothing is expired or settled twice: one system message per event per order, one ledger
// entry per settled order, every wallet balance equal to its order's price.
import test from 'ava';
import { api, makeUser, type Api } from '../helpers/app';
import { advance, buildOrder } from '../helpers/factories';
import { closeAfter, startFleet, until } from '../helpers/fleet';

/** Orders the sweep settles (toBeFinished past the settle timeout), each with an expert of its own. */
const TO_SETTLE = 80;
/** Orders the sweep expires (confirmed, never paid). */
const TO_EXPIRE = 20;
const PRICE = 1700;

const closeLater = closeAfter(test);

type Order = Awaited<ReturnType<typeof buildOrder>>;

async function inBatches<T>(n: number, size: number, make: () => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  while (out.length < n) out.push(...(await Promise.all(Array.from({ length: Math.min(size, n - out.length) }, make))));
  return out;
}

test('the clock SIGKILLed mid-sweep: the next clock finishes the work, nothing expired or settled twice', async (t) => {
  t.timeout(240_000);
  const fleet = closeLater(await startFleet({ CRON_SCHEDULE: '* * * * * *', ORDER_PAY_TIMEOUT_S: '1', ORDER_SETTLE_TIMEOUT_S: '1' }));
  const web = await fleet.startWeb('web');
  t.log(`store: ${fleet.storeLabel}`);
  const c = api(web.url);
  const staff = makeUser({ staff: true });
  const total = async (status: string) => (await c.get(`/v1/admin/orders?status=${status}&limit=1`, staff.token)).body.data.meta.total as number;

  const toSettle = await inBatches(TO_SETTLE, 8, async () => {
    const o = await buildOrder(c, { price: PRICE });
    await advance(c, o, 'toBeFinished');
    return o;
  });
  const toExpire = await inBatches(TO_EXPIRE, 8, async () => {
    const o = await buildOrder(c, { price: PRICE });
    await advance(c, o, 'confirmed');
    return o;
  });
  t.is(await total('finished'), 0);

  // The first clock starts sweeping; it dies once some orders (not all) are finished.
  const first = await fleet.startClock('clock-1');
  await until(async () => (await total('finished')) > 0, 60_000, 'the first sweep finishing an order', 5);
  await fleet.kill(first);
  const finishedAtKill = await total('finished');
  t.true(finishedAtKill < TO_SETTLE, `killed mid-sweep (${finishedAtKill} of ${TO_SETTLE} finished when it died)`);

  // The next clock waits out the dead one's lock, then finishes the work.
  const second = await fleet.startClock('clock-2');
  await until(async () => (await total('finished')) === TO_SETTLE && (await total('canceled')) === TO_EXPIRE, 90_000, 'every due order moved');
  await until(async () => (await Promise.all(toSettle.map((o) => balance(c, o)))).every((b) => b === PRICE), 60_000, 'every expert credited');
  t.deepEqual(fleet.faults(), []);
  t.is(second.proc.exitCode, null);

  let credited = 0;
  const announced = { finished: 0, settled: 0, pay_expired: 0 };
  for (const o of toSettle) {
    const wallet = (await c.get('/rest/wallet', o.expert.token)).body.info;
    t.is(wallet.balance, PRICE, `${o.o_id}: credited once`);
    t.is(wallet.list.length, 1, `${o.o_id}: one ledger entry`);
    if (wallet.list.length === 1 && wallet.list[0].o_id === o.o_id) credited++;
    const events = await systemMessages(c, staff.token, o);
    for (const key of ['finished', 'settled'] as const) {
      const n = events.filter((k) => k === key).length;
      t.true(n <= 1, `${o.o_id}: ${key} announced ${n} times`);
      announced[key] += n;
    }
  }
  for (const o of toExpire) {
    const events = await systemMessages(c, staff.token, o);
    const n = events.filter((k) => k === 'pay_expired').length;
    t.true(n <= 1, `${o.o_id}: pay_expired announced ${n} times`);
    announced.pay_expired += n;
    t.is((await c.get(`/rest/order/${o.o_id}`, o.buyer.token)).body.info.status, 'canceled');
  }
  t.is(credited, TO_SETTLE);
  // An order's system message is posted after its transition commits, not with it: a kill
  // between the two loses that one message (counted here, not hidden).
  t.log(`due ${TO_SETTLE} to settle + ${TO_EXPIRE} to expire; finished when the first clock died: ${finishedAtKill}; credited once each: ${credited}`);
  t.log(`system messages: finished ${announced.finished}/${TO_SETTLE}, settled ${announced.settled}/${TO_SETTLE}, pay_expired ${announced.pay_expired}/${TO_EXPIRE}`);
  // The store the fleet leaves behind is whole: money, payments, refunds, seqs, unread counts.
  t.deepEqual(await fleet.invariantViolations(), [], 'npm run check-invariants on the shared store');
});

async function balance(c: Api, o: Order): Promise<number> {
  return (await c.get('/rest/wallet', o.expert.token)).body.info.balance;
}

/** The keys of an order's system messages, oldest first. */
async function systemMessages(c: Api, staffToken: string, o: Order): Promise<string[]> {
  const res = await c.get(`/v1/admin/orders/${o.o_id}/messages?limit=100`, staffToken);
  return (res.body.data.list as { type: string; content: string }[]).filter((m) => m.type === 'system').map((m) => m.content);
}
