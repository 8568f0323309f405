import type { TopicBrief } from '../topics/topic.types';
import type { ProfileBrief } from '../users/user.types';

export const ORDER_STATUSES = ['pending', 'confirmed', 'rejected', 'paid', 'toBeFinished', 'finished', 'canceled'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** Alive and not paid yet: a cancel owes the buyer nothing. */
export const UNPAID_OPEN_STATUSES: OrderStatus[] = ['pending', 'confirmed'];
/** Paid and not over yet: a cancel owes the buyer a refund. */
export const PAID_OPEN_STATUSES: OrderStatus[] = ['paid', 'toBeFinished'];
/** Statuses in which the order is still alive (chat open, appeal possible; docs/protocol.md). */
export const OPEN_STATUSES: OrderStatus[] = [...UNPAID_OPEN_STATUSES, ...PAID_OPEN_STATUSES];
/** Statuses in which the order has been paid. */
export const PAID_STATUSES: OrderStatus[] = [...PAID_OPEN_STATUSES, 'finished'];

/** The time field each status stamps (docs/order-states.md). */
export const STATUS_TIME_FIELD = {
  confirmed: 'confirmAt',
  rejected: 'rejectAt',
  paid: 'payAt',
  toBeFinished: 'finishAt',
  finished: 'completeAt',
  canceled: 'cancelAt',
} as const satisfies Partial<Record<OrderStatus, keyof Order>>;

export type CanceledBy = 'buyer' | 'seller' | 'admin' | 'system';

/**
 * A refund the order's cancel owes the buyer: `owed` from the staff cancel of a paid order (set
 * in the same write as the status), `refunded` once its payments are refunded.
 */
export type OrderRefund = 'owed' | 'refunded';

export interface Appeal {
  by: 'buyer' | 'seller';
  userID: string;
  reason: string;
  at: Date;
}

export interface Order {
  o_id: string;
  userID: string; // buyer
  expert_id: string; // seller
  topic_id: string;
  question: string;
  self_desc: string;
  status: OrderStatus;
  /** price in fen, copied from the topic when the order is created */
  price: number;
  type: 'phone';
  comment: string;
  rating: number;
  called: boolean;
  createdAt: Date;
  updatedAt: Date;
  /** time of the last change of status: what the expiry sweeps look at */
  statusAt: Date;
  confirmAt: Date | null;
  rejectAt: Date | null;
  payAt: Date | null;
  finishAt: Date | null;
  completeAt: Date | null;
  cancelAt: Date | null;
  commentAt: Date | null;
  settledAt: Date | null;
  refund: OrderRefund | null;
  reason: string; // cancel or reject reason
  canceledBy: CanceledBy | null;
  appeal: Appeal | null;
  client: string;
  platform: string;
  channel: string;
}

/** What an order list shows of each order (README.md, `GET /rest/orders`): the rest of the row is never read for it. */
export type OrderBrief = Pick<Order, 'o_id' | 'userID' | 'expert_id' | 'topic_id' | 'status' | 'rating' | 'createdAt'>;
/** Who is party to an order and where it stands: all the chat needs of it, per message. */
export type OrderParties = Pick<Order, 'o_id' | 'userID' | 'expert_id' | 'status'>;

/** Fields a transition may set besides status/statusAt/updatedAt and the stamped time. */
export type OrderPatch = Partial<Pick<Order, 'comment' | 'rating' | 'commentAt' | 'reason' | 'canceledBy' | 'appeal' | 'refund'>>;

/**
 * A row of an order list: what it shows of the order, with the order's topic and the other
 * party (the expert in a buyer's list, the buyer in an expert's) embedded; null when that
 * topic or profile is not stored.
 */
export type OrderListRow = OrderBrief & { topic: TopicBrief | null; party: ProfileBrief | null };

export type OrderRole = 'buyer' | 'seller' | 'admin';
