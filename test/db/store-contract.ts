// The repository contract, engine-independent: `storeContract(engine, factory)` registers
// the same ava tests for any Store. sqlite.test.ts and mongo.test.ts run it. Each test gets
// a fresh, empty store from the factory.
//
// To cover another repository, add a section to SECTIONS (a function that registers its
// tests through `it`) — both engines pick it up.
import test, { type ExecutionContext } from 'ava';
import type { Store } from '../../src/db/store';
import { CHAT_SECTIONS } from './chat-contract';
import { MONEY_SECTIONS } from './money-contract';
import { newId } from '../../src/ids';
import type { Order } from '../../src/orders/order.types';
import type { Topic } from '../../src/topics/topic.types';
import type { UserProfile } from '../../src/users/user.types';
import type { LedgerEntry } from '../../src/wallet/ledger.types';

export interface StoreHarness {
  store: Store;
  /** closes the store and removes what it wrote */
  cleanup(): Promise<void>;
}
export type StoreFactory = () => Promise<StoreHarness>;

/** Registers one test: `fresh()` hands it a new empty store, closed when the test ends. */
export type It = (title: string, fn: (t: ExecutionContext, store: Store) => Promise<void>) => void;
export type Section = (it: It) => void;

export function storeContract(engine: string, factory: StoreFactory, sections: Record<string, Section> = SECTIONS) {
  for (const [name, section] of Object.entries(sections)) {
    const it: It = (title, fn) =>
      test(`${engine} › ${name} › ${title}`, async (t) => {
        const h = await factory();
        t.teardown(() => h.cleanup());
        await fn(t, h.store);
      });
    section(it);
  }
}

// ---------------------------------------------------------------------------------------
// Builders: whole records with every field set, dates at millisecond precision (both
// engines keep milliseconds).

const at = (ms: number) => new Date(Date.UTC(2024, 0, 1) + ms);

export function aUser(over: Partial<UserProfile> = {}): UserProfile {
  return { userID: newId(), nick: 'nick', name: 'name', avatar: 'a.png', title: 'title', phone: '+8613800000000', updatedAt: at(1), ...over };
}

export function aTopic(over: Partial<Topic> = {}): Topic {
  return { topic_id: newId(), expert_id: newId(), title: '话题', category: '留学', price: 1000, finish_count: 0, rating_sum: 0, rating_count: 0, createdAt: at(2), ...over };
}

export function anOrder(over: Partial<Order> = {}): Order {
  const createdAt = over.createdAt ?? at(3);
  return {
    o_id: newId(),
    userID: newId(),
    expert_id: newId(),
    topic_id: newId(),
    question: '问题',
    self_desc: '描述',
    status: 'pending',
    price: 1000,
    type: 'phone',
    comment: '',
    rating: 0,
    called: false,
    createdAt,
    updatedAt: createdAt,
    statusAt: createdAt,
    confirmAt: null,
    rejectAt: null,
    payAt: null,
    finishAt: null,
    completeAt: null,
    cancelAt: null,
    commentAt: null,
    settledAt: null,
    refund: null,
    reason: '',
    canceledBy: null,
    appeal: null,
    client: '1.2.3.4',
    platform: 'android',
    channel: 'TencentAPP',
    ...over,
  };
}

export function anEntry(over: Partial<LedgerEntry> = {}): LedgerEntry {
  const o_id = newId();
  return { id: newId(), userID: newId(), key: `settle:${o_id}`, o_id, amount: 500, kind: 'settle', createdAt: at(4), ...over };
}

const sortBy = <T>(rows: T[], key: keyof T) => [...rows].sort((a, b) => String(a[key]).localeCompare(String(b[key])));
const ids = (orders: { o_id: string }[]) => orders.map((o) => o.o_id);

// ---------------------------------------------------------------------------------------

const users: Section = (it) => {
  it('upsert inserts, get reads back every field', async (t, s) => {
    const u = aUser();
    await s.users.upsert(u);
    t.deepEqual(await s.users.get(u.userID), u);
  });
  it('upsert again replaces the profile', async (t, s) => {
    const u = aUser();
    await s.users.upsert(u);
    const v = { ...u, nick: 'new', name: '', avatar: '', title: 't2', phone: '', updatedAt: at(99) };
    await s.users.upsert(v);
    t.deepEqual(await s.users.get(u.userID), v);
  });
  it('get of an unknown user is null', async (t, s) => {
    t.is(await s.users.get(newId()), null);
  });
  it('getBriefs returns the listed fields of the existing ones, never the phone', async (t, s) => {
    const [a, b] = [aUser(), aUser()];
    await s.users.upsert(a);
    await s.users.upsert(b);
    const brief = ({ userID, nick, name, avatar, title }: typeof a) => ({ userID, nick, name, avatar, title });
    t.deepEqual(sortBy(await s.users.getBriefs([a.userID, newId(), b.userID]), 'userID'), sortBy([brief(a), brief(b)], 'userID'));
    t.deepEqual(await s.users.getBriefs([]), []);
  });
};

const topics: Section = (it) => {
  it('insert, get reads back every field', async (t, s) => {
    const x = aTopic();
    await s.topics.insert(x);
    t.deepEqual(await s.topics.get(x.topic_id), x);
    t.is(await s.topics.get(newId()), null);
  });
  it('getBriefs returns the listed fields of the existing ones', async (t, s) => {
    const [a, b] = [aTopic(), aTopic()];
    await s.topics.insert(a);
    await s.topics.insert(b);
    const brief = ({ topic_id, title, category, finish_count }: typeof a) => ({ topic_id, title, category, finish_count });
    t.deepEqual(sortBy(await s.topics.getBriefs([b.topic_id, a.topic_id, newId()]), 'topic_id'), sortBy([brief(a), brief(b)], 'topic_id'));
    t.deepEqual(await s.topics.getBriefs([]), []);
  });
};

const orders: Section = (it) => {
  it('insert, get reads back every field', async (t, s) => {
    const plain = anOrder();
    const full = anOrder({
      status: 'finished',
      called: true,
      rating: 4,
      comment: '好',
      confirmAt: at(10),
      payAt: at(11),
      finishAt: at(12),
      completeAt: at(13),
      commentAt: at(13),
      settledAt: at(14),
      reason: 'r',
      canceledBy: null,
      appeal: { by: 'buyer', userID: newId(), reason: '投诉', at: at(15) },
    });
    await s.orders.insert(plain);
    await s.orders.insert(full);
    t.deepEqual(await s.orders.get(plain.o_id), plain);
    t.deepEqual(await s.orders.get(full.o_id), full);
    t.is(await s.orders.get(newId()), null);
  });

  it('getParties: the parties and the current status, nothing else', async (t, s) => {
    const o = anOrder({ status: 'paid' });
    await s.orders.insert(o);
    t.deepEqual(await s.orders.getParties(o.o_id), { o_id: o.o_id, userID: o.userID, expert_id: o.expert_id, status: 'paid' });
    await s.orders.transition(o.o_id, ['paid'], 'toBeFinished', null, new Date(), {});
    t.is((await s.orders.getParties(o.o_id))?.status, 'toBeFinished');
    t.is(await s.orders.getParties(newId()), null);
  });


  it('list: by buyer or by expert, filtered by status, newest first, paged', async (t, s) => {
    const buyer = newId();
    const expert = newId();
    const statuses = ['pending', 'confirmed', 'canceled', 'paid', 'finished'] as const;
    // Created in this order, one millisecond apart, except the last two which share one.
    const mine = statuses.map((status, i) => anOrder({ userID: buyer, expert_id: expert, status, createdAt: at(100 + Math.min(i, 3)) }));
    for (const o of mine) await s.orders.insert(o);
    await s.orders.insert(anOrder({ status: 'pending' })); // someone else's
    const newestFirst = [...mine].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.o_id.localeCompare(a.o_id));
    const all = [...statuses];
    t.deepEqual(ids(await s.orders.list({ userID: buyer, statuses: all, skip: 0, limit: 10 })), ids(newestFirst));
    t.deepEqual(ids(await s.orders.list({ expert_id: expert, statuses: all, skip: 0, limit: 10 })), ids(newestFirst));
    t.deepEqual(ids(await s.orders.list({ userID: buyer, statuses: ['pending', 'paid'], skip: 0, limit: 10 })), ids(newestFirst.filter((o) => o.status === 'pending' || o.status === 'paid')));
    t.deepEqual(ids(await s.orders.list({ userID: buyer, statuses: all, skip: 1, limit: 2 })), ids(newestFirst.slice(1, 3)));
    t.deepEqual(ids(await s.orders.list({ userID: buyer, statuses: all, skip: 5, limit: 2 })), []);
    t.deepEqual(await s.orders.list({ userID: buyer, statuses: [], skip: 0, limit: 10 }), []);
    t.deepEqual(await s.orders.list({ userID: newId(), statuses: all, skip: 0, limit: 10 }), []);
    // Each item carries exactly the fields the lists show (no topic or profile stored here: null embeds).
    const [first] = await s.orders.list({ userID: buyer, statuses: all, skip: 0, limit: 1 });
    const o = newestFirst[0];
    t.deepEqual(first, { o_id: o.o_id, userID: o.userID, expert_id: o.expert_id, topic_id: o.topic_id, status: o.status, rating: o.rating, createdAt: o.createdAt, topic: null, party: null });
  });

  it('list: embeds the topic and the other party (the expert for a buyer, the buyer for an expert), briefs only', async (t, s) => {
    const [buyer, expert, otherExpert] = [aUser({ nick: 'buyer' }), aUser({ nick: 'expert', title: '教授' }), aUser()];
    const topic = aTopic({ expert_id: expert.userID, title: '选校', finish_count: 7 });
    for (const u of [buyer, expert, otherExpert]) await s.users.upsert(u);
    await s.topics.insert(topic);
    const withTopic = anOrder({ userID: buyer.userID, expert_id: expert.userID, topic_id: topic.topic_id, createdAt: at(200) });
    // Neither its topic nor its expert is stored: the embeds are null, the order is still listed.
    const orphan = anOrder({ userID: buyer.userID, createdAt: at(100) });
    await s.orders.insert(withTopic);
    await s.orders.insert(orphan);
    const topicBrief = { topic_id: topic.topic_id, title: '选校', category: topic.category, finish_count: 7 };
    const profile = (u: typeof buyer) => ({ userID: u.userID, nick: u.nick, name: u.name, avatar: u.avatar, title: u.title });
    const mine = await s.orders.list({ userID: buyer.userID, statuses: ['pending'], skip: 0, limit: 10 });
    t.deepEqual(mine.map((o) => o.o_id), [withTopic.o_id, orphan.o_id]);
    t.deepEqual([mine[0].topic, mine[0].party], [topicBrief, profile(expert)]);
    t.deepEqual([mine[1].topic, mine[1].party], [null, null]);
    const theirs = await s.orders.list({ expert_id: expert.userID, statuses: ['pending'], skip: 0, limit: 10 });
    t.deepEqual(theirs.map((o) => [o.o_id, o.topic, o.party]), [[withTopic.o_id, topicBrief, profile(buyer)]]);
    // Paging past the first row keeps each row with its own embeds.
    const second = await s.orders.list({ userID: buyer.userID, statuses: ['pending'], skip: 1, limit: 1 });
    t.deepEqual(second.map((o) => [o.o_id, o.topic, o.party]), [[orphan.o_id, null, null]]);
  });

  it('listComments: only commented orders of the topic or expert, newest comment first', async (t, s) => {
    const topic_id = newId();
    const expert_id = newId();
    const a = anOrder({ topic_id, expert_id, status: 'finished', commentAt: at(200), comment: 'a', rating: 5 });
    const b = anOrder({ topic_id, expert_id, status: 'finished', commentAt: at(300), comment: 'b', rating: 4 });
    const c = anOrder({ topic_id: newId(), expert_id, status: 'finished', commentAt: at(250), comment: 'c', rating: 3 });
    const uncommented = anOrder({ topic_id, expert_id, status: 'finished' });
    for (const o of [a, b, c, uncommented]) await s.orders.insert(o);
    t.deepEqual(ids(await s.orders.listComments({ topic_id, skip: 0, limit: 10 })), [b.o_id, a.o_id]);
    t.deepEqual(ids(await s.orders.listComments({ expert_id, skip: 0, limit: 10 })), [b.o_id, c.o_id, a.o_id]);
    t.deepEqual(ids(await s.orders.listComments({ expert_id, skip: 1, limit: 1 })), [c.o_id]);
    t.deepEqual(await s.orders.listComments({ topic_id: newId(), skip: 0, limit: 10 }), []);
  });

  it('adminList: every order newest first with the total; status and appealed filters', async (t, s) => {
    const appealed = anOrder({ status: 'paid', createdAt: at(500), appeal: { by: 'seller', userID: newId(), reason: 'r', at: at(501) } });
    const pending = anOrder({ status: 'pending', createdAt: at(400) });
    const canceled = anOrder({ status: 'canceled', createdAt: at(300) });
    for (const o of [pending, appealed, canceled]) await s.orders.insert(o);
    t.deepEqual(await s.orders.adminList({ skip: 0, limit: 10 }), { list: [appealed, pending, canceled], total: 3 });
    const page = await s.orders.adminList({ skip: 1, limit: 1 });
    t.deepEqual([ids(page.list), page.total], [[pending.o_id], 3]);
    t.deepEqual(ids((await s.orders.adminList({ statuses: ['canceled', 'paid'], skip: 0, limit: 10 })).list), [appealed.o_id, canceled.o_id]);
    t.deepEqual(await s.orders.adminList({ appealed: true, skip: 0, limit: 10 }), { list: [appealed], total: 1 });
    t.is((await s.orders.adminList({ appealed: false, skip: 0, limit: 10 })).total, 2);
    t.is((await s.orders.adminList({ statuses: [], skip: 0, limit: 10 })).total, 3);
  });

  it('transition: sets the status, stamps the time field, applies the patch', async (t, s) => {
    const o = anOrder({ status: 'toBeFinished' });
    await s.orders.insert(o);
    const now = at(1000);
    const res = await s.orders.transition(o.o_id, ['toBeFinished'], 'finished', 'completeAt', now, { comment: '好', rating: 5, commentAt: now });
    const want: Order = { ...o, status: 'finished', statusAt: now, updatedAt: now, completeAt: now, comment: '好', rating: 5, commentAt: now };
    t.deepEqual(res, { order: want, current: null });
    t.deepEqual(await s.orders.get(o.o_id), want);
  });

  it('transition: the appeal patch is stored and filterable', async (t, s) => {
    const o = anOrder({ status: 'paid' });
    await s.orders.insert(o);
    const appeal = { by: 'buyer' as const, userID: o.userID, reason: 'r', at: at(7) };
    const res = await s.orders.transition(o.o_id, ['paid'], 'paid', null, at(8), { appeal });
    t.deepEqual(res.order?.appeal, appeal);
    t.deepEqual(ids((await s.orders.adminList({ appealed: true, skip: 0, limit: 10 })).list), [o.o_id]);
  });

  it('transition from a status the order is not in changes nothing and returns the current order', async (t, s) => {
    const o = anOrder({ status: 'canceled' });
    await s.orders.insert(o);
    t.deepEqual(await s.orders.transition(o.o_id, ['pending', 'confirmed'], 'confirmed', 'confirmAt', at(9), { reason: 'x' }), { order: null, current: o });
    t.deepEqual(await s.orders.get(o.o_id), o);
    t.deepEqual(await s.orders.transition(newId(), ['pending'], 'confirmed', 'confirmAt', at(9), {}), { order: null, current: null });
  });

  it('transition race: of twenty at once, exactly one wins', async (t, s) => {
    const o = anOrder({ status: 'pending' });
    await s.orders.insert(o);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        i % 2
          ? s.orders.transition(o.o_id, ['pending'], 'rejected', 'rejectAt', at(10 + i), { reason: `r${i}` })
          : s.orders.transition(o.o_id, ['pending', 'confirmed'], 'canceled', 'cancelAt', at(10 + i), { reason: `c${i}`, canceledBy: 'buyer' }),
      ),
    );
    const winners = results.filter((r) => r.order);
    t.is(winners.length, 1);
    const stored = await s.orders.get(o.o_id);
    t.deepEqual(stored, winners[0].order);
    for (const r of results) if (!r.order) t.is(r.current?.status, stored!.status);
  });

  it('update: only while the status is listed and the conditions hold', async (t, s) => {
    const o = anOrder({ status: 'paid' });
    await s.orders.insert(o);
    t.is(await s.orders.update(o.o_id, ['pending'], { called: true }), null);
    // @ts-expect-error the status changes only through transition()
    t.is(await s.orders.update(o.o_id, ['pending'], { status: 'finished' }), null);
    t.deepEqual(await s.orders.get(o.o_id), o);
    const called = await s.orders.update(o.o_id, ['paid'], { called: true, updatedAt: at(20) }, { called: false });
    t.deepEqual(called, { ...o, called: true, updatedAt: at(20) });
    t.is(await s.orders.update(o.o_id, ['paid'], { called: true, updatedAt: at(21) }, { called: false }), null);

    const appeal = { by: 'seller' as const, userID: o.expert_id, reason: 'r', at: at(22) };
    t.deepEqual((await s.orders.update(o.o_id, ['paid'], { appeal }, { appealOpen: false }))?.appeal, appeal);
    t.is(await s.orders.update(o.o_id, ['paid'], { appeal }, { appealOpen: false }), null);
    t.is((await s.orders.update(o.o_id, ['paid'], { appeal: null }, { appealOpen: true }))?.appeal, null);
    t.is(await s.orders.update(newId(), ['paid'], { called: true }), null);
  });

  it('update race: of twenty conditional updates at once, exactly one wins', async (t, s) => {
    const o = anOrder({ status: 'paid' });
    await s.orders.insert(o);
    const results = await Promise.all(Array.from({ length: 20 }, () => s.orders.update(o.o_id, ['paid'], { called: true }, { called: false })));
    t.is(results.filter(Boolean).length, 1);
  });

  it('listDue: in the status, statusAt before the cut, no open appeal, oldest first, limited', async (t, s) => {
    const due1 = anOrder({ status: 'pending', statusAt: at(10) });
    const due2 = anOrder({ status: 'pending', statusAt: at(20) });
    const due3 = anOrder({ status: 'pending', statusAt: at(30) });
    const notYet = anOrder({ status: 'pending', statusAt: at(100) });
    const otherStatus = anOrder({ status: 'confirmed', statusAt: at(10) });
    const appealed = anOrder({ status: 'pending', statusAt: at(5), appeal: { by: 'buyer', userID: newId(), reason: 'r', at: at(6) } });
    for (const o of [due2, notYet, due1, otherStatus, appealed, due3]) await s.orders.insert(o);
    t.deepEqual(ids(await s.orders.listDue('pending', at(100), 10)), [due1.o_id, due2.o_id, due3.o_id]);
    t.deepEqual(ids(await s.orders.listDue('pending', at(100), 2)), [due1.o_id, due2.o_id]);
    t.deepEqual(ids(await s.orders.listDue('confirmed', at(11), 10)), [otherStatus.o_id]);
    t.deepEqual(await s.orders.listDue('paid', at(1000), 10), []);
  });

  it('listRefundOwed: orders owing a refund, by o_id after a cursor; the mark moves on by a conditional update', async (t, s) => {
    const owing = [anOrder({ status: 'canceled', refund: 'owed' }), anOrder({ status: 'canceled', refund: 'owed' }), anOrder({ status: 'canceled', refund: 'owed' })];
    const others = [anOrder({ status: 'canceled', refund: 'refunded' }), anOrder({ status: 'canceled' }), anOrder({ status: 'paid' })];
    for (const o of [...owing, ...others]) await s.orders.insert(o);
    const sorted = ids(owing).sort();
    t.deepEqual(ids(await s.orders.listRefundOwed(10)), sorted);
    t.deepEqual(ids(await s.orders.listRefundOwed(2)), sorted.slice(0, 2));
    t.deepEqual(ids(await s.orders.listRefundOwed(10, sorted[1])), sorted.slice(2));
    t.is(await s.orders.update(others[0].o_id, ['canceled'], { refund: 'refunded' }, { refund: 'owed' }), null, 'only an owing order');
    t.like(await s.orders.update(sorted[0], ['canceled'], { refund: 'refunded' }, { refund: 'owed' }), { o_id: sorted[0], refund: 'refunded' });
    t.deepEqual(ids(await s.orders.listRefundOwed(10)), sorted.slice(1));
  });

  it('transition: the refund a paid order’s cancel owes is written with the status', async (t, s) => {
    const o = anOrder({ status: 'paid' });
    await s.orders.insert(o);
    const r = await s.orders.transition(o.o_id, ['paid', 'toBeFinished'], 'canceled', 'cancelAt', at(20), { canceledBy: 'admin', refund: 'owed' });
    t.like(r.order, { status: 'canceled', refund: 'owed', cancelAt: at(20) });
    t.deepEqual(await s.orders.get(o.o_id), r.order);
  });

  it('listUnsettled: finished orders without settledAt; markSettled stamps it once', async (t, s) => {
    const unsettled = anOrder({ status: 'finished' });
    const settled = anOrder({ status: 'finished', settledAt: at(5) });
    const notFinished = anOrder({ status: 'toBeFinished' });
    for (const o of [unsettled, settled, notFinished]) await s.orders.insert(o);
    t.deepEqual(ids(await s.orders.listUnsettled(10)), [unsettled.o_id]);
    t.like(await s.orders.markSettled(unsettled.o_id, at(6)), { o_id: unsettled.o_id, settledAt: at(6) });
    t.is(await s.orders.markSettled(unsettled.o_id, at(7)), null, 'settled once');
    t.is(await s.orders.markSettled(notFinished.o_id, at(7)), null, 'only a finished order');
    t.deepEqual(await s.orders.listUnsettled(10), []);
    for (let i = 0; i < 3; i++) await s.orders.insert(anOrder({ status: 'finished' }));
    t.is((await s.orders.listUnsettled(2)).length, 2);
  });
};

const ledger: Section = (it) => {
  it('credit once per key', async (t, s) => {
    const e = anEntry();
    t.true(await s.ledger.credit(e));
    t.false(await s.ledger.credit({ ...e, id: newId(), amount: 999 }));
    t.deepEqual(await s.ledger.list(e.userID, 0, 10), [e]);
    t.is(await s.ledger.balance(e.userID), 500);
  });

  it('credit race: of twenty credits of one key at once, exactly one lands', async (t, s) => {
    const userID = newId();
    const results = await Promise.all(Array.from({ length: 20 }, () => s.ledger.credit(anEntry({ userID, key: 'settle:same', amount: 700 }))));
    t.is(results.filter(Boolean).length, 1);
    t.is(await s.ledger.balance(userID), 700);
    t.is((await s.ledger.list(userID, 0, 100)).length, 1);
  });

  it('balance sums a user’s entries, refunds and adjustments included', async (t, s) => {
    const userID = newId();
    await s.ledger.credit(anEntry({ userID, amount: 1000 }));
    await s.ledger.credit(anEntry({ userID, amount: 250 }));
    await s.ledger.credit(anEntry({ userID, amount: -100, kind: 'adjust', key: `adjust:${newId()}`, o_id: null }));
    await s.ledger.credit(anEntry({ amount: 5000 })); // someone else
    t.is(await s.ledger.balance(userID), 1150);
    t.is(await s.ledger.balance(newId()), 0);
  });

  it('list: a user’s entries newest first, paged', async (t, s) => {
    const userID = newId();
    const entries = [anEntry({ userID, createdAt: at(1) }), anEntry({ userID, createdAt: at(3) }), anEntry({ userID, createdAt: at(2) })];
    for (const e of entries) await s.ledger.credit(e);
    await s.ledger.credit(anEntry());
    t.deepEqual(await s.ledger.list(userID, 0, 10), [entries[1], entries[2], entries[0]]);
    t.deepEqual(await s.ledger.list(userID, 1, 1), [entries[2]]);
    t.deepEqual(await s.ledger.list(newId(), 0, 10), []);
  });
};

export const SECTIONS: Record<string, Section> = { users, topics, orders, ledger, ...CHAT_SECTIONS, ...MONEY_SECTIONS };
