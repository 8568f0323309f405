import { BoundedMap } from '../bounded-map';
import { GroupCommit } from '../db/group-commit';
import type { Sqlite } from '../db/sqlite';
import type { AppendResult, ChatRepo, HistoryQuery, MarkReadResult, NewMessage } from './chat.repo';
import type { ChatMember, ChatMessage, ChatParties, UnreadCount } from './chat.types';

const toMessage = (r: any): ChatMessage => ({
  msgid: r.msgid,
  o_id: r.o_id,
  seq: r.seq,
  from: r.from_id,
  to: r.to_id,
  type: r.type,
  content: r.content,
  client_id: r.client_id ?? null,
  createdAt: new Date(r.createdAt),
});

/** A chat_members row with its party's unread total over all chats (`membersWithTotals`). */
type MemberWithTotal = [string, string, ChatMember['role'], number, number, number, number];

/** A chat_members row is a ChatMember as it is (a fresh object per row, not shared). */
const toMember = (r: any): ChatMember => r;

const KNOWN_ROOMS_MAX = 100_000;

/** A user's chats with something unread, newest order first: the covering index read backwards. */
const UNREAD_CHATS = 'SELECT o_id, unread FROM chat_members WHERE userID = ? AND unread > 0 ORDER BY o_id DESC';

/**
 * Every statement is prepared once: the hot paths (append, read, unread) run cached
 * statements, and the unread ones only touch rows that are unread (see the partial index
 * chat_members_unread_counts, migration 4).
 */
export class SqliteChatRepo implements ChatRepo {
  private s;
  /**
   * Rooms are never deleted, so once this process has seen one it skips the INSERT-or-ignore
   * (a write, with its lock and page work, on every message otherwise). Bounded: forgetting
   * only costs that INSERT again.
   */
  private knownRooms = new BoundedMap<true>(KNOWN_ROOMS_MAX);
  private appends: GroupCommit<{ p: ChatParties; m: NewMessage }, AppendResult>;
  constructor(db: Sqlite) {
    this.s = {
      createRoom: db.prepare(`INSERT INTO chat_rooms (o_id, buyer, seller) VALUES (?, ?, ?) ON CONFLICT(o_id) DO NOTHING`),
      createMember: db.prepare(`INSERT INTO chat_members (o_id, userID, role, read_seq, last_seq, unread) VALUES (?, ?, ?, 0, 0, 0) ON CONFLICT DO NOTHING`),
      byClientId: db.prepare('SELECT * FROM messages WHERE o_id = ? AND from_id = ? AND client_id = ?'),
      // Positional parameters on the per-message statements: named ones are looked up by name
      // in an object made for the call. A resend (same sender, order and client_id) inserts
      // nothing: the unique key finds it as it inserts, so a new message costs no separate
      // lookup. Any other conflict throws.
      insert: db.prepare(`INSERT INTO messages (msgid, o_id, seq, from_id, to_id, type, content, client_id, createdAt)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (o_id, from_id, client_id) DO NOTHING`),
      member: db.prepare('SELECT * FROM chat_members WHERE o_id = ? AND userID = ?'),
      members: db.prepare('SELECT * FROM chat_members WHERE o_id = ? ORDER BY role'),
      // The members with each one's unread total over all its chats (from the covering index
      // chat_members_unread_counts, migration 4), in one statement: the append works out the
      // totals after its own update from these instead of reading them again.
      membersWithTotals: db
        .prepare(`SELECT o_id, userID, role, read_seq, last_seq, unread,
            (SELECT coalesce(SUM(t.unread), 0) FROM chat_members t WHERE t.userID = m.userID AND t.unread > 0)
          FROM chat_members m WHERE o_id = ? ORDER BY role`)
        .raw(true),
      // The sender has read everything up to its own message; the other side has one more unread.
      // (seq, from, seq, from, seq, o_id): better-sqlite3 takes no numbered parameters.
      advance: db.prepare(`UPDATE chat_members
        SET last_seq = ?,
            read_seq = CASE WHEN userID = ? THEN ? ELSE read_seq END,
            unread = CASE WHEN userID = ? THEN 0 ELSE ? - read_seq END
        WHERE o_id = ?`),
      after: db.prepare('SELECT * FROM messages WHERE o_id = ? AND seq > ? ORDER BY seq LIMIT ?'),
      before: db.prepare('SELECT * FROM messages WHERE o_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?'),
      byId: db.prepare('SELECT * FROM messages WHERE msgid = ? AND o_id = ?'),
      bySeq: db.prepare('SELECT * FROM messages WHERE o_id = ? AND seq = ?'),
      // Only forward: a stale or repeated read changes nothing.
      markRead: db.prepare(`UPDATE chat_members
        SET read_seq = MIN(@upTo, last_seq), unread = last_seq - MIN(@upTo, last_seq)
        WHERE o_id = @o_id AND userID = @userID AND read_seq < MIN(@upTo, last_seq) RETURNING *`),
      // The first unread message is the one after the cursor (a sender's cursor moves to its own message).
      unreadMembers: db.prepare(`SELECT cm.* FROM chat_members cm
          LEFT JOIN messages m ON m.o_id = cm.o_id AND m.seq = cm.read_seq + 1
          WHERE cm.userID = ? AND cm.unread > 0 ORDER BY coalesce(m.createdAt, 0), cm.o_id LIMIT ?`),
      // Array rows: an object per chat is built key by key, and a user may have hundreds.
      unreadCounts: db.prepare(UNREAD_CHATS).raw(true),
      page: db.prepare('SELECT * FROM messages WHERE o_id = ? ORDER BY seq LIMIT ? OFFSET ?'),
      count: db.prepare('SELECT COUNT(*) AS n FROM messages WHERE o_id = ?'),
    };
    this.appends = new GroupCommit(db, (x) => this.appendNow(x));
  }

  /**
   * Appends arriving in one turn of the event loop share one transaction (see GroupCommit).
   * What a message needs read (the unread totals for the pushes) is read inside it too: a
   * statement outside a transaction takes and drops the file's read lock (two fcntl calls).
   */
  append(p: ChatParties, m: NewMessage): Promise<AppendResult> {
    return this.appends.submit({ p, m });
  }

  /** One append, inside the group's transaction (a savepoint of it). */
  private appendNow({ p, m }: { p: ChatParties; m: NewMessage }): AppendResult {
    const s = this.s;
    if (!this.knownRooms.has(p.o_id)) {
      if (s.createRoom.run(p.o_id, p.buyer, p.seller).changes === 1) {
        s.createMember.run(p.o_id, p.buyer, 'buyer');
        s.createMember.run(p.o_id, p.seller, 'seller');
      }
      this.knownRooms.set(p.o_id, true);
    }
    // Each party's unread total before this message, and its rows in this chat.
    const totals: Record<string, number> = {};
    const before: ChatMember[] = [];
    for (const [o_id, userID, role, read_seq, last_seq, unread, total] of s.membersWithTotals.all(p.o_id) as MemberWithTotal[]) {
      before.push({ o_id, userID, role, read_seq, last_seq, unread });
      totals[userID] = total;
    }
    // The counter lives on the member rows (both carry the chat's last seq, and `advance`
    // writes them anyway): one page fewer per message than a counter on the room row. The
    // write lock held since BEGIN IMMEDIATE makes read-then-write safe across processes.
    // (The members are made with the room, in the same transaction, so there always are some.)
    let last = 0;
    let senderUnreadBefore = 0;
    for (const x of before) {
      if (x.last_seq > last) last = x.last_seq;
      if (x.userID === m.from) senderUnreadBefore = x.unread;
    }
    const seq = last + 1;
    const message: ChatMessage = { msgid: m.msgid, o_id: p.o_id, seq, from: m.from, to: m.to, type: m.type, content: m.content, client_id: m.client_id, createdAt: m.createdAt };
    if (s.insert.run(m.msgid, p.o_id, seq, m.from, m.to, m.type, m.content, m.client_id, m.createdAt.getTime()).changes === 0) {
      const prior = s.byClientId.get(p.o_id, m.from, m.client_id);
      return { message: toMessage(prior), duplicate: true, members: before, senderUnreadBefore: 0, unreadTotals: totals };
    }
    s.advance.run(seq, m.from, seq, m.from, seq, p.o_id);
    // The members as `advance` left them, computed rather than read back (one query fewer per
    // message), in the rows just read for this call (no copies: the chat's garbage is its latency
    // tail); and each party's total moved by what its row in this chat moved (only that row changed).
    for (const x of before) {
      const was = x.unread;
      x.last_seq = seq;
      if (x.userID === m.from) {
        x.read_seq = seq;
        x.unread = 0;
      } else x.unread = seq - x.read_seq;
      totals[x.userID] += x.unread - was;
    }
    return { message, duplicate: false, members: before, senderUnreadBefore, unreadTotals: totals };
  }

  private membersNow(o_id: string): ChatMember[] {
    return this.s.members.all(o_id).map(toMember);
  }

  async listMembers(o_id: string) {
    return this.membersNow(o_id);
  }

  async history(o_id: string, q: HistoryQuery) {
    if (q.after !== undefined) return this.s.after.all(o_id, q.after, q.limit).map(toMessage);
    const rows = this.s.before.all(o_id, q.before ?? Number.MAX_SAFE_INTEGER, q.limit).map(toMessage);
    return rows.reverse();
  }

  async getMessage(o_id: string, msgid: string) {
    const r = this.s.byId.get(msgid, o_id);
    return r ? toMessage(r) : null;
  }

  async getMessageAt(o_id: string, seq: number) {
    const r = this.s.bySeq.get(o_id, seq);
    return r ? toMessage(r) : null;
  }

  async markRead(o_id: string, userID: string, upToSeq: number): Promise<MarkReadResult> {
    const r = this.s.markRead.get({ o_id, userID, upTo: upToSeq });
    if (r) return { member: toMember(r), moved: true };
    const cur = this.s.member.get(o_id, userID);
    return { member: cur ? toMember(cur) : null, moved: false };
  }

  async unreadMembers(userID: string, limit: number) {
    return this.s.unreadMembers.all(userID, limit).map(toMember);
  }

  async unreadCounts(userID: string): Promise<UnreadCount[]> {
    return (this.s.unreadCounts.all(userID) as [string, number][]).map(([o_id, unread]) => ({ o_id, unread }));
  }

  async listPage(o_id: string, skip: number, limit: number) {
    const list = this.s.page.all(o_id, limit, skip).map(toMessage);
    const { n } = this.s.count.get(o_id) as { n: number };
    return { list, total: n };
  }
}
