// Response shapes: the socket message (docs/protocol.md), the unread numbers and listing
// (README.md, "Unread messages over REST") and the admin listing (docs/system-messages.md).
// Field names are binding; each view's type comes from its schema in chat.schema.ts.
import { textFor, type TextsByKey } from './system-messages.service';
import type { AdminMessageItem, MessageViewAnswer, UnreadItem, UnreadNumbers } from './chat.schema';
import { NOBODY, type ChatMember, type ChatMessage, type UnreadCount, type Viewer } from './chat.types';

/** Whether the receiving side has read it: the other party, or both parties for a message to "0". */
export function isRead(m: ChatMessage, members: ChatMember[]): boolean {
  const readers = m.to === NOBODY ? members : members.filter((p) => p.userID === m.to);
  return readers.length > 0 && readers.every((p) => p.read_seq >= m.seq);
}

/** A system message shows its key's text for the viewer's side; a text message its content. */
function textOf(m: ChatMessage, viewer: Viewer, texts: TextsByKey): string {
  return m.type === 'system' ? textFor(texts, m.content, viewer) : m.content;
}

export function messageView(m: ChatMessage, viewer: Viewer, texts: TextsByKey, members: ChatMember[]): MessageViewAnswer {
  return {
    msgid: m.msgid,
    o_id: m.o_id,
    seq: m.seq,
    from: m.from,
    to: m.to,
    type: m.type,
    content: m.content,
    text: textOf(m, viewer, texts),
    is_read: isRead(m, members),
    createdAt: m.createdAt.toISOString(),
  };
}
export type MessageView = MessageViewAnswer;

/** unreadnum's `info`: the total, and each chat's count in the order given (newest order first). */
export function unreadNumbersView(total: number, counts: UnreadCount[]): UnreadNumbers {
  return { total, list: counts.map((c) => ({ o_id: c.o_id, count: c.unread })) };
}

/** An unreadchat item: msgid, from, to, content, createdAt, plus seq, type and text so a client can show system messages. */
export function unreadItem(m: ChatMessage, viewer: Viewer, texts: TextsByKey): UnreadItem {
  return {
    msgid: m.msgid,
    from: m.from,
    to: m.to,
    content: m.content,
    createdAt: m.createdAt.toISOString(),
    seq: m.seq,
    type: m.type,
    text: textOf(m, viewer, texts),
  };
}

/** The admin listing's item (uid "0" for system messages, is_read 0/1, ctime in ms), plus the admin text. */
export function adminMessageItem(m: ChatMessage, texts: TextsByKey, members: ChatMember[]): AdminMessageItem {
  return {
    id: m.msgid,
    uid: m.from,
    type: m.type,
    content: m.content,
    text: textOf(m, 'admin', texts),
    is_read: isRead(m, members) ? 1 : 0,
    ctime: m.createdAt.getTime(),
  };
}
