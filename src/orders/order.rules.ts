// Who may do what to an order (docs/order-states.md), in one table.
import type { Identity } from '../auth/token';
import { forbidden } from '../errors';
import type { StatusEventKey } from './order.events';
import { PAID_OPEN_STATUSES, UNPAID_OPEN_STATUSES, type Order, type OrderRole, type OrderStatus } from './order.types';

export function roleOf(order: Pick<Order, 'userID' | 'expert_id'>, who: Identity): OrderRole | null {
  if (who.userID === order.userID) return 'buyer';
  if (who.userID === order.expert_id) return 'seller';
  if (who.staff) return 'admin';
  return null;
}

/** The caller's role on the order, or 903. */
export function requireRole(order: Pick<Order, 'userID' | 'expert_id'>, who: Identity, allowed: OrderRole[], action: string): OrderRole {
  const role = roleOf(order, who);
  if (!role || !allowed.includes(role)) throw forbidden(`o_id: you may not ${action} this order`);
  return role;
}

export interface Move {
  from: OrderStatus[];
  to: OrderStatus;
  key: StatusEventKey;
}

/** Status moves by action and role. */
export const MOVES = {
  cancel: {
    buyer: { from: UNPAID_OPEN_STATUSES, to: 'canceled', key: 'buyer_canceled' },
    seller: { from: ['confirmed'], to: 'canceled', key: 'seller_canceled' },
    // Staff may cancel any open order; a paid one's cancel also records the refund it owes.
    admin: { from: UNPAID_OPEN_STATUSES, to: 'canceled', key: 'admin_canceled' },
    adminPaid: { from: PAID_OPEN_STATUSES, to: 'canceled', key: 'admin_canceled' },
  },
  confirm: { from: ['pending'], to: 'confirmed', key: 'confirmed' },
  reject: { from: ['pending'], to: 'rejected', key: 'rejected' },
  pay: { from: ['confirmed'], to: 'paid', key: 'paid' },
  finish: { from: ['paid'], to: 'toBeFinished', key: 'to_be_finished' },
  comment: { from: ['toBeFinished'], to: 'finished', key: 'finished' },
  confirmExpire: { from: ['pending'], to: 'canceled', key: 'confirm_expired' },
  payExpire: { from: ['confirmed'], to: 'canceled', key: 'pay_expired' },
  settleTimeout: { from: ['toBeFinished'], to: 'finished', key: 'finished' },
} as const satisfies Record<string, Move | Record<string, Move>>;
