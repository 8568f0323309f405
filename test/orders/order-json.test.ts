// The embedded store answers an order list's page and an order's detail as JSON text built by
// SQLite (src/orders/order-json.sql.ts); every other engine goes through list() and listItem,
// get() and orderDetail. The two must be the same answer, byte for byte, whatever the orders,
// topics and profiles hold.
import test from 'ava';
import { createSqliteStore } from '../../src/db/sqlite-store';
import { ORDER_STATUSES, type OrderStatus } from '../../src/orders/order.types';
import { listItem, orderDetail, type ListViewer } from '../../src/orders/order.view';
import type { OrderListFilter } from '../../src/orders/orders.repo';
import { aTopic, aUser, anOrder } from '../db/store-contract';

/** Texts JSON must escape or keep as they are: quotes, backslashes, control characters, astral and separator code points. */
const AWKWARD = ['"quoted" \\ back\\slash', 'line\nbreak\ttab\r\u0001\u001f\u007f', '😀 表情 \u2028\u2029', "it's </script>", ''];

test('the SQL-built page is listItem’s page, byte for byte, for both viewers and every status', async (t) => {
  const store = createSqliteStore(':memory:');
  t.teardown(() => store.close());
  const buyer = aUser({ nick: AWKWARD[0], avatar: AWKWARD[2] });
  const experts = AWKWARD.map((text, i) => aUser({ nick: text, name: AWKWARD[(i + 1) % AWKWARD.length], avatar: `a${i}.png`, title: AWKWARD[(i + 2) % AWKWARD.length] }));
  for (const u of [buyer, ...experts]) await store.users.upsert(u);
  const topics = experts.map((e, i) => aTopic({ expert_id: e.userID, title: AWKWARD[i], category: AWKWARD[(i + 3) % AWKWARD.length], finish_count: i * 1000 + 7 }));
  for (const x of topics) await store.topics.insert(x);
  // Every status; a topic and an expert that are not stored.
  const base = Date.UTC(2025, 11, 31, 23, 59, 59);
  const orders = ORDER_STATUSES.flatMap((status, i) =>
    [0, 1, 2].map((k) => {
      const n = i * 3 + k;
      const missing = n % 7 === 3;
      return anOrder({
        userID: buyer.userID,
        expert_id: missing ? 'no-such-expert' : experts[n % experts.length].userID,
        topic_id: missing || n % 5 === 4 ? 'no-such-topic' : topics[n % topics.length].topic_id,
        status,
        rating: n % 6,
        // Milliseconds 0, 999 and 5 in turn; two orders share each instant, so the o_id tie-break decides their order.
        createdAt: new Date(base + Math.floor(n / 2) * 1000 + [0, 999, 5][Math.floor(n / 2) % 3]),
      });
    }),
  );
  for (const o of orders) await store.orders.insert(o);

  const pages: Array<[ListViewer, OrderListFilter]> = [];
  for (const statuses of [[...ORDER_STATUSES], ORDER_STATUSES.filter((s) => s !== 'canceled'), ['paid', 'finished'] as OrderStatus[], ['rejected'] as OrderStatus[]]) {
    for (const [skip, limit] of [[0, 10], [0, 100], [3, 4], [20, 10], [100, 10], [0, 1]]) {
      pages.push(['buyer', { userID: buyer.userID, statuses, skip, limit }]);
      pages.push(['expert', { expert_id: experts[1].userID, statuses, skip, limit }]);
    }
  }
  let items = 0;
  for (const [viewer, filter] of pages) {
    const json = await store.orders.listJson!(filter, viewer);
    const rows = await store.orders.list(filter);
    items += rows.length;
    t.true(Buffer.isBuffer(json));
    t.is(json.toString('utf8'), JSON.stringify(rows.map((o) => listItem(o, viewer))), `${viewer} ${JSON.stringify(filter)}`);
  }
  // The pages above are not all empty: they cover rows with and without embeds.
  t.true(items > 100);
  t.true(orders.some((o) => o.topic_id === 'no-such-topic') && orders.some((o) => o.expert_id === 'no-such-expert'));
});

test('an empty page is an empty array', async (t) => {
  const store = createSqliteStore(':memory:');
  t.teardown(() => store.close());
  t.is((await store.orders.listJson!({ userID: 'nobody', statuses: ['paid'], skip: 0, limit: 10 }, 'buyer')).toString(), '[]');
});

test('createdAt is written as toISOString writes it, for every millisecond of a second', async (t) => {
  const store = createSqliteStore(':memory:');
  t.teardown(() => store.close());
  const userID = 'buyer-ms';
  // A second at the end of a leap year and one far ahead, each millisecond of it.
  const starts = [Date.UTC(2024, 11, 31, 23, 59, 59), Date.UTC(2099, 5, 30, 12, 0, 0)];
  const expected: string[] = [];
  for (const start of starts) {
    for (let ms = 0; ms < 1000; ms++) {
      const createdAt = new Date(start + ms);
      await store.orders.insert(anOrder({ userID, status: 'paid', createdAt }));
      expected.push(createdAt.toISOString());
    }
  }
  const seen: string[] = [];
  for (let skip = 0; skip < expected.length; skip += 100) {
    const page = JSON.parse((await store.orders.listJson!({ userID, statuses: ['paid'], skip, limit: 100 }, 'buyer')).toString()) as Array<{ createdAt: string }>;
    seen.push(...page.map((o) => o.createdAt));
  }
  t.deepEqual(seen, expected.reverse());
});

test('the SQL-built detail is orderDetail’s, byte for byte: unset and set times, called, appeal, awkward texts', async (t) => {
  const store = createSqliteStore(':memory:');
  t.teardown(() => store.close());
  const at = (ms: number) => new Date(Date.UTC(2025, 5, 1, 8, 30, 0) + ms);
  const orders = [
    anOrder({ status: 'pending' }),
    anOrder({ status: 'rejected', rejectAt: at(999), reason: AWKWARD[1] }),
    anOrder({ status: 'paid', confirmAt: at(5), payAt: at(1005), called: true, question: AWKWARD[0], self_desc: AWKWARD[2] }),
    anOrder({ status: 'finished', confirmAt: at(1), payAt: at(2), finishAt: at(3), completeAt: at(4), commentAt: at(4), comment: AWKWARD[3], rating: 5, price: 123456 }),
    anOrder({ status: 'canceled', cancelAt: at(10), canceledBy: 'buyer', reason: AWKWARD[4] }),
    anOrder({ status: 'toBeFinished', called: true, appeal: { by: 'buyer', userID: 'someone', reason: '未接通', at: at(77) } }),
  ];
  for (const o of orders) await store.orders.insert(o);
  for (const o of orders) {
    const d = await store.orders.getDetailJson!(o.o_id);
    t.deepEqual(d && { userID: d.userID, expert_id: d.expert_id }, { userID: o.userID, expert_id: o.expert_id });
    t.true(Buffer.isBuffer(d!.json));
    t.is(d!.json.toString('utf8'), JSON.stringify(orderDetail((await store.orders.get(o.o_id))!)), o.status);
  }
  // `called` and `appealed` are JSON booleans, unset times empty strings.
  const paid = JSON.parse((await store.orders.getDetailJson!(orders[2].o_id))!.json.toString());
  t.deepEqual([paid.called, paid.appealed, paid.finishAt], [true, false, '']);
  t.is(JSON.parse((await store.orders.getDetailJson!(orders[5].o_id))!.json.toString()).appealed, true);
  t.is(await store.orders.getDetailJson!('no-such-order'), null);
});
