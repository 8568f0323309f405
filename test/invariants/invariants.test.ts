// `checkInvariants` and `npm run check-invariants` on a store filled through the app
// (real payments with the sandbox, settlements, a staff cancel refunded, chats read and
// unread): clean, it reports nothing; with each kind of corruption planted by direct writes
// (SQL on a second connection, or the MongoDB driver), it reports exactly what was planted.
// SQLite always; MongoDB when TEST_MONGODB_URI points at one.
import test from 'ava';
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connectMongo } from '../../src/db/mongo';
import { createStore, type Store } from '../../src/db/store';
import { newId } from '../../src/ids';
import { checkInvariants } from '../../src/invariants/invariants';
import { MOVES } from '../../src/orders/order.rules';
import { api, makeUser, startApp, type TestApp } from '../helpers/app';
import { advance, buildOrder } from '../helpers/factories';

/** Direct writes that break one invariant each, below the repositories. */
interface Planter {
  deleteCredit(o_id: string): Promise<void>;
  addCredit(o_id: string, userID: string, amount: number): Promise<void>;
  setPaymentStatus(pay_id: string, status: string): Promise<void>;
  addPaidPayment(o_id: string): Promise<void>;
  clearOrderRefund(o_id: string): Promise<void>;
  deleteMessage(o_id: string, seq: number): Promise<void>;
  addUnread(o_id: string, userID: string, n: number): Promise<void>;
  setFinishCount(topic_id: string, n: number): Promise<void>;
  close(): Promise<void>;
}

interface Engine {
  name: string;
  open(): Promise<{ store: Store; planter: Planter; env: Record<string, string>; cleanup(): Promise<void> }>;
}

const sqlite: Engine = {
  name: 'sqlite',
  async open() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'invariants-'));
    const store = await createStore({ dataDir: dir });
    const db = new Database(path.join(dir, 'store.sqlite'));
    const run = async (sql: string, ...args: unknown[]) => void db.prepare(sql).run(...args);
    const planter: Planter = {
      deleteCredit: (o_id) => run("DELETE FROM ledger WHERE o_id = ? AND kind = 'settle'", o_id),
      addCredit: (o_id, userID, amount) => run("INSERT INTO ledger (id, userID, key, o_id, amount, kind, createdAt) VALUES (?, ?, ?, ?, ?, 'settle', 0)", newId(), userID, `settle:${o_id}:again`, o_id, amount),
      setPaymentStatus: (pay_id, status) => run('UPDATE payments SET status = ? WHERE pay_id = ?', status, pay_id),
      addPaidPayment: (o_id) => run("INSERT INTO payments (pay_id, o_id, userID, provider, channel, amount, currency, status, kept, createdAt, updatedAt) VALUES (?, ?, 'u', 'free', 'alipay', 0, 'cny', 'paid', 0, 0, 0)", newId(), o_id),
      clearOrderRefund: (o_id) => run('UPDATE orders SET refund = NULL WHERE o_id = ?', o_id),
      deleteMessage: (o_id, seq) => run('DELETE FROM messages WHERE o_id = ? AND seq = ?', o_id, seq),
      addUnread: (o_id, userID, n) => run('UPDATE chat_members SET unread = unread + ? WHERE o_id = ? AND userID = ?', n, o_id, userID),
      setFinishCount: (topic_id, n) => run('UPDATE topics SET finish_count = ? WHERE topic_id = ?', n, topic_id),
      close: async () => void db.close(),
    };
    return { store, planter, env: { DATA_DIR: dir }, cleanup: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  },
};

const mongoUri = process.env.TEST_MONGODB_URI;
const mongodb: Engine = {
  name: 'mongodb',
  async open() {
    const dbName = `invariants_${newId()}`;
    const store = await createStore({ mongodbUri: mongoUri, mongodbDb: dbName, dataDir: ':memory:' });
    const { client, db } = await connectMongo(mongoUri!, dbName);
    const col = (n: string) => db.collection<any>(n);
    const planter: Planter = {
      deleteCredit: async (o_id) => void (await col('ledger').deleteMany({ o_id, kind: 'settle' })),
      addCredit: async (o_id, userID, amount) => void (await col('ledger').insertOne({ _id: newId(), userID, key: `settle:${o_id}:again`, o_id, amount, kind: 'settle', createdAt: new Date(0) })),
      setPaymentStatus: async (pay_id, status) => void (await col('payments').updateOne({ _id: pay_id }, { $set: { status } })),
      addPaidPayment: async (o_id) => void (await col('payments').insertOne({ _id: newId(), o_id, userID: 'u', provider: 'free', amount: 0, status: 'paid', kept: false, charge_id: null })),
      clearOrderRefund: async (o_id) => void (await col('orders').updateOne({ _id: o_id }, { $set: { refund: null } })),
      deleteMessage: async (o_id, seq) => void (await col('messages').deleteOne({ o_id, seq })),
      addUnread: async (o_id, userID, n) => void (await col('chat_members').updateOne({ o_id, userID }, { $inc: { unread: n } })),
      setFinishCount: async (topic_id, n) => void (await col('topics').updateOne({ _id: topic_id }, { $set: { finish_count: n } })),
      close: () => client.close(),
    };
    return {
      store,
      planter,
      env: { MONGODB_URI: `${mongoUri!.replace(/\/?(\?.*)?$/, '')}/${dbName}` },
      cleanup: async () => {
        const { client: c, db: d } = await connectMongo(mongoUri!, dbName);
        await d.dropDatabase();
        await c.close();
      },
    };
  },
};

/** Orders in every state money passes through, made through the app as clients and staff would. */
async function populate(t0: TestApp) {
  const c = api(t0.url);
  const commented = await buildOrder(c, { price: 1200 });
  await advance(c, commented, 'finished');
  const timedOut = await buildOrder(c, { price: 800 });
  await advance(c, timedOut, 'toBeFinished');
  await t0.app.services.orders.transition(timedOut.o_id, MOVES.settleTimeout, null);
  const paid = await buildOrder(c, { price: 500 });
  await advance(c, paid, 'paid');
  const refunded = await buildOrder(c, { price: 3000 });
  await advance(c, refunded, 'paid');
  await c.post(`/v1/admin/orders/${refunded.o_id}/cancel`, { reason: '退款' }, makeUser({ staff: true }).token);
  await t0.app.services.payments.owed.drain();
  const unpaid = await buildOrder(c);
  await c.post(`/rest/order/${unpaid.o_id}/cancel`, { reason: '不问了' }, unpaid.buyer.token);
  // Text messages beside the system ones; the seller reads some of them.
  const chat = t0.app.services.chat;
  for (const content of ['你好', '在吗', '谢谢']) await chat.send({ userID: paid.buyer.userID, staff: false }, { o_id: paid.o_id, content });
  await chat.read({ userID: paid.expert.userID, staff: false }, { o_id: paid.o_id });
  await chat.send({ userID: paid.buyer.userID, staff: false }, { o_id: paid.o_id, content: '还有一个问题' });
  const payOf = async (o_id: string) => (await t0.app.store.payments.listByOrder(o_id))[0].pay_id;
  return { commented, timedOut, paid, refunded, unpaid, payOf };
}

for (const engine of mongoUri ? [sqlite, mongodb] : [sqlite]) {
  test(`${engine.name}: a store filled through the app is clean; each planted corruption is reported, and only it`, async (t) => {
    const { store, planter, env, cleanup } = await engine.open();
    t.teardown(cleanup);
    const t0 = await startApp({}, { store });
    let closed = false;
    t.teardown(async () => {
      if (!closed) await t0.close();
      await planter.close();
    });
    const o = await populate(t0);
    t.deepEqual((await checkInvariants(store)).violations, [], 'a clean store');
    const clean = spawnSync(process.execPath, ['--import', 'tsx', 'src/invariants/cli.ts'], { env: { ...process.env, ...env, LOG_LEVEL: 'silent' }, encoding: 'utf8' });
    t.is(clean.status, 0, clean.stderr);
    t.regex(clean.stdout, new RegExp(`^ok: ${engine.name} store consistent \\(\\d+ orders, `));

    await planter.deleteCredit(o.commented.o_id);
    await planter.addCredit(o.timedOut.o_id, o.timedOut.expert.userID, 800);
    await planter.addCredit(o.paid.o_id, o.paid.expert.userID, 500);
    await planter.setPaymentStatus(await o.payOf(o.commented.o_id), 'pending');
    await planter.addPaidPayment(o.paid.o_id);
    await planter.clearOrderRefund(o.refunded.o_id);
    await planter.setPaymentStatus(await o.payOf(o.refunded.o_id), 'paid');
    await planter.deleteMessage(o.commented.o_id, 2);
    await planter.addUnread(o.paid.o_id, o.paid.expert.userID, 3);
    await planter.setFinishCount(o.timedOut.topic_id, 7);

    const found = (await checkInvariants(store)).violations.map((v) => `${v.check} ${v.subject}`).sort();
    const member = `chat ${o.paid.o_id} member ${o.paid.expert.userID}`;
    t.deepEqual(
      found,
      [
        `credit order ${o.commented.o_id}`, // finished, credit deleted
        `wallet user ${o.commented.expert.userID}`,
        `credit order ${o.timedOut.o_id}`, // credited twice
        `wallet user ${o.timedOut.expert.userID}`,
        `credit order ${o.paid.o_id}`, // credited, not finished
        `wallet user ${o.paid.expert.userID}`,
        `payment order ${o.commented.o_id}`, // its payment no longer succeeded
        `payment order ${o.paid.o_id}`, // two succeeded payments
        `refund order ${o.refunded.o_id}`, // canceled after payment, money held, nothing owed
        `chat_seq chat ${o.commented.o_id}`, // a gap
        `unread ${member}`, // unread ≠ last_seq - read_seq
        `topic topic ${o.timedOut.topic_id}`,
      ].sort(),
    );

    await t0.close();
    closed = true;
    const dirty = spawnSync(process.execPath, ['--import', 'tsx', 'src/invariants/cli.ts'], { env: { ...process.env, ...env, LOG_LEVEL: 'silent' }, encoding: 'utf8' });
    t.is(dirty.status, 1);
    const lines = dirty.stdout.trim().split('\n');
    t.is(lines.length, found.length + 1);
    t.true(lines.some((l) => l.startsWith(`refund: order ${o.refunded.o_id}: canceled after payment`)), dirty.stdout);
    t.regex(lines.at(-1)!, new RegExp(`^${found.length} invariant violations in the ${engine.name} store`));
  });
}
