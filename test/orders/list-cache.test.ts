// The embedded store keeps the order-list pages it builds (src/orders/list-page-cache.ts) and
// hands one out again only while the list versions that migration 8's triggers count are
// unchanged. Here a second connection to the same file stands for another process (a web
// node, the clock): whatever it changes that a page shows must show on the next request,
// and what no page shows must not cost a rebuild.
import test from 'ava';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openSqlite, type Sqlite } from '../../src/db/sqlite';
import { createSqliteStore } from '../../src/db/sqlite-store';
import { ListPageCache } from '../../src/orders/list-page-cache';
import type { OrderListFilter } from '../../src/orders/orders.repo';
import { SqliteOrdersRepo } from '../../src/orders/orders.sqlite';
import { SqliteTopicsRepo } from '../../src/topics/topics.sqlite';
import { SqliteUsersRepo } from '../../src/users/users.sqlite';
import { aTopic, aUser, anOrder } from '../db/store-contract';
import { startApp } from '../helpers/app';

const ALL = ['pending', 'confirmed', 'rejected', 'paid', 'toBeFinished', 'finished', 'canceled'] as const;

async function twoConnections(t: { teardown: (fn: () => unknown) => void }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'list-cache-'));
  const store = createSqliteStore(dir); // this process, pages kept
  const other = openSqlite(dir); // another process on the same file
  t.teardown(async () => {
    other.close();
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const repos = { orders: new SqliteOrdersRepo(other), topics: new SqliteTopicsRepo(other), users: new SqliteUsersRepo(other) };
  // The page as built from scratch, nothing kept: what a correct answer is.
  const fresh = new SqliteOrdersRepo(other, { listCacheMb: 0 });
  const buyer = aUser();
  const expert = aUser({ nick: 'before' });
  const topic = aTopic({ expert_id: expert.userID, title: 'first title' });
  for (const u of [buyer, expert]) await repos.users.upsert(u);
  await repos.topics.insert(topic);
  const orders = [0, 1, 2].map((i) => anOrder({ userID: buyer.userID, expert_id: expert.userID, topic_id: topic.topic_id, createdAt: new Date(Date.UTC(2025, 0, 1, 0, 0, i)) }));
  for (const o of orders) await repos.orders.insert(o);
  const filter: OrderListFilter = { userID: buyer.userID, statuses: [...ALL], skip: 0, limit: 10 };
  return { store, other, repos, fresh, buyer, expert, topic, orders, filter };
}

const text = (b: Buffer) => b.toString('utf8');

test('a page is built once and handed out again while nothing it shows changes', async (t) => {
  const { store, filter } = await twoConnections(t);
  const first = await store.orders.listJson!(filter, 'buyer');
  const again = await store.orders.listJson!(filter, 'buyer');
  t.is(again, first, 'the same bytes object: kept, not rebuilt');
  // Another page of the same user is a page of its own.
  const other = await store.orders.listJson!({ ...filter, limit: 2 }, 'buyer');
  t.not(other, first);
  t.is(JSON.parse(text(other)).length, 2);
});

test('what another connection changes shows on the next request: status, rating, a new order, a topic, a profile', async (t) => {
  const { store, other, repos, fresh, buyer, expert, topic, orders, filter } = await twoConnections(t);
  let before = await store.orders.listJson!(filter, 'buyer');
  const changes: Array<[string, () => Promise<unknown>]> = [
    ['status', () => repos.orders.transition(orders[0].o_id, ['pending'], 'confirmed', 'confirmAt', new Date(), {})],
    ['rating', () => repos.orders.update(orders[1].o_id, ['pending'], { rating: 4 })],
    ['new order', () => repos.orders.insert(anOrder({ userID: buyer.userID, expert_id: expert.userID, topic_id: topic.topic_id, createdAt: new Date(Date.UTC(2025, 0, 2)) }))],
    ['topic finish count', async () => repos.topics.countFinish(topic.topic_id, 5)],
    ['topic title, by plain SQL', async () => other.prepare('UPDATE topics SET title = ? WHERE topic_id = ?').run('second title', topic.topic_id)],
    ['expert profile', () => repos.users.upsert({ ...expert, nick: 'after' })],
    ['order removed, by plain SQL', async () => other.prepare('DELETE FROM orders WHERE o_id = ?').run(orders[2].o_id)],
  ];
  for (const [what, change] of changes) {
    await change();
    const now = await store.orders.listJson!(filter, 'buyer');
    t.is(text(now), text(await fresh.listJson!(filter, 'buyer')), `${what}: the page as built from scratch`);
    t.not(text(now), text(before), `${what}: the page changed`);
    before = now;
  }
  const page = JSON.parse(text(before)) as Array<{ status: string; rating: number; topic: { title: string; finish_count: string }; expert: { nick: string } }>;
  t.is(page.length, 3);
  t.true(page.some((o) => o.status === 'confirmed') && page.some((o) => o.rating === 4));
  t.true(page.every((o) => o.topic.title === 'second title' && o.topic.finish_count === '1' && o.expert.nick === 'after'));
});

test('the expert’s list follows the expert’s orders too', async (t) => {
  const { store, repos, fresh, expert, orders } = await twoConnections(t);
  const filter: OrderListFilter = { expert_id: expert.userID, statuses: [...ALL], skip: 0, limit: 10 };
  const before = await store.orders.listJson!(filter, 'expert');
  await repos.orders.transition(orders[0].o_id, ['pending'], 'rejected', 'rejectAt', new Date(), { reason: 'busy' });
  const after = await store.orders.listJson!(filter, 'expert');
  t.not(text(after), text(before));
  t.is(text(after), text(await fresh.listJson!(filter, 'expert')));
});

test('changes no page shows cost no rebuild: other people’s orders, columns the list does not show', async (t) => {
  const { store, repos, orders, filter } = await twoConnections(t);
  const first = await store.orders.listJson!(filter, 'buyer');
  await repos.orders.insert(anOrder()); // two other people's order
  await repos.orders.update(orders[0].o_id, ['pending'], { called: true, comment: 'not in the list' });
  t.is(await store.orders.listJson!(filter, 'buyer'), first);
});

test('migration 8: the triggers count an order’s changes for both parties and a topic’s or profile’s for everyone', async (t) => {
  const db = openSqlite(':memory:');
  t.teardown(() => db.close());
  const versions = () => Object.fromEntries((db.prepare('SELECT k, v FROM list_versions').all() as Array<{ k: string; v: number }>).map((r) => [r.k, r.v]));
  const orders = new SqliteOrdersRepo(db);
  const o = anOrder();
  await orders.insert(o);
  t.deepEqual(versions(), { [o.userID]: 1, [o.expert_id]: 1 });
  await orders.transition(o.o_id, ['pending'], 'confirmed', 'confirmAt', new Date(), {});
  t.deepEqual(versions(), { [o.userID]: 2, [o.expert_id]: 2 });
  await orders.update(o.o_id, ['confirmed'], { called: true });
  t.deepEqual(versions(), { [o.userID]: 2, [o.expert_id]: 2 }, 'a column no list shows');
  await new SqliteTopicsRepo(db).insert(aTopic());
  await new SqliteUsersRepo(db).upsert(aUser());
  t.is(versions()['*'], 2);
});

test('inside a transaction a page is built but not kept: a rollback leaves nothing stale', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'list-cache-tx-'));
  const db: Sqlite = openSqlite(dir);
  t.teardown(() => {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const orders = new SqliteOrdersRepo(db);
  const o = anOrder();
  await orders.insert(o);
  const filter: OrderListFilter = { userID: o.userID, statuses: [...ALL], skip: 0, limit: 10 };
  const committed = text(await orders.listJson!(filter, 'buyer'));
  db.exec('BEGIN IMMEDIATE');
  await orders.transition(o.o_id, ['pending'], 'confirmed', 'confirmAt', new Date(), {});
  t.regex(text(await orders.listJson!(filter, 'buyer')), /"confirmed"/);
  db.exec('ROLLBACK');
  t.is(text(await orders.listJson!(filter, 'buyer')), committed);
});

test('LIST_CACHE_MB=0 keeps nothing: every request builds its page', async (t) => {
  const db = openSqlite(':memory:');
  t.teardown(() => db.close());
  const orders = new SqliteOrdersRepo(db, { listCacheMb: 0 });
  const o = anOrder();
  await orders.insert(o);
  const filter: OrderListFilter = { userID: o.userID, statuses: [...ALL], skip: 0, limit: 10 };
  const a = await orders.listJson!(filter, 'buyer');
  const b = await orders.listJson!(filter, 'buyer');
  t.not(a, b);
  t.is(text(a), text(b));
});

test('the cache stays within its byte budget and hands out a page only at the versions it was built at', (t) => {
  const cache = new ListPageCache(100);
  const v = { all: 1, mine: 3 };
  cache.set('a', v, Buffer.alloc(60));
  t.truthy(cache.get('a', v));
  t.is(cache.get('a', { all: 2, mine: 3 }), undefined);
  t.is(cache.get('a', { all: 1, mine: null }), undefined);
  cache.set('a', v, Buffer.alloc(70)); // replaces its own 60 bytes: 70 kept
  t.is(cache.size, 70);
  cache.set('b', v, Buffer.alloc(40)); // 110 would pass the budget: everything forgotten first
  t.is(cache.size, 40);
  t.is(cache.get('a', v), undefined);
  cache.set('c', v, Buffer.alloc(101)); // larger than the budget: never kept
  t.is(cache.get('c', v), undefined);
  t.is(cache.size, 40);
  t.false(new ListPageCache(0).enabled);
});

test('migration 8: an order moved to other parties counts for the old and the new ones', async (t) => {
  const db = openSqlite(':memory:');
  t.teardown(() => db.close());
  const o = anOrder();
  await new SqliteOrdersRepo(db).insert(o);
  db.prepare('UPDATE orders SET userID = ? WHERE o_id = ?').run('new-buyer', o.o_id);
  const v = (k: string) => (db.prepare('SELECT v FROM list_versions WHERE k = ?').pluck().get(k) as number | undefined) ?? 0;
  t.is(v(o.userID), 2);
  t.is(v('new-buyer'), 1);
  t.is(v(o.expert_id), 3, 'the expert: the insert, and both triggers of the move');
});

test('LIST_CACHE_MB reaches the app’s store: pages kept by default, none at 0', async (t) => {
  for (const [env, kept] of [[{}, true], [{ LIST_CACHE_MB: '0' }, false]] as const) {
    const { app, close } = await startApp(env);
    t.teardown(close);
    const o = anOrder();
    await app.store.orders.insert(o);
    const filter: OrderListFilter = { userID: o.userID, statuses: [...ALL], skip: 0, limit: 10 };
    const first = await app.store.orders.listJson!(filter, 'buyer');
    t.is((await app.store.orders.listJson!(filter, 'buyer')) === first, kept, JSON.stringify(env));
  }
});

test('every column a page shows, changed by plain SQL in another connection, shows on the next request', async (t) => {
  const { store, other, fresh, buyer, expert, topic, orders, filter } = await twoConnections(t);
  const otherTopic = aTopic({ expert_id: expert.userID, title: 'another topic' });
  await new SqliteTopicsRepo(other).insert(otherTopic);
  const changes: Array<[string, unknown[]]> = [
    ['UPDATE orders SET status = ? WHERE o_id = ?', ['paid', orders[0].o_id]],
    ['UPDATE orders SET rating = ? WHERE o_id = ?', [3, orders[0].o_id]],
    ['UPDATE orders SET createdAt = ? WHERE o_id = ?', [Date.UTC(2030, 0, 1), orders[1].o_id]],
    ['UPDATE orders SET topic_id = ? WHERE o_id = ?', [otherTopic.topic_id, orders[2].o_id]],
    ['UPDATE topics SET title = ? WHERE topic_id = ?', ['renamed', topic.topic_id]],
    ['UPDATE topics SET category = ? WHERE topic_id = ?', ['other category', topic.topic_id]],
    ['UPDATE topics SET finish_count = ? WHERE topic_id = ?', [99, topic.topic_id]],
    ...(['nick', 'name', 'avatar', 'title'] as const).map((c): [string, unknown[]] => [`UPDATE users SET ${c} = ? WHERE userID = ?`, [`new ${c}`, expert.userID]]),
    ['UPDATE orders SET expert_id = ? WHERE o_id = ?', [buyer.userID, orders[0].o_id]],
  ];
  let before = text(await store.orders.listJson!(filter, 'buyer'));
  for (const [sql, args] of changes) {
    t.is(other.prepare(sql).run(...args).changes, 1, sql);
    const now = text(await store.orders.listJson!(filter, 'buyer'));
    t.is(now, text(await fresh.listJson!(filter, 'buyer')), sql);
    t.not(now, before, `${sql}: the page changed`);
    before = now;
  }
});
