import type { Order, OrderListRow, OrderParties, OrderPatch, OrderRefund, OrderStatus } from './order.types';

export interface OrderListFilter {
  userID?: string;
  expert_id?: string;
  statuses: OrderStatus[];
  skip: number;
  limit: number;
}

export interface CommentListFilter {
  topic_id?: string;
  expert_id?: string;
  skip: number;
  limit: number;
}

export interface AdminOrderFilter {
  statuses?: OrderStatus[];
  appealed?: boolean;
  /** orders where this user is a party (buyer or seller) */
  party?: string;
  o_id?: string;
  skip: number;
  limit: number;
}

/**
 * What `update` may set: never the status nor its time fields, which change only with a
 * transition (docs/order-states.md).
 */
export type OrderUpdate = Partial<Pick<Order, 'appeal' | 'called' | 'refund' | 'updatedAt'>>;

/** Conditions of a conditional update besides the status. */
export interface UpdateCondition {
  appealOpen?: boolean;
  called?: boolean;
  refund?: OrderRefund;
}

export interface TransitionResult {
  /** the order after the change, when this caller won */
  order: Order | null;
  /** the order as it stood when the condition failed (null: no such order) */
  current: Order | null;
}

export interface OrdersRepo {
  insert(order: Order): Promise<void>;
  get(o_id: string): Promise<Order | null>;
  /** The parties and status only: the chat reads this for every message (a whole row is 31 columns, two long texts). */
  getParties(o_id: string): Promise<OrderParties | null>;
  /**
   * A page of the order lists, with only the fields they show (a row has 31 columns, most of
   * them never listed) and what they embed, read together.
   */
  list(filter: OrderListFilter): Promise<OrderListRow[]>;
  listComments(filter: CommentListFilter): Promise<Order[]>;
  adminList(filter: AdminOrderFilter): Promise<{ list: Order[]; total: number }>;
  /**
   * One conditional update: sets `to`, stamps `timeField` and statusAt with `now`, applies
   * `patch`, only while the status is one of `from`. Exactly one of racing callers wins.
   */
  transition(o_id: string, from: OrderStatus[], to: OrderStatus, timeField: keyof Order | null, now: Date, patch: OrderPatch): Promise<TransitionResult>;
  /** Sets fields only while the status is one of `whileIn` (and `cond` holds); returns the new order or null. */
  update(o_id: string, whileIn: OrderStatus[], set: OrderUpdate, cond?: UpdateCondition): Promise<Order | null>;
  /** Orders in `status` whose statusAt is before `before`, oldest first (expiry sweeps). */
  listDue(status: OrderStatus, before: Date, limit: number): Promise<Order[]>;
  /** Orders whose cancel owes a refund not yet done (the refunds-owed sweep), by o_id, after `after`. */
  listRefundOwed(limit: number, after?: string): Promise<Order[]>;
  /** Finished orders whose settlement has not completed (settlement retry). */
  listUnsettled(limit: number): Promise<Order[]>;
  /**
   * The last step of an order's settlement: stamps settledAt on a finished order that has none.
   * One conditional update: of racing callers one gets the order, the others null.
   */
  markSettled(o_id: string, now: Date): Promise<Order | null>;
}
