// What follows a change of an order (system message, pushes, settlement) hangs off these
// events, emitted from the one place that changes orders, so no caller can forget it.
import type { Identity } from '../auth/token';
import type { Order, OrderStatus } from './order.types';

/** The system-message keys this server posts (docs/system-messages.md). */
export const EVENT_KEYS = [
  'created',
  'confirmed',
  'rejected',
  'paid',
  'buyer_canceled',
  'seller_canceled',
  'admin_canceled',
  'confirm_expired',
  'pay_expired',
  'call_started',
  'call_finished',
  'to_be_finished',
  'finished',
  'settled',
  'buyer_appealed',
  'seller_appealed',
  'buyer_appeal_resolved',
  'seller_appeal_resolved',
] as const;
export type EventKey = (typeof EVENT_KEYS)[number];

export interface OrderEvent {
  /** the order after the change */
  order: Order;
  key: EventKey;
  /** the status before; equals order.status when the status did not change */
  prev: OrderStatus | null;
  statusChanged: boolean;
  /** null when the system (a job, a provider) made the change */
  actor: Identity | null;
  /** extra facts for listeners, e.g. the callSid of a call event */
  data?: Record<string, unknown>;
}

export type OrderEventListener = (e: OrderEvent) => Promise<void> | void;
