// An upper bound, not our server: `ChatRepo.append` answered from memory, so a chat message
// costs our server everything but storing it (`npm run bench -- --only chat
// --store-free-chat`). It answers what the store's append answers (the order's next seq, both
// parties' counters and unread totals, a resend of a client_id as a duplicate) and nothing
// more: nothing kept past the process, and every other read (history,
// unread numbers) still goes to the real store, which never sees these messages. It only
// remembers the last 10,000 messages' client_ids, so its memory stays bounded as a store's
// would.
import type { AppendResult, ChatRepo, NewMessage } from '../../src/chat/chat.repo';
import type { ChatMember, ChatMessage, ChatParties } from '../../src/chat/chat.types';
import { BoundedMap } from '../../src/bounded-map';

export function withMemoryAppend(repo: ChatRepo): ChatRepo {
  const members = new Map<string, ChatMember[]>();
  const sent = new BoundedMap<ChatMessage>(10_000);
  const totals = new Map<string, number>();

  const append = async (p: ChatParties, m: NewMessage): Promise<AppendResult> => {
    const key = m.client_id === null ? undefined : `${p.o_id} ${m.from} ${m.client_id}`;
    const prior = key === undefined ? undefined : sent.get(key);
    let room = members.get(p.o_id);
    if (!room) {
      room = [
        { o_id: p.o_id, userID: p.buyer, role: 'buyer', read_seq: 0, last_seq: 0, unread: 0 },
        { o_id: p.o_id, userID: p.seller, role: 'seller', read_seq: 0, last_seq: 0, unread: 0 },
      ];
      members.set(p.o_id, room);
    }
    const unreadTotals = () => Object.fromEntries(room.map((x) => [x.userID, totals.get(x.userID) ?? 0]));
    if (prior) return { message: prior, duplicate: true, members: room.map((x) => ({ ...x })), senderUnreadBefore: 0, unreadTotals: unreadTotals() };

    // The chat's last seq is on its member rows, as in the store.
    const seq = room[0].last_seq + 1;
    const message: ChatMessage = { ...m, o_id: p.o_id, seq };
    if (key !== undefined) sent.set(key, message);
    let senderUnreadBefore = 0;
    // As the store moves them: sending reads what came before it; each total moves by its row.
    for (const x of room) {
      const was = x.unread;
      x.last_seq = seq;
      if (x.userID === m.from) {
        senderUnreadBefore = was;
        x.read_seq = seq;
        x.unread = 0;
      } else x.unread = seq - x.read_seq;
      totals.set(x.userID, (totals.get(x.userID) ?? 0) + x.unread - was);
    }
    return { message, duplicate: false, members: room.map((x) => ({ ...x })), senderUnreadBefore, unreadTotals: unreadTotals() };
  };

  return new Proxy(repo, { get: (target, name, receiver) => (name === 'append' ? append : Reflect.get(target, name, receiver)) });
}
