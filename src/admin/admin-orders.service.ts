// The customer-service console's reading of orders: any order by status, appeal or party, and
// one order with its parties' profiles, its topic, its payments with their refunds, its calls
// and the open appeal, read together.
import type { AdminOrderDetail } from './admin.schema';
import type { Call } from '../calls/call.types';
import type { Store } from '../db/store';
import type { AdminOrderFilter } from '../orders/orders.repo';
import { notFound } from '../errors';
import { expertBrief, orderDetail } from '../orders/order.view';
import { REFUND_STARTED_STATUSES, type Payment } from '../payments/payment.types';

/** An order has a handful of payments and calls; the view never grows with a client's retries. */
const MAX_ROWS = 100;

const iso = (d: Date | null) => (d ? d.toISOString() : '');

function paymentItem(p: Payment) {
  return {
    pay_id: p.pay_id,
    provider: p.provider,
    channel: p.channel,
    amount: p.amount,
    currency: p.currency,
    charge_id: p.charge_id ?? '',
    status: p.status,
    createdAt: iso(p.createdAt),
    paidAt: iso(p.paidAt),
  };
}

/** A payment that is being, or has been, given back. */
function refundItem(p: Payment) {
  return {
    pay_id: p.pay_id,
    refund_id: p.refund_id ?? '',
    amount: p.amount,
    status: p.status,
    attempts: p.refundAttempts,
    error: p.error,
    refundedAt: iso(p.refundedAt),
  };
}

function callItem(c: Call) {
  return {
    callSid: c.callSid ?? '',
    status: c.status,
    from: c.fromUser,
    to: c.toUser,
    duration: c.duration,
    createdAt: iso(c.createdAt),
    endedAt: iso(c.endedAt),
  };
}

export class AdminOrdersService {
  constructor(private store: Pick<Store, 'orders' | 'users' | 'topics' | 'payments' | 'calls'>) {}

  /** A page of every order that matches the filter, newest first, and how many match. */
  list(filter: AdminOrderFilter) {
    return this.store.orders.adminList(filter);
  }

  /** One order with all the console shows beside it (404 when missing). */
  async detail(o_id: string): Promise<AdminOrderDetail> {
    const store = this.store;
    const order = await store.orders.get(o_id);
    if (!order) throw notFound('id: no such order');
    const [profiles, topic, payments, calls] = await Promise.all([
      store.users.getBriefs([order.userID, order.expert_id]),
      store.topics.get(order.topic_id),
      store.payments.listByOrder(o_id),
      store.calls.listByOrder(o_id, MAX_ROWS),
    ]);
    const profile = (userID: string) => expertBrief(profiles.find((p) => p.userID === userID), userID);
    const shown = payments.slice(0, MAX_ROWS);
    return {
      order: {
        ...orderDetail(order),
        canceledBy: order.canceledBy ?? '',
        appeal: order.appeal ? { ...order.appeal, at: iso(order.appeal.at) } : null,
      },
      buyer: profile(order.userID),
      seller: profile(order.expert_id),
      topic: { topic_id: order.topic_id, title: topic?.title ?? '', category: topic?.category ?? '', price: topic?.price ?? 0 },
      payments: shown.map(paymentItem),
      refunds: shown.filter((p) => REFUND_STARTED_STATUSES.includes(p.status)).map(refundItem),
      calls: calls.map(callItem),
    };
  }
}
