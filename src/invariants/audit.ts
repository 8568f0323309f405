// What the invariant checks read of a store: the few fields of every row they compare, read
// by a small reader per engine (audit.sqlite.ts, audit.mongo.ts), never written.
import type { ChatMember } from '../chat/chat.types';
import type { Order } from '../orders/order.types';
import type { Payment } from '../payments/payment.types';
import type { Topic } from '../topics/topic.types';
import type { LedgerEntry } from '../wallet/ledger.types';

export type OrderFact = Pick<Order, 'o_id' | 'status' | 'expert_id' | 'topic_id' | 'price' | 'rating' | 'payAt' | 'settledAt' | 'refund'>;
export type LedgerFact = Pick<LedgerEntry, 'key' | 'userID' | 'o_id' | 'amount' | 'kind'>;
export type PaymentFact = Pick<Payment, 'pay_id' | 'o_id' | 'status' | 'kept'>;
type TopicFact = Pick<Topic, 'topic_id' | 'finish_count' | 'rating_sum' | 'rating_count'>;
type MemberFact = Pick<ChatMember, 'o_id' | 'userID' | 'read_seq' | 'last_seq' | 'unread'>;

/** One chat's message seqs, summed up: they are 1..n exactly when count = distinct = max and min = 1. */
interface ChatSeqFact {
  o_id: string;
  count: number;
  distinct: number;
  min: number;
  max: number;
}

/** Every row of each kind, in one read each (the checker holds them while it compares). */
export interface StoreAudit {
  orders(): Promise<OrderFact[]>;
  ledger(): Promise<LedgerFact[]>;
  payments(): Promise<PaymentFact[]>;
  topics(): Promise<TopicFact[]>;
  chatSeqs(): Promise<ChatSeqFact[]>;
  chatMembers(): Promise<MemberFact[]>;
}
