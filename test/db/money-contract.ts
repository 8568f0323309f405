// The payments' and calls' part of the repository contract (see store-contract.ts): the same
// tests run against SQLite and, when TEST_MONGODB_URI is set, MongoDB. The races the money
// relies on are decided here: one conditional update wins, one payment per order is kept,
// one call per order is active.
import type { Call } from '../../src/calls/call.types';
import type { Store } from '../../src/db/store';
import { newId } from '../../src/ids';
import { settleLeftovers } from '../../src/jobs/sweeps';
import { createLogger } from '../../src/log/logger';
import { OrdersService } from '../../src/orders/orders.service';
import { SETTLE_STEPS } from '../../src/wallet/settlement.repo';
import { WalletService } from '../../src/wallet/wallet.service';
import type { Payment } from '../../src/payments/payment.types';
import { buildCharge, chargeRequestBody, randomId } from '../../src/payments/charge';
import { anOrder, aTopic, type Section } from './store-contract';

const at = (ms: number) => new Date(Date.UTC(2024, 0, 1) + ms);

export function aPayment(over: Partial<Payment> = {}): Payment {
  const pay_id = over.pay_id ?? newId();
  const o_id = over.o_id ?? newId();
  const charge = buildCharge(
    chargeRequestBody({ orderNo: pay_id, amount: 1500, channel: 'alipay', currency: 'cny', clientIp: '127.0.0.1', subject: '话题', body: '问题', metadata: { o_id, pay_id } }, 'app_x'),
    { created: 1704067200 },
  );
  return {
    pay_id,
    o_id,
    userID: newId(),
    provider: 'pingpp',
    channel: 'alipay',
    amount: 1500,
    currency: 'cny',
    charge_id: charge.id,
    status: 'pending',
    charge,
    kept: false,
    createdAt: at(1),
    updatedAt: at(1),
    paidAt: null,
    closedAt: null,
    refund_id: null,
    refundedAt: null,
    refundAttempts: 0,
    error: '',
    ...over,
  };
}

export function aCall(over: Partial<Call> = {}): Call {
  return { id: newId(), callSid: null, o_id: newId(), provider: 'cloopen', fromUser: newId(), toUser: newId(), status: 'starting', active: true, duration: 0, error: '', createdAt: at(1), updatedAt: at(1), endedAt: null, ...over };
}

const payments: Section = (it) => {
  it('a payment round-trips whole, by pay_id and by charge_id', async (t, store) => {
    const p = aPayment();
    await store.payments.insert(p);
    t.deepEqual(await store.payments.get(p.pay_id), p);
    t.deepEqual(await store.payments.getByChargeId(p.charge_id!), p);
    t.is(await store.payments.get(newId()), null);
    t.is(await store.payments.getByChargeId('ch_nope'), null);
  });

  it('charge_id is unique; free payments (no charge) may be many', async (t, store) => {
    const p = aPayment();
    await store.payments.insert(p);
    // Drivers throw their own error classes (better-sqlite3's is not an Error of this realm).
    await t.throwsAsync(store.payments.insert(aPayment({ charge_id: p.charge_id })), { any: true });
    const free = [aPayment({ charge_id: null, charge: null, provider: 'free' }), aPayment({ charge_id: null, charge: null, provider: 'free' })];
    for (const f of free) await store.payments.insert(f);
    for (const f of free) t.deepEqual(await store.payments.get(f.pay_id), f);
  });

  it('update applies only from the given statuses (and updatedAt), and of racers exactly one wins', async (t, store) => {
    const p = aPayment();
    await store.payments.insert(p);
    t.is(await store.payments.update(p.pay_id, ['paid'], { status: 'refunding' }), null);
    t.is(await store.payments.update(p.pay_id, ['pending'], { error: 'x' }, at(999)), null, 'stale updatedAt');
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => store.payments.update(p.pay_id, ['pending', 'canceled'], { status: 'paid', paidAt: at(10 + i), updatedAt: at(10 + i) })));
    const winners = results.filter((r) => r !== null);
    t.is(winners.length, 1);
    t.deepEqual(await store.payments.get(p.pay_id), winners[0]);
    const charge = { ...p.charge!, paid: true };
    const after = await store.payments.update(p.pay_id, ['paid'], { charge, closedAt: at(50) }, winners[0]!.updatedAt);
    t.deepEqual(after, { ...winners[0]!, charge, closedAt: at(50) });
  });

  it('one payment per order is kept', async (t, store) => {
    const o_id = newId();
    const [a, b] = [aPayment({ o_id }), aPayment({ o_id })];
    const other = aPayment();
    for (const p of [a, b, other]) await store.payments.insert(p);
    const kept = await Promise.all([store.payments.keep(a.pay_id), store.payments.keep(b.pay_id)]);
    t.deepEqual([...kept].sort(), [false, true]);
    const winner = kept[0] ? a : b;
    t.true(await store.payments.keep(winner.pay_id), 'keeping the kept one again is fine');
    t.true(await store.payments.keep(other.pay_id));
    t.deepEqual((await store.payments.listByOrder(o_id)).map((p) => [p.pay_id, p.kept]).sort(), [[a.pay_id, a === winner], [b.pay_id, b === winner]].sort());
  });

  it('listForSweep filters by status, open, updatedBefore, and pages by pay_id', async (t, store) => {
    const rows = [
      aPayment({ status: 'paid', updatedAt: at(1) }),
      aPayment({ status: 'paid', updatedAt: at(5), closedAt: at(5) }),
      aPayment({ status: 'refund_failed', updatedAt: at(2) }),
      aPayment({ status: 'refunding', updatedAt: at(3) }),
      aPayment({ status: 'refunding', updatedAt: at(9) }),
      aPayment({ status: 'paid', updatedAt: at(4) }),
    ];
    for (const r of rows) await store.payments.insert(r);
    const ids = (ps: Payment[]) => ps.map((p) => p.pay_id);
    const sorted = (ps: Payment[]) => ids(ps).sort();
    t.deepEqual(ids(await store.payments.listForSweep({ statuses: ['paid'], openOnly: true, limit: 10 })), sorted([rows[0], rows[5]]));
    t.deepEqual(ids(await store.payments.listForSweep({ statuses: ['paid'], limit: 10 })), sorted([rows[0], rows[1], rows[5]]));
    t.deepEqual(ids(await store.payments.listForSweep({ statuses: ['refunding'], updatedBefore: at(5), limit: 10 })), [rows[3].pay_id]);
    const all = sorted(rows);
    const first = await store.payments.listForSweep({ statuses: ['paid', 'refund_failed', 'refunding'], limit: 4 });
    t.deepEqual(ids(first), all.slice(0, 4));
    t.deepEqual(ids(await store.payments.listForSweep({ statuses: ['paid', 'refund_failed', 'refunding'], after: first[3].pay_id, limit: 4 })), all.slice(4));
  });
};

const calls: Section = (it) => {
  it('a call round-trips whole, by id and by callSid', async (t, store) => {
    const c = aCall();
    t.true(await store.calls.insert(c));
    t.deepEqual(await store.calls.get(c.id), c);
    t.deepEqual(await store.calls.getActive(c.o_id), c);
    const callSid = randomId('', 32).toLowerCase();
    const calling = await store.calls.update(c.id, ['starting'], { callSid, status: 'calling', updatedAt: at(2) });
    t.deepEqual(calling, { ...c, callSid, status: 'calling', updatedAt: at(2) });
    t.deepEqual(await store.calls.getByCallSid(callSid), calling);
    t.is(await store.calls.getByCallSid('nope'), null);
    t.is(await store.calls.update(c.id, ['starting'], { status: 'failed' }), null);
  });

  it('an order has at most one active call', async (t, store) => {
    const o_id = newId();
    const results = await Promise.all(Array.from({ length: 5 }, () => store.calls.insert(aCall({ o_id }))));
    t.is(results.filter(Boolean).length, 1);
    const active = (await store.calls.getActive(o_id))!;
    await store.calls.update(active.id, ['starting'], { status: 'failed', active: false, endedAt: at(3) });
    t.is(await store.calls.getActive(o_id), null);
    t.true(await store.calls.insert(aCall({ o_id })), 'a new call once the last one ended');
    t.true(await store.calls.insert(aCall({ o_id, active: false, status: 'busy' })), 'ended calls do not count');
  });
};

/**
 * Two finished orders of one topic (one rated 4, one finished by the timeout without a
 * rating), and the wallet service the settlement sweep runs.
 */
async function twoFinished(store: Store) {
  const log = createLogger('silent');
  const wallet = new WalletService(store, new OrdersService(store, log));
  /** One run of the settlement sweep: how many orders it settled. */
  const leftovers = async () => (await settleLeftovers({ store, wallet, log })).done;
  const topic = aTopic();
  await store.topics.insert(topic);
  const of = { topic_id: topic.topic_id, expert_id: topic.expert_id, status: 'finished' as const };
  const rated = anOrder({ ...of, price: 1000, rating: 4, commentAt: at(9) });
  const unrated = anOrder({ ...of, price: 2500, rating: 0 });
  for (const o of [rated, unrated]) await store.orders.insert(o);
  /** Each count the settlement moves, as it stands. */
  const counts = async () => {
    const x = (await store.topics.get(topic.topic_id))!;
    const ledger = await store.ledger.list(topic.expert_id, 0, 100);
    return {
      balance: await store.ledger.balance(topic.expert_id),
      ledger: ledger.map((e) => `${e.key} ${e.amount}`).sort(),
      finish_count: x.finish_count,
      rating: [x.rating_sum, x.rating_count],
      unsettled: (await store.orders.listUnsettled(10)).map((o) => o.o_id),
    };
  };
  const settledOnce = {
    balance: 3500,
    ledger: [`settle:${rated.o_id} 1000`, `settle:${unrated.o_id} 2500`].sort(),
    finish_count: 2,
    rating: [4, 1],
    unsettled: [],
  };
  return { wallet, leftovers, topic, rated, unrated, counts, settledOnce };
}

class Crash extends Error {}

const settlement: Section = (it) => {
  it('settling credits the price, counts the topic, stamps settledAt; a repeat changes nothing', async (t, store) => {
    const { wallet, leftovers, rated, unrated, counts, settledOnce } = await twoFinished(store);
    t.true(await wallet.settle(rated));
    t.true(await wallet.settle(unrated));
    t.deepEqual(await counts(), settledOnce);
    t.false(await wallet.settle(rated));
    t.is(await leftovers(), 0);
    t.deepEqual(await counts(), settledOnce);
    t.truthy((await store.orders.get(unrated.o_id))!.settledAt);
  });

  for (const step of SETTLE_STEPS) {
    it(`a crash after the ${step} step, then the sweep: balance, ledger, finish_count and rating each right exactly once`, async (t, store) => {
      const { wallet, leftovers, rated, unrated, counts, settledOnce } = await twoFinished(store);
      t.true(await wallet.settle(rated));
      await t.throwsAsync(
        wallet.settle(unrated, (s) => {
          if (s === step) throw new Crash(`crash after ${s}`);
        }),
        { instanceOf: Crash },
      );
      // SQLite's transaction rolls back whole; MongoDB's last step is the one that marks the unit complete.
      const complete = step === 'mark' && store.engine === 'mongodb';
      t.deepEqual((await counts()).unsettled, complete ? [] : [unrated.o_id], 'the sweep finds an unfinished unit');
      await leftovers();
      t.deepEqual(await counts(), settledOnce);
      // More sweeps, and the order's own settle again, repeat nothing.
      t.is(await leftovers(), 0);
      t.false(await wallet.settle(unrated));
      t.deepEqual(await counts(), settledOnce);
    });
  }

  it('racing settlements of the same orders (the comment, the timeout, the sweep) count each once', async (t, store) => {
    const { wallet, leftovers, rated, unrated, counts, settledOnce } = await twoFinished(store);
    const results = await Promise.all([...[rated, unrated, rated, unrated, rated, unrated].map((o) => wallet.settle(o)), leftovers(), leftovers()]);
    t.is(results.filter((r) => r === true).length + (results.at(-1) as number) + (results.at(-2) as number), 2, 'each order settled by one caller');
    t.deepEqual(await counts(), settledOnce);
  });
};

export const MONEY_SECTIONS: Record<string, Section> = { payments, calls, settlement };
