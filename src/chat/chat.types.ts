// The chat's stored shapes. Read state is a cursor per party per order (the highest `seq`
// read) next to the order's counter, so unread numbers are a subtraction, not a count.

type MessageType = 'text' | 'system';

/** `from` of a system message and `to` of a message for both parties (docs/protocol.md: `"0"`). */
export const NOBODY = '0';

export type PartyRole = 'buyer' | 'seller';
/** Who a message is rendered for: a party sees its side's text, staff the admin text. */
export type Viewer = PartyRole | 'admin';

export interface ChatMessage {
  msgid: string;
  o_id: string;
  /** 1, 2, 3, ... per order, taken in the same atomic step that stores the message */
  seq: number;
  from: string;
  to: string;
  type: MessageType;
  /** the text, or the system-message key */
  content: string;
  /** the sender's idempotency key: the same one twice stores one message */
  client_id: string | null;
  createdAt: Date;
}

/** One party's read state in one order's chat. */
export interface ChatMember {
  o_id: string;
  userID: string;
  role: PartyRole;
  /** highest seq this party has read */
  read_seq: number;
  /** highest seq in the chat when this row was last touched */
  last_seq: number;
  /** last_seq - read_seq, kept so "orders with unread messages" is an index lookup */
  unread: number;
}

/** The two parties of an order's chat. */
export interface ChatParties {
  o_id: string;
  buyer: string;
  seller: string;
}

/** A chat with unread messages: its order and how many the reader has not read. */
export interface UnreadCount {
  o_id: string;
  unread: number;
}
