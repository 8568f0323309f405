// MongoDB has no transactions on a standalone server, so an append is three ordered steps
// that stay correct when they interleave: $inc the order's counter (the seq is taken
// atomically), insert the message (unique (o_id, seq) and (o_id, from, client_id)), then
// move the cursors with $max, so a late update never moves a counter backwards. A resend
// that races its original may burn a seq (a gap); clients page by seq, so gaps are harmless.
import type { Collection, Db, Document } from 'mongodb';
import { isDuplicateKey } from '../db/mongo';
import type { AppendResult, ChatRepo, HistoryQuery, MarkReadResult, NewMessage } from './chat.repo';
import type { ChatMember, ChatMessage, ChatParties, PartyRole } from './chat.types';

/** Appends racing for an order's next seq: each loss means another message was stored. */
const SEQ_ATTEMPTS = 50;
/** A duplicate key on (o_id, seq): another append took that seq first. */
const isSeqTaken = (err: unknown) => (err as { keyPattern?: Record<string, unknown> }).keyPattern?.seq !== undefined;

const toMessage = (d: Document): ChatMessage => ({
  msgid: d._id,
  o_id: d.o_id,
  seq: d.seq,
  from: d.from,
  to: d.to,
  type: d.type,
  content: d.content,
  client_id: d.client_id ?? null,
  createdAt: d.createdAt,
});

const toMember = (d: Document): ChatMember => ({
  o_id: d.o_id,
  userID: d.userID,
  role: d.role,
  read_seq: d.read_seq,
  last_seq: d.last_seq,
  unread: d.unread,
});

/** Chats whose first unread message one query looks up. */
const FIRST_UNREAD_BATCH = 500;

const memberId = (o_id: string, userID: string) => `${o_id}:${userID}`;
/** unread follows the cursors; a second pipeline stage sees the first stage's values. */
const recountUnread = { $set: { unread: { $subtract: ['$last_seq', '$read_seq'] } } };

export class MongoChatRepo implements ChatRepo {
  private messages: Collection<any>;
  private membersCol: Collection<any>;
  constructor(db: Db) {
    this.messages = db.collection('messages');
    this.membersCol = db.collection('chat_members');
  }

  async ensureIndexes() {
    await this.messages.createIndexes([
      { key: { o_id: 1, seq: 1 }, unique: true },
      { key: { o_id: 1, from: 1, client_id: 1 }, unique: true, partialFilterExpression: { client_id: { $type: 'string' } } },
    ]);
    await this.membersCol.createIndexes([
      // a chat's two parties, in role order
      { key: { o_id: 1, role: 1 } },
      // Only chats with something unread are in it: unread numbers cost what is unread.
      // It carries the count too, so unread numbers are read from the index alone.
      { key: { userID: 1, o_id: -1, unread: 1 }, partialFilterExpression: { unread: { $gt: 0 } } },
    ]);
  }

  async append(p: ChatParties, m: NewMessage): Promise<AppendResult> {
    const { msgid, ...fields } = m;
    if (m.client_id !== null) {
      const prior = await this.messages.findOne({ o_id: p.o_id, from: m.from, client_id: m.client_id });
      if (prior) return this.duplicateOf(prior);
    }
    // No seq is reserved apart from its message: the message takes the seq after the order's
    // last stored one, and the unique (o_id, seq) index lets one of two racing appends have it
    // (the other reads again and takes the next). So a process killed mid-append leaves no gap.
    // The unique (o_id, from, client_id) index lets exactly one of two racing resends in;
    // client_id null is outside that partial index: messages without one never collide.
    let message: ChatMessage | undefined;
    for (let attempt = 1; !message; attempt++) {
      const last = await this.messages.find({ o_id: p.o_id }, { projection: { seq: 1 } }).sort({ seq: -1 }).limit(1).next();
      const seq = ((last?.seq as number | undefined) ?? 0) + 1;
      try {
        await this.messages.insertOne({ _id: msgid, ...fields, o_id: p.o_id, seq });
        message = { ...m, o_id: p.o_id, seq };
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        if (isSeqTaken(err) && attempt < SEQ_ATTEMPTS) continue;
        const prior = m.client_id === null ? null : await this.messages.findOne({ o_id: p.o_id, from: m.from, client_id: m.client_id });
        if (!prior) throw err;
        return this.duplicateOf(prior);
      }
    }
    let senderUnreadBefore = 0;
    for (const [userID, role] of [
      [p.buyer, 'buyer'],
      [p.seller, 'seller'],
    ] as [string, PartyRole][]) {
      const isSender = userID === m.from;
      // Single-document atomicity: the pipeline reads and writes one member row in one step,
      // so $max never loses a concurrent append's higher seq.
      const before = await this.membersCol.findOneAndUpdate(
        { _id: memberId(p.o_id, userID) },
        [
          {
            $set: {
              o_id: p.o_id,
              userID,
              role,
              last_seq: { $max: [{ $ifNull: ['$last_seq', 0] }, message.seq] },
              read_seq: isSender ? { $max: [{ $ifNull: ['$read_seq', 0] }, message.seq] } : { $ifNull: ['$read_seq', 0] },
            },
          },
          recountUnread,
        ],
        { upsert: true, returnDocument: 'before' },
      );
      if (isSender) senderUnreadBefore = before?.unread ?? 0;
    }
    const members = await this.listMembers(p.o_id);
    return { message, duplicate: false, members, senderUnreadBefore, unreadTotals: await this.totalsOf(members) };
  }

  private async duplicateOf(prior: Document): Promise<AppendResult> {
    const members = await this.listMembers(prior.o_id);
    return { message: toMessage(prior), duplicate: true, members, senderUnreadBefore: 0, unreadTotals: await this.totalsOf(members) };
  }

  private async totalsOf(members: ChatMember[]): Promise<Record<string, number>> {
    const totals: Record<string, number> = {};
    for (const x of members) {
      const [r] = await this.membersCol.aggregate([{ $match: { userID: x.userID, unread: { $gt: 0 } } }, { $group: { _id: null, n: { $sum: '$unread' } } }]).toArray();
      totals[x.userID] = (r?.n as number | undefined) ?? 0;
    }
    return totals;
  }

  async listMembers(o_id: string) {
    return (await this.membersCol.find({ o_id }).sort({ role: 1 }).toArray()).map(toMember);
  }

  async history(o_id: string, q: HistoryQuery) {
    if (q.after !== undefined) {
      return (await this.messages.find({ o_id, seq: { $gt: q.after } }).sort({ seq: 1 }).limit(q.limit).toArray()).map(toMessage);
    }
    const seq = { $lt: q.before ?? Number.MAX_SAFE_INTEGER };
    const docs = await this.messages.find({ o_id, seq }).sort({ seq: -1 }).limit(q.limit).toArray();
    return docs.map(toMessage).reverse();
  }

  async getMessage(o_id: string, msgid: string) {
    const d = await this.messages.findOne({ _id: msgid, o_id });
    return d ? toMessage(d) : null;
  }

  async getMessageAt(o_id: string, seq: number) {
    const d = await this.messages.findOne({ o_id, seq });
    return d ? toMessage(d) : null;
  }

  async markRead(o_id: string, userID: string, upToSeq: number): Promise<MarkReadResult> {
    const target = { $min: [upToSeq, '$last_seq'] };
    // Single-document atomicity: the condition and the move are one step on the member row.
    const d = await this.membersCol.findOneAndUpdate(
      { _id: memberId(o_id, userID), $expr: { $lt: ['$read_seq', target] } },
      [{ $set: { read_seq: target } }, recountUnread],
      { returnDocument: 'after' },
    );
    if (d) return { member: toMember(d), moved: true };
    const cur = await this.membersCol.findOne({ _id: memberId(o_id, userID) });
    return { member: cur ? toMember(cur) : null, moved: false };
  }

  async unreadMembers(userID: string, limit: number) {
    const members = (await this.membersCol.find({ userID, unread: { $gt: 0 } }).toArray()).map(toMember);
    // Each chat's first unread message (the one after the cursor), on the (o_id, seq) index.
    const firstAt = new Map<string, number>();
    for (let i = 0; i < members.length; i += FIRST_UNREAD_BATCH) {
      const clauses = members.slice(i, i + FIRST_UNREAD_BATCH).map((m) => ({ o_id: m.o_id, seq: m.read_seq + 1 }));
      for (const d of await this.messages.find({ $or: clauses }, { projection: { _id: 0, o_id: 1, createdAt: 1 } }).toArray()) {
        firstAt.set(d.o_id, (d.createdAt as Date).getTime());
      }
    }
    const at = (m: ChatMember) => firstAt.get(m.o_id) ?? 0;
    return members.sort((a, b) => at(a) - at(b) || (a.o_id < b.o_id ? -1 : a.o_id > b.o_id ? 1 : 0)).slice(0, limit);
  }

  async unreadCounts(userID: string) {
    const docs = await this.membersCol.find({ userID, unread: { $gt: 0 } }, { projection: { _id: 0, o_id: 1, unread: 1 } }).sort({ o_id: -1 }).toArray();
    return docs.map((d) => ({ o_id: d.o_id as string, unread: d.unread as number }));
  }

  async listPage(o_id: string, skip: number, limit: number) {
    const [docs, total] = await Promise.all([
      this.messages.find({ o_id }).sort({ seq: 1 }).skip(skip).limit(limit).toArray(),
      this.messages.countDocuments({ o_id }),
    ]);
    return { list: docs.map(toMessage), total };
  }
}
