// The one path for every change of an order: REST handlers, socket handlers, webhooks
// and cron sweeps all call transition(), which updates the order only if its status is
// still one of `from`, then emits the event that system messages, pushes and settlement
// hang on.
import type { Identity } from '../auth/token';
import type { Store } from '../db/store';
import { badStatus, duplicate, forbidden, notFound } from '../http/errors';
import { newId } from '../ids';
import type { Logger } from '../log/logger';
import type { EventKey, OrderEvent, OrderEventListener } from './order.events';
import { MOVES, requireRole, type Move } from './order.rules';
import { OPEN_STATUSES, ORDER_STATUSES, STATUS_TIME_FIELD, type Order, type OrderParties, type OrderPatch, type OrderStatus } from './order.types';
import type { OrderListFilter } from './orders.repo';

export interface CreateOrderInput {
  question: string;
  self_desc: string;
  client?: string;
  platform?: string;
  channel?: string;
}

export class OrdersService {
  private listeners: OrderEventListener[] = [];

  constructor(
    private store: Store,
    private log: Logger,
    private now: () => Date = () => new Date(),
  ) {}

  onEvent(listener: OrderEventListener) {
    this.listeners.push(listener);
  }

  /**
   * Runs the listeners in registration order. The change is already stored, so a failing
   * listener is logged, not thrown: the caller's request succeeded. Work that must not be
   * lost (settlement, refunds) is also re-driven by the job sweeps.
   */
  async emit(e: OrderEvent) {
    for (const l of this.listeners) {
      try {
        await l(e);
      } catch (err) {
        this.log.error({ err, o_id: e.order.o_id, key: e.key }, 'order event listener failed');
      }
    }
  }

  /** Posts a non-status event (a call, a settlement) through the same listeners. */
  async announce(order: Order, key: EventKey, actor: Identity | null, data?: Record<string, unknown>) {
    await this.emit({ order, key, prev: order.status, statusChanged: false, actor, data });
  }

  async create(actor: Identity, topic_id: string, input: CreateOrderInput): Promise<Order> {
    const topic = await this.store.topics.get(topic_id);
    if (!topic) throw notFound('topic_id: no such topic');
    if (topic.expert_id === actor.userID) throw forbidden('topic_id: you cannot order your own topic');
    const now = this.now();
    const order: Order = {
      o_id: newId(),
      userID: actor.userID,
      expert_id: topic.expert_id,
      topic_id,
      question: input.question,
      self_desc: input.self_desc,
      status: 'pending',
      price: topic.price,
      type: 'phone',
      comment: '',
      rating: 0,
      called: false,
      createdAt: now,
      updatedAt: now,
      statusAt: now,
      confirmAt: null,
      rejectAt: null,
      payAt: null,
      finishAt: null,
      completeAt: null,
      cancelAt: null,
      commentAt: null,
      settledAt: null,
      refund: null,
      reason: '',
      canceledBy: null,
      appeal: null,
      client: input.client ?? '',
      platform: input.platform ?? '',
      channel: input.channel ?? '',
    };
    await this.store.orders.insert(order);
    await this.emit({ order, key: 'created', prev: null, statusChanged: true, actor });
    return order;
  }

  /** The order, if the caller is a party or staff (903 otherwise, 904 when missing). */
  async getFor(actor: Identity, o_id: string): Promise<Order> {
    const order = await this.mustGet(o_id);
    requireRole(order, actor, ['buyer', 'seller', 'admin'], 'see');
    return order;
  }

  /** The parties and status of an order (904 when missing). */
  async mustGetParties(o_id: string): Promise<OrderParties> {
    const p = await this.store.orders.getParties(o_id);
    if (!p) throw notFound('o_id: no such order');
    return p;
  }

  async mustGet(o_id: string): Promise<Order> {
    const order = await this.store.orders.get(o_id);
    if (!order) throw notFound('o_id: no such order');
    return order;
  }

  /**
   * Applies a move: one conditional update. Returns the changed order, or throws 905 with
   * the status that won the race.
   */
  async transition(o_id: string, move: Move, actor: Identity | null, patch: OrderPatch = {}, data?: Record<string, unknown>): Promise<Order> {
    const timeField = STATUS_TIME_FIELD[move.to as keyof typeof STATUS_TIME_FIELD] ?? null;
    const res = await this.store.orders.transition(o_id, [...move.from], move.to, timeField, this.now(), patch);
    if (!res.order) {
      if (!res.current) throw notFound('o_id: no such order');
      throw badStatus(`status: the order is ${res.current.status}; this needs ${move.from.join(' or ')}`);
    }
    const prev = move.from.length === 1 ? move.from[0] : null;
    await this.emit({ order: res.order, key: move.key, prev, statusChanged: true, actor, data });
    return res.order;
  }

  /** Like transition, but a lost race is not an error (job sweeps): returns null instead. */
  async tryTransition(o_id: string, move: Move, patch: OrderPatch = {}): Promise<Order | null> {
    try {
      return await this.transition(o_id, move, null, patch);
    } catch (err) {
      if ((err as { code?: number }).code === 905) return null;
      throw err;
    }
  }

  async cancel(actor: Identity, o_id: string, reason: string) {
    const order = await this.mustGet(o_id);
    const role = requireRole(order, actor, ['buyer', 'seller'], 'cancel');
    const canceledBy = role === 'buyer' ? 'buyer' : 'seller';
    return this.transition(o_id, MOVES.cancel[role as 'buyer' | 'seller'], actor, { reason, canceledBy });
  }

  /**
   * Staff cancel. A paid order's cancel records the refund it owes (`refund: 'owed'`) in the
   * same conditional update as the status, so no crash can cancel it without the debt; the
   * payments' worker performs the refund after the answer (see RefundsOwed).
   */
  async adminCancel(actor: Identity, o_id: string, reason: string) {
    const { admin, adminPaid } = MOVES.cancel;
    for (let attempt = 1; ; attempt++) {
      const order = await this.mustGet(o_id);
      const paid = (adminPaid.from as readonly OrderStatus[]).includes(order.status);
      if (!paid && !(admin.from as readonly OrderStatus[]).includes(order.status)) {
        throw badStatus(`status: the order is ${order.status}; this needs ${[...admin.from, ...adminPaid.from].join(' or ')}`);
      }
      try {
        return await this.transition(o_id, paid ? adminPaid : admin, actor, { reason, canceledBy: 'admin', ...(paid ? { refund: 'owed' as const } : {}) });
      } catch (err) {
        // The order moved between the read and the update (a payment landed): decide again.
        if ((err as { code?: number }).code !== 905 || attempt === 3) throw err;
      }
    }
  }

  async confirm(actor: Identity, o_id: string, decision: 'confirmed' | 'rejected', reason: string) {
    const order = await this.mustGet(o_id);
    requireRole(order, actor, ['seller'], 'confirm or reject');
    if (decision === 'rejected') return this.transition(o_id, MOVES.reject, actor, { reason });
    return this.transition(o_id, MOVES.confirm, actor);
  }

  async finish(actor: Identity, o_id: string) {
    const order = await this.mustGet(o_id);
    requireRole(order, actor, ['seller'], 'finish');
    return this.transition(o_id, MOVES.finish, actor);
  }

  async comment(actor: Identity, o_id: string, comment: string, rating: number) {
    const order = await this.mustGet(o_id);
    requireRole(order, actor, ['buyer'], 'comment on');
    if (order.commentAt) throw duplicate('o_id: the order is already commented');
    try {
      return await this.transition(o_id, MOVES.comment, actor, { comment, rating, commentAt: this.now() });
    } catch (err) {
      // Lost a race against another comment: report the duplicate, not the status.
      const now = await this.store.orders.get(o_id);
      if ((err as { code?: number }).code === 905 && now?.commentAt) throw duplicate('o_id: the order is already commented');
      throw err;
    }
  }

  async appeal(actor: Identity, o_id: string, reason: string) {
    const order = await this.mustGet(o_id);
    const role = requireRole(order, actor, ['buyer', 'seller'], 'appeal');
    if (!OPEN_STATUSES.includes(order.status)) throw badStatus(`status: the order is ${order.status}; appeals need an open order`);
    const by = role as 'buyer' | 'seller';
    const updated = await this.store.orders.update(
      o_id,
      OPEN_STATUSES,
      { appeal: { by, userID: actor.userID, reason, at: this.now() }, updatedAt: this.now() },
      { appealOpen: false },
    );
    if (!updated) {
      const cur = await this.mustGet(o_id);
      if (cur.appeal) throw duplicate('o_id: an appeal is already open');
      throw badStatus(`status: the order is ${cur.status}; appeals need an open order`);
    }
    await this.announce(updated, by === 'buyer' ? 'buyer_appealed' : 'seller_appealed', actor);
    return updated;
  }

  async resolveAppeal(actor: Identity, o_id: string) {
    const order = await this.mustGet(o_id);
    // A stranger learns nothing about the order, not even whether an appeal is open.
    requireRole(order, actor, ['buyer', 'seller', 'admin'], 'resolve an appeal on');
    if (!order.appeal) throw badStatus('appeal: the order has no open appeal');
    if (!(actor.staff || actor.userID === order.appeal.userID)) throw forbidden('o_id: only the appellant or staff may resolve the appeal');
    const updated = await this.store.orders.update(o_id, [...OPEN_STATUSES, 'finished', 'canceled', 'rejected'], { appeal: null, updatedAt: this.now() }, { appealOpen: true });
    if (!updated) throw badStatus('appeal: the order has no open appeal');
    await this.announce(updated, order.appeal.by === 'buyer' ? 'buyer_appeal_resolved' : 'seller_appeal_resolved', actor);
    return updated;
  }

  /** Notes that a call was placed: `called` becomes true (not a change of status, so no event). */
  async markCalled(o_id: string): Promise<Order> {
    const updated = await this.store.orders.update(o_id, [...ORDER_STATUSES], { called: true, updatedAt: this.now() }, { called: false });
    return updated ?? this.mustGet(o_id);
  }

  /** A page of the buyer's or the expert's list: the fields the list shows (OrderBrief), topic and other party embedded. */
  list(filter: OrderListFilter) {
    return this.store.orders.list(filter);
  }
}
