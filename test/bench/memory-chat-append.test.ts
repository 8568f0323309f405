// `npm run bench -- --store-free-chat` replaces the chat store's append with one kept in
// memory, to measure what our server would sustain if storing a message cost nothing. That
// bound only holds if the server is handed the same answers, and so does the same work
// (the same pushes, the same unread numbers): the memory append must answer every append
// as the SQLite store does.
import test from 'ava';
import type { AppendResult, ChatRepo } from '../../src/chat/chat.repo';
import { SqliteChatRepo } from '../../src/chat/chat.sqlite';
import type { ChatParties } from '../../src/chat/chat.types';
import { openSqlite } from '../../src/db/sqlite';
import { newId } from '../../src/ids';
import { withMemoryAppend } from '../../bench/servers/memory-chat-append';

/** What the server reads of an append's answer, in a form two stores can be compared by. */
const answer = (r: AppendResult) => ({
  seq: r.message.seq,
  msgid: r.message.msgid,
  content: r.message.content,
  duplicate: r.duplicate,
  senderUnreadBefore: r.senderUnreadBefore,
  members: [...r.members].sort((a, b) => a.userID.localeCompare(b.userID)),
  unreadTotals: r.unreadTotals,
});

test('the memory append answers a conversation, across two chats and with a resend, as the SQLite store does', async (t) => {
  const buyer = newId();
  const rooms: ChatParties[] = [
    { o_id: newId(), buyer, seller: newId() },
    { o_id: newId(), buyer, seller: newId() },
  ];
  // [room, sender is the buyer, client_id]: runs of one side, replies that read them, the
  // buyer's unread total spread over both chats, and a resend of an earlier client_id.
  const script: [number, boolean, string | null][] = [
    [0, true, 'a'],
    [0, false, 'b'],
    [0, false, 'c'],
    [1, false, 'd'],
    [0, true, 'e'],
    [1, false, null],
    [0, false, 'b'],
    [1, true, 'f'],
    [0, true, 'g'],
  ];
  const run = async (repo: ChatRepo) => {
    const out: ReturnType<typeof answer>[] = [];
    for (const [i, fromBuyer, client_id] of script) {
      const p = rooms[i];
      const from = fromBuyer ? p.buyer : p.seller;
      // The same msgid on both sides, so the answers compare whole.
      const msgid = `${i}-${fromBuyer}-${client_id}-${out.length}`;
      out.push(answer(await repo.append(p, { msgid, from, to: fromBuyer ? p.seller : p.buyer, type: 'text', content: `m${out.length}`, client_id, createdAt: new Date(0) })));
    }
    return out;
  };

  const stored = await run(new SqliteChatRepo(openSqlite(':memory:')));
  const inMemory = await run(withMemoryAppend(new SqliteChatRepo(openSqlite(':memory:'))));

  t.deepEqual(inMemory, stored);
  // The script exercises what it claims to: a duplicate answered with the original, and a
  // reply that read two messages.
  t.true(stored[6].duplicate);
  t.is(stored[6].msgid, stored[1].msgid);
  t.is(stored[4].senderUnreadBefore, 2);
  t.is(stored[8].unreadTotals[buyer], 0);
});

test('the memory append leaves every other read to the store it wraps', async (t) => {
  const repo = new SqliteChatRepo(openSqlite(':memory:'));
  const wrapped = withMemoryAppend(repo);
  t.is(wrapped.history, repo.history);
  t.is(wrapped.unreadCounts, repo.unreadCounts);
  t.not(wrapped.append, repo.append);
  const p = { o_id: newId(), buyer: newId(), seller: newId() };
  await wrapped.append(p, { msgid: newId(), from: p.buyer, to: p.seller, type: 'text', content: 'x', client_id: null, createdAt: new Date(0) });
  // Nothing reached the store.
  t.deepEqual(await repo.history(p.o_id, { limit: 10 }), []);
});
