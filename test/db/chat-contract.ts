// The chat's part of the repository contract (see store-contract.ts): the same tests run
// against SQLite and, when TEST_MONGODB_URI is set, MongoDB.
import type { NewMessage } from '../../src/chat/chat.repo';
import type { ChatParties } from '../../src/chat/chat.types';
import type { SystemMessageDef } from '../../src/chat/system-messages.repo';
import type { Store } from '../../src/db/store';
import { newId } from '../../src/ids';
import type { Section } from './store-contract';

const parties = (): ChatParties => ({ o_id: newId(), buyer: newId(), seller: newId() });
const text = (from: string, to: string, content: string, client_id: string | null = null): NewMessage => ({
  msgid: newId(),
  from,
  to,
  type: 'text',
  content,
  client_id,
  createdAt: new Date(Date.UTC(2024, 0, 1, 0, 0, 0, 123)),
});
const system = (key: string): NewMessage => ({ ...text('0', '0', key), type: 'system' });

async function say(store: Store, p: ChatParties, who: 'buyer' | 'seller', content: string) {
  const [from, to] = who === 'buyer' ? [p.buyer, p.seller] : [p.seller, p.buyer];
  return (await store.chat.append(p, text(from, to, content))).message;
}

const chat: Section = (it) => {
  it('append takes the next seq, stores the message whole and moves the counters', async (t, store) => {
    const p = parties();
    const first = await store.chat.append(p, system('created'));
    t.is(first.message.seq, 1);
    t.false(first.duplicate);
    t.deepEqual(
      first.members.map((m) => [m.role, m.read_seq, m.last_seq, m.unread]),
      [
        ['buyer', 0, 1, 1],
        ['seller', 0, 1, 1],
      ],
    );
    const input = text(p.buyer, p.seller, '你好');
    const second = await store.chat.append(p, input);
    t.deepEqual(second.message, { ...input, o_id: p.o_id, seq: 2 });
    t.is(second.senderUnreadBefore, 1, 'the buyer had not read `created`');
    t.deepEqual(
      second.members.map((m) => [m.userID, m.read_seq, m.last_seq, m.unread]),
      [
        [p.buyer, 2, 2, 0],
        [p.seller, 0, 2, 2],
      ],
    );
    t.deepEqual(await store.chat.getMessage(p.o_id, input.msgid), second.message);
    t.deepEqual(await store.chat.getMessageAt(p.o_id, 2), second.message);
    t.is(await store.chat.getMessage(newId(), input.msgid), null, 'a message belongs to its order');
    t.is(await store.chat.getMessageAt(p.o_id, 3), null);
  });

  it('the same client_id from the same sender stores one message; null client_ids never collide', async (t, store) => {
    const p = parties();
    const a = await store.chat.append(p, text(p.buyer, p.seller, 'once', 'k1'));
    const again = await store.chat.append(p, text(p.buyer, p.seller, 'once more', 'k1'));
    t.true(again.duplicate);
    t.deepEqual(again.message, a.message);
    const other = await store.chat.append(p, text(p.seller, p.buyer, 'mine', 'k1'));
    t.false(other.duplicate);
    t.is(other.message.seq, 2);
    const n1 = await store.chat.append(p, text(p.buyer, p.seller, 'x'));
    const n2 = await store.chat.append(p, text(p.buyer, p.seller, 'x'));
    t.deepEqual([n1.duplicate, n2.duplicate, n1.message.seq, n2.message.seq], [false, false, 3, 4]);
    t.is((await store.chat.listPage(p.o_id, 0, 100)).total, 4);
  });

  it('an append reports each member’s unread total over all its chats', async (t, store) => {
    const buyer = newId();
    const a = { ...parties(), buyer };
    const b = { ...parties(), buyer };
    await say(store, a, 'seller', 'a1');
    await say(store, a, 'seller', 'a2');
    const r = await store.chat.append(b, text(b.seller, buyer, 'b1'));
    t.deepEqual(r.unreadTotals, { [buyer]: 3, [b.seller]: 0 });
    const reply = await store.chat.append(a, text(buyer, a.seller, 'thanks'));
    t.deepEqual(reply.unreadTotals, { [buyer]: 1, [a.seller]: 1 }, 'sending read the buyer’s two in this chat; b1 is still unread');
    const again = await store.chat.append(a, text(buyer, a.seller, 'thanks', null));
    t.is(again.unreadTotals[a.seller], 2);
  });

  it('concurrent appends to one order take distinct seqs', async (t, store) => {
    const p = parties();
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => store.chat.append(p, text(i % 2 ? p.buyer : p.seller, i % 2 ? p.seller : p.buyer, `m${i}`))));
    t.deepEqual(
      results.map((r) => r.message.seq).sort((a, b) => a - b),
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
    const members = await store.chat.listMembers(p.o_id);
    t.true(members.every((m) => m.last_seq === 20 && m.unread === m.last_seq - m.read_seq));
  });

  it('history pages by seq, oldest first', async (t, store) => {
    const p = parties();
    for (let i = 1; i <= 6; i++) await say(store, p, 'buyer', `m${i}`);
    const seqs = (list: { seq: number }[]) => list.map((m) => m.seq);
    t.deepEqual(seqs(await store.chat.history(p.o_id, { limit: 3 })), [4, 5, 6]);
    t.deepEqual(seqs(await store.chat.history(p.o_id, { before: 4, limit: 2 })), [2, 3]);
    t.deepEqual(seqs(await store.chat.history(p.o_id, { after: 2, limit: 3 })), [3, 4, 5]);
    t.deepEqual(seqs(await store.chat.history(p.o_id, { after: 6, limit: 3 })), []);
    t.deepEqual(await store.chat.history(newId(), { limit: 3 }), []);
    const page = await store.chat.listPage(p.o_id, 4, 10);
    t.deepEqual([seqs(page.list), page.total], [[5, 6], 6]);
  });

  it('a read cursor only moves forward and never past the last message', async (t, store) => {
    const p = parties();
    for (let i = 1; i <= 4; i++) await say(store, p, 'seller', `m${i}`);
    const r1 = await store.chat.markRead(p.o_id, p.buyer, 2);
    t.true(r1.moved);
    t.like(r1.member, { userID: p.buyer, role: 'buyer', read_seq: 2, last_seq: 4, unread: 2 });
    const back = await store.chat.markRead(p.o_id, p.buyer, 1);
    t.false(back.moved);
    t.like(back.member, { read_seq: 2, unread: 2 });
    const all = await store.chat.markRead(p.o_id, p.buyer, Number.MAX_SAFE_INTEGER);
    t.like(all, { moved: true, member: { read_seq: 4, unread: 0 } });
    t.deepEqual(await store.chat.markRead(p.o_id, newId(), 4), { member: null, moved: false });
  });

  it('unreadMembers lists at most `limit` of a user’s chats with something unread, oldest first unread message first', async (t, store) => {
    const buyer = newId();
    const at = (minute: number) => new Date(Date.UTC(2024, 0, 1, 0, minute));
    const sayAt = (p: ChatParties, content: string, minute: number) => store.chat.append(p, { ...text(p.seller, p.buyer, content), createdAt: at(minute) });
    // o_ids ascending in creation order; the first unread messages come in another order.
    const [a, b, c, readAll, readFirst] = [parties(), parties(), parties(), parties(), parties()].map((p) => ({ ...p, buyer }));
    await sayAt(readFirst, 'old, read', 0);
    await sayAt(b, 'b1', 1);
    await sayAt(a, 'a1', 2);
    await sayAt(b, 'b2', 3);
    await sayAt(c, 'c1', 4);
    await sayAt(readAll, 'read', 5);
    await sayAt(readFirst, 'new, unread', 6);
    await store.chat.markRead(readAll.o_id, buyer, 1);
    await store.chat.markRead(readFirst.o_id, buyer, 1);
    const listed = async (limit: number) => (await store.chat.unreadMembers(buyer, limit)).map((m) => [m.o_id, m.unread]);
    t.deepEqual(await listed(10), [
      [b.o_id, 2],
      [a.o_id, 1],
      [c.o_id, 1],
      [readFirst.o_id, 1],
    ]);
    t.deepEqual(await listed(2), [
      [b.o_id, 2],
      [a.o_id, 1],
    ]);
    t.deepEqual(await store.chat.unreadMembers(newId(), 10), []);
  });

  it('unreadCounts lists a user’s chats with something unread, newest order first', async (t, store) => {
    const buyer = newId();
    const [older, newer, read] = [parties(), parties(), parties()].map((p) => ({ ...p, buyer }));
    await say(store, older, 'seller', 'a');
    await say(store, newer, 'seller', 'b');
    await say(store, newer, 'seller', 'c');
    await say(store, read, 'seller', 'd');
    await store.chat.markRead(read.o_id, buyer, 1);
    t.deepEqual(await store.chat.unreadCounts(buyer), [
      { o_id: newer.o_id, unread: 2 },
      { o_id: older.o_id, unread: 1 },
    ]);
    t.deepEqual(await store.chat.unreadCounts(newId()), []);
  });

  it('appends made at once by both parties of several chats each take their own next seq and move the counters', async (t, store) => {
    const chats = [parties(), parties(), parties()];
    // Sent in one turn: on the embedded store these share one transaction. Which of them takes
    // which seq is the store's race to settle (the chat service queues a socket's messages, so
    // they keep their order); each chat's seqs are 1..3 all the same, none shared, none skipped.
    const sent = await Promise.all(chats.map((p) => Promise.all([say(store, p, 'buyer', 'q'), say(store, p, 'seller', 'a'), say(store, p, 'buyer', 'q2')])));
    for (const [i, p] of chats.entries()) {
      const [q, a, q2] = sent[i].map((m) => m.seq);
      t.deepEqual([q, a, q2].sort(), [1, 2, 3]);
      const buyerRead = Math.max(q, q2);
      t.deepEqual(
        (await store.chat.listMembers(p.o_id)).map((m) => [m.role, m.read_seq, m.last_seq, m.unread]),
        [
          ['buyer', buyerRead, 3, 3 - buyerRead],
          ['seller', a, 3, 3 - a],
        ],
      );
    }
  });
};

const def = (over: Partial<SystemMessageDef> = {}): SystemMessageDef => ({
  id: newId(),
  key: 'created',
  buyer: '买家',
  seller: '卖家',
  admin: '客服',
  ctime: 1000,
  utime: 1000,
  dtime: 0,
  ...over,
});

const systemMessages: Section = (it) => {
  it('one live definition per key; a deleted one is hidden and frees its key', async (t, store) => {
    const repo = store.systemMessages;
    const a = def();
    t.deepEqual(await repo.create(a), { ok: true, def: a });
    t.deepEqual(await repo.create(def()), { ok: false, reason: 'duplicate' });
    t.deepEqual(await repo.get(a.id), a);
    t.deepEqual(await repo.listLive(['created', 'nope']), [a]);

    const b = def({ key: 'paid' });
    await repo.create(b);
    t.deepEqual(await repo.update(b.id, { key: 'created' }, 2000), { ok: false, reason: 'duplicate' });
    t.deepEqual(await repo.update(b.id, { buyer: '新' }, 2000), { ok: true, def: { ...b, buyer: '新', utime: 2000 } });
    t.deepEqual(await repo.update(newId(), { buyer: 'x' }, 2000), { ok: false, reason: 'missing' });
    t.deepEqual(await repo.list(0, 10), { list: [a, { ...b, buyer: '新', utime: 2000 }], total: 2 });
    t.deepEqual(await repo.list(1, 1), { list: [{ ...b, buyer: '新', utime: 2000 }], total: 2 });

    t.true(await repo.softDelete(a.id, 3000));
    t.false(await repo.softDelete(a.id, 4000));
    t.is(await repo.get(a.id), null);
    t.deepEqual(await repo.listLive(['created']), []);
    t.is((await repo.list(0, 10)).total, 1);
    t.deepEqual(await repo.update(a.id, { buyer: 'x' }, 5000), { ok: false, reason: 'missing' });
    const again = def();
    t.true((await repo.create(again)).ok, 'the key is free again');
  });

  it('insertIfKeyAbsent inserts a key never defined, not a deleted one', async (t, store) => {
    const repo = store.systemMessages;
    t.true(await repo.insertIfKeyAbsent(def({ key: 'paid' })));
    t.false(await repo.insertIfKeyAbsent(def({ key: 'paid' })));
    const gone = def({ key: 'settled' });
    await repo.create(gone);
    await repo.softDelete(gone.id, 10);
    t.false(await repo.insertIfKeyAbsent(def({ key: 'settled' })));
    t.deepEqual(await repo.listLive(['settled']), []);
  });
};

export const CHAT_SECTIONS: Record<string, Section> = { chat, systemMessages };
