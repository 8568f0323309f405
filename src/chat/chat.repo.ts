import type { ChatMember, ChatMessage, ChatParties, UnreadCount } from './chat.types';

export type NewMessage = Omit<ChatMessage, 'o_id' | 'seq'>;

export interface AppendResult {
  /** the stored message (the original one when `duplicate`) */
  message: ChatMessage;
  /** true when the sender's client_id matched an earlier message: nothing new was stored */
  duplicate: boolean;
  /** both parties' read state after the append */
  members: ChatMember[];
  /** the sender's unread count before the append: sending reads what came before it */
  senderUnreadBefore: number;
  /** each member's unread messages over all its chats, after the append (the `unread` push's total) */
  unreadTotals: Record<string, number>;
}

export interface HistoryQuery {
  /** messages with seq > after, oldest first (catching up) */
  after?: number;
  /** otherwise the latest messages with seq < before */
  before?: number;
  limit: number;
}

export interface MarkReadResult {
  /** the reader's state after the call; null when the reader is not a party of the chat */
  member: ChatMember | null;
  /** true when the cursor moved forward */
  moved: boolean;
}

export interface ChatRepo {
  /**
   * Stores a message with the order's next seq and moves both parties' counters, as one
   * atomic step; creates the chat on the first message. The sender's cursor moves to the
   * new message. Whether the order still takes messages is the service's check, not the store's.
   */
  append(parties: ChatParties, msg: NewMessage): Promise<AppendResult>;
  /** The parties' read state (empty before the first message). */
  listMembers(o_id: string): Promise<ChatMember[]>;
  /** Oldest first; see HistoryQuery. */
  history(o_id: string, q: HistoryQuery): Promise<ChatMessage[]>;
  getMessage(o_id: string, msgid: string): Promise<ChatMessage | null>;
  getMessageAt(o_id: string, seq: number): Promise<ChatMessage | null>;
  /** Moves the reader's cursor forward to `upToSeq` (clamped to the chat's last seq); never backwards. */
  markRead(o_id: string, userID: string, upToSeq: number): Promise<MarkReadResult>;
  /**
   * At most `limit` of the user's chats with unread messages, oldest unread first: by the time
   * of each chat's first unread message, then by o_id.
   */
  unreadMembers(userID: string, limit: number): Promise<ChatMember[]>;
  /** The same chats' unread numbers only, newest order first: what unread numbers and pushes need, from the index alone. */
  unreadCounts(userID: string): Promise<UnreadCount[]>;
  /** One page of an order's messages by seq, oldest first, and how many there are (admin console). */
  listPage(o_id: string, skip: number, limit: number): Promise<{ list: ChatMessage[]; total: number }>;
}
