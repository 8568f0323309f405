// The one path for every change of an order: REST handlers, socket handlers, webhooks
// and cron sweeps all attempt a move, which updates the order only if its status is still
// one of `from`, then emits the event the listeners (order.events.ts) hang on.
import type { Identity } from '../auth/token';
import type { Store } from '../db/store';
import { badStatus, duplicate, forbidden, noSuchOrder, notFound, type AppError } from '../errors';
import { newId } from '../ids';
import type { Logger } from '../log/logger';
import { OrderEventListeners, type AnnouncementKey, type OrderEventListener } from './order.events';
import { MOVES, requireRole, type Move } from './order.rules';
import { OPEN_STATUSES, ORDER_STATUSES, PAID_OPEN_STATUSES, STATUS_TIME_FIELD, type Order, type OrderParties, type OrderPatch } from './order.types';
import type { OrderListFilter } from './orders.repo';

export interface CreateOrderInput {
  question: string;
  self_desc: string;
  client?: string;
  platform?: string;
  channel?: string;
}

/** How an attempted move ended: the changed order, or why the order did not change. */
export type TransitionAttempt =
  | { ok: true; order: Order }
  | { ok: false; reason: 'missing' }
  /** the status was not one of the move's `from` when the update ran: `current` is the order as it stood */
  | { ok: false; reason: 'lost'; current: Order };
export type FailedTransition = Extract<TransitionAttempt, { ok: false }>;

/** What a caller answers when a move did not happen: 904, or 905 naming the status that won. */
export function refusalOf(failed: FailedTransition, move: Move): AppError {
  if (failed.reason === 'missing') return noSuchOrder();
  return badStatus(`status: the order is ${failed.current.status}; this needs ${move.from.join(' or ')}`);
}

export class OrdersService {
  private listeners: OrderEventListeners;

  constructor(
    private store: Store,
    log: Logger,
    private now: () => Date = () => new Date(),
  ) {
    this.listeners = new OrderEventListeners(log);
  }

  /** Adds what follows the events a listener handles, at its priority (LISTENER_PRIORITY). */
  use(listener: OrderEventListener) {
    this.listeners.use(listener);
  }

  /** Posts an event that leaves the status as it is (a call, a settlement) through the same listeners. */
  async announce(order: Order, key: AnnouncementKey, actor: Identity | null, data?: Record<string, unknown>) {
    await this.listeners.emit({ order, key, actor, data });
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
    await this.listeners.emit({ order, key: 'created', actor });
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
    if (!p) throw noSuchOrder();
    return p;
  }

  async mustGet(o_id: string): Promise<Order> {
    const order = await this.store.orders.get(o_id);
    if (!order) throw noSuchOrder();
    return order;
  }

  /**
   * Attempts a move: one conditional update, so of racing moves exactly one wins. The winner
   * emits the move's event; a lost race or a missing order is the result, not an error.
   */
  async attempt(o_id: string, move: Move, actor: Identity | null, patch: OrderPatch = {}, data?: Record<string, unknown>): Promise<TransitionAttempt> {
    const timeField = STATUS_TIME_FIELD[move.to as keyof typeof STATUS_TIME_FIELD] ?? null;
    const res = await this.store.orders.transition(o_id, [...move.from], move.to, timeField, this.now(), patch);
    if (!res.order) return res.current ? { ok: false, reason: 'lost', current: res.current } : { ok: false, reason: 'missing' };
    await this.listeners.emit({ order: res.order, key: move.key, actor, data });
    return { ok: true, order: res.order };
  }

  /** Applies a move for a caller who is answered: the changed order, else 904 or 905. */
  async transition(o_id: string, move: Move, actor: Identity | null, patch: OrderPatch = {}, data?: Record<string, unknown>): Promise<Order> {
    const r = await this.attempt(o_id, move, actor, patch, data);
    if (!r.ok) throw refusalOf(r, move);
    return r.order;
  }

  /** A move the system makes (job sweeps): the changed order, or null when another change won the race. */
  async tryTransition(o_id: string, move: Move, patch: OrderPatch = {}): Promise<Order | null> {
    const r = await this.attempt(o_id, move, null, patch);
    if (r.ok) return r.order;
    if (r.reason === 'missing') throw noSuchOrder();
    return null;
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
    let order = await this.mustGet(o_id);
    for (let tries = 1; ; tries++) {
      if (!OPEN_STATUSES.includes(order.status)) throw badStatus(`status: the order is ${order.status}; this needs ${OPEN_STATUSES.join(' or ')}`);
      const paid = PAID_OPEN_STATUSES.includes(order.status);
      const move = paid ? MOVES.cancel.adminPaid : MOVES.cancel.admin;
      const r = await this.attempt(o_id, move, actor, { reason, canceledBy: 'admin', ...(paid ? { refund: 'owed' as const } : {}) });
      if (r.ok) return r.order;
      // The order moved between the read and the update (a payment landed): decide again on where it stands.
      if (r.reason === 'missing' || tries === 3) throw refusalOf(r, move);
      order = r.current;
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
    if (order.commentAt) throw alreadyCommented();
    const r = await this.attempt(o_id, MOVES.comment, actor, { comment, rating, commentAt: this.now() });
    if (r.ok) return r.order;
    // Lost a race against another comment: report the duplicate, not the status.
    if (r.reason === 'lost' && r.current.commentAt) throw alreadyCommented();
    throw refusalOf(r, MOVES.comment);
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
    const updated = await this.store.orders.update(o_id, [...ORDER_STATUSES], { appeal: null, updatedAt: this.now() }, { appealOpen: true });
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

const alreadyCommented = () => duplicate('o_id: the order is already commented');
