// What follows a change of an order (system message, pushes, settlement, refunds) hangs off
// these events, emitted from the one place that changes orders, so no caller can forget it.
// Each domain adds its listeners with `orders.use()`; LISTENER_PRIORITY orders them.
import type { Identity } from '../auth/token';
import type { Logger } from '../log/logger';
import type { Order } from './order.types';

/** Events that change the order's status (docs/order-states.md). */
export const STATUS_EVENT_KEYS = [
  'created',
  'confirmed',
  'rejected',
  'paid',
  'buyer_canceled',
  'seller_canceled',
  'admin_canceled',
  'confirm_expired',
  'pay_expired',
  'to_be_finished',
  'finished',
] as const;
export type StatusEventKey = (typeof STATUS_EVENT_KEYS)[number];

/** Events that leave the status as it is: calls, the settlement, appeals. */
export const ANNOUNCEMENT_KEYS = [
  'call_started',
  'call_finished',
  'settled',
  'buyer_appealed',
  'seller_appealed',
  'buyer_appeal_resolved',
  'seller_appeal_resolved',
] as const;
export type AnnouncementKey = (typeof ANNOUNCEMENT_KEYS)[number];

/** The system-message keys this server posts (docs/system-messages.md): one per event. */
export const EVENT_KEYS = [...STATUS_EVENT_KEYS, ...ANNOUNCEMENT_KEYS] as const;
export type EventKey = StatusEventKey | AnnouncementKey;

export interface OrderEvent {
  /** the order after the change */
  order: Order;
  key: EventKey;
  /** null when the system (a job, a provider) made the change */
  actor: Identity | null;
  /** extra facts for listeners, e.g. the callSid of a call event */
  data?: Record<string, unknown>;
}

export interface OrderEventListener {
  /** names the listener in the log when it fails */
  readonly name: string;
  /** lower runs first; the values are in LISTENER_PRIORITY */
  readonly priority: number;
  /** the events it is called for; any other passes it by */
  readonly handles: readonly EventKey[];
  handle(e: OrderEvent): Promise<void> | void;
}

/** The order in which what follows an event happens, first to last. */
export const LISTENER_PRIORITY = {
  // An event's system message precedes those of the events its handling posts
  // (the `finished` message comes before the `settled` one the settlement announces).
  systemMessage: 100,
  // Clients get the new status after the message that explains it.
  orderPush: 200,
  settlement: 300,
  refunds: 400,
  paymentClosing: 500,
} as const;

/** The listeners of the order events, kept in priority order. */
export class OrderEventListeners {
  private listeners: OrderEventListener[] = [];

  constructor(private log: Logger) {}

  /** Adds a listener after every listener of the same or a lower priority. */
  use(listener: OrderEventListener) {
    const at = this.listeners.findIndex((l) => l.priority > listener.priority);
    this.listeners.splice(at === -1 ? this.listeners.length : at, 0, listener);
  }

  /**
   * Runs the listeners that handle the event, one after another. The change is already
   * stored, so a failing listener is logged, not thrown: the caller's request succeeded. Work
   * that must not be lost (settlement, refunds) is also re-driven by the job sweeps.
   */
  async emit(e: OrderEvent) {
    for (const l of this.listeners) {
      if (!l.handles.includes(e.key)) continue;
      try {
        await l.handle(e);
      } catch (err) {
        this.log.error({ err, o_id: e.order.o_id, key: e.key, listener: l.name }, 'order event listener failed');
      }
    }
  }
}
