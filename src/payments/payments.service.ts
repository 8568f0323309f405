// Payments behind one port (sandbox or Ping++). Money moves once:
// - a confirmation (webhook, client report, sweep) wins only through the conditional update
//   of the payment pending|canceled → paid, so a duplicate or racing one changes nothing;
// - the winner marks the payment `kept` (the store allows one per order) and moves the order
//   confirmed → paid; a paid payment that cannot pay its order (another payment did, or the
//   order expired or was canceled meanwhile) is refunded automatically;
// - apply() is safe to repeat, so the job sweep re-drives whatever a crash left half done.
import type { Identity } from '../auth/token';
import type { Store } from '../db/store';
import { badInput, badStatus, duplicate, forbidden, noSuchOrder, notFound, providerFailed } from '../errors';
import { newId } from '../ids';
import type { Logger } from '../log/logger';
import { MOVES, requireRole } from '../orders/order.rules';
import { PAID_OPEN_STATUSES, PAID_STATUSES, type Order } from '../orders/order.types';
import { refusalOf, type OrdersService } from '../orders/orders.service';
import type { Charge, Refund } from './charge';
import { UNPAID_PAYMENT_STATUSES, type Payment } from './payment.types';
import type { PaymentSweepFilter } from './payments.repo';
import { ProviderError, type PayChannel, type PaymentProvider } from './provider';
import { REFUND_REASONS, Refunds, STUCK_REFUND_MS } from './refunds';
import { RefundsOwed } from './refunds-owed';

interface PayInput {
  channel: PayChannel;
  currency: 'cny';
  clientIp: string;
}

const SWEEP_PAGE = 100;

const alreadyPaid = () => duplicate('o_id: the order is already paid');

/** Ping++ limits subject to 32 and body to 128 characters. */
const clip = (s: string, n: number) => [...s].slice(0, n).join('');

export class PaymentsService {
  readonly refunds: Refunds;
  /** the refunds order cancels owe, performed after the request (see refunds-owed.ts) */
  readonly owed: RefundsOwed;

  constructor(
    private store: Store,
    private orders: OrdersService,
    private provider: PaymentProvider,
    private log: Logger,
    private now: () => Date = () => new Date(),
  ) {
    this.refunds = new Refunds(store, provider, log, now);
    this.owed = new RefundsOwed(store, this.refunds, log);
  }

  /** `POST /rest/order/:o_id/pay`: a new charge for a confirmed order (none for a free one). */
  async pay(actor: Identity, o_id: string, input: PayInput): Promise<{ pay_id: string; charge: Charge | null }> {
    const order = await this.orders.mustGet(o_id);
    requireRole(order, actor, ['buyer'], 'pay for');
    if (PAID_STATUSES.includes(order.status)) throw alreadyPaid();
    if (order.status !== 'confirmed') throw badStatus(`status: the order is ${order.status}; paying needs confirmed`);
    const pay_id = newId();
    if (order.price === 0) {
      await this.payFree(actor, order, pay_id, input);
      return { pay_id, charge: null };
    }
    const topic = await this.store.topics.get(order.topic_id);
    let charge: Charge;
    try {
      // pay_id is the merchant order_no: 24 hex characters suit both Alipay and WeChat.
      charge = await this.provider.createCharge({
        orderNo: pay_id,
        amount: order.price,
        channel: input.channel,
        currency: input.currency,
        clientIp: input.clientIp,
        subject: clip(topic?.title || '专家咨询', 32),
        body: clip(order.question || '专家咨询', 128),
        metadata: { o_id, pay_id },
      });
    } catch (err) {
      throw this.providerFailure('create the charge', err);
    }
    const now = this.now();
    await this.store.payments.insert({
      ...this.blank(order, pay_id, input.channel, now),
      provider: this.provider.name,
      amount: order.price,
      charge_id: charge.id,
      charge,
    });
    return { pay_id, charge };
  }

  /**
   * Ping++ refuses amount 0, so a free order is paid at once, without a charge. The order
   * moves first: of two racing requests one wins and the other answers 906.
   */
  private async payFree(actor: Identity, order: Order, pay_id: string, input: PayInput) {
    const r = await this.orders.attempt(order.o_id, MOVES.pay, actor, {}, { pay_id });
    if (!r.ok) {
      if (r.reason === 'lost' && PAID_STATUSES.includes(r.current.status)) throw alreadyPaid();
      throw refusalOf(r, MOVES.pay);
    }
    const now = this.now();
    await this.store.payments.insert({ ...this.blank(order, pay_id, input.channel, now), provider: 'free', status: 'paid', kept: true, paidAt: now });
  }

  private blank(order: Order, pay_id: string, channel: PayChannel, now: Date): Payment {
    return {
      pay_id,
      o_id: order.o_id,
      userID: order.userID,
      provider: 'free',
      channel,
      amount: 0,
      currency: 'cny',
      charge_id: null,
      status: 'pending',
      charge: null,
      kept: false,
      createdAt: now,
      updatedAt: now,
      paidAt: null,
      closedAt: null,
      refund_id: null,
      refundedAt: null,
      refundAttempts: 0,
      error: '',
    };
  }

  /**
   * `POST /rest/pay/:pay_id/result`: the client's report after the payment SDK returned. Only
   * the provider is believed: the sandbox takes `success` as its confirmation; Ping++ is asked.
   * `paid` says whether this payment has paid the order.
   */
  async reportResult(actor: Identity, pay_id: string, status: 'success' | 'cancel'): Promise<{ paid: boolean }> {
    const p = await this.store.payments.get(pay_id);
    if (!p) throw notFound('pay_id: no such payment');
    if (p.userID !== actor.userID) throw forbidden('pay_id: not your payment');
    if (status === 'cancel') {
      // Informational only: a provider confirmation arriving later still wins.
      const after = (await this.store.payments.update(pay_id, ['pending'], { status: 'canceled', updatedAt: this.now() })) ?? (await this.store.payments.get(pay_id));
      return { paid: after?.status === 'paid' };
    }
    if (!UNPAID_PAYMENT_STATUSES.includes(p.status) || !p.charge_id) return { paid: p.status === 'paid' };
    let charge: Charge;
    try {
      charge = this.provider.confirmFromClient ? await this.provider.confirmFromClient(p.charge_id) : await this.provider.retrieveCharge(p.charge_id);
    } catch (err) {
      throw this.providerFailure('confirm the charge', err);
    }
    if (!charge.paid) return { paid: false };
    const after = await this.confirm(p, charge, actor);
    return { paid: after.status === 'paid' };
  }

  /** A verified Ping++ event; false when it concerns nothing of ours (still acknowledged). */
  async handleEvent(type: string, object: Record<string, unknown>): Promise<boolean> {
    if (typeof object.id !== 'string') throw badInput('data.object.id: is required');
    if (type === 'charge.succeeded') return this.chargeSucceeded(object as unknown as Charge);
    if (type === 'refund.succeeded') return this.refundSucceeded(object as unknown as Refund);
    return false;
  }

  private async chargeSucceeded(charge: Charge) {
    const p = await this.store.payments.getByChargeId(charge.id);
    if (!p) {
      this.log.warn({ charge_id: charge.id }, 'payment: charge.succeeded for an unknown charge');
      return false;
    }
    if (UNPAID_PAYMENT_STATUSES.includes(p.status)) {
      // The sandbox keeps its own record; make it agree with the signed event so a later refund works.
      if (p.provider === 'sandbox' && this.provider.confirmFromClient) await this.provider.confirmFromClient(charge.id).catch(() => undefined);
      await this.confirm(p, charge, null);
    }
    return true;
  }

  private async refundSucceeded(refund: Refund) {
    const p = typeof refund.charge === 'string' ? await this.store.payments.getByChargeId(refund.charge) : null;
    if (!p) return false;
    if (!(await this.refunds.succeeded(p, refund.id))) this.log.warn({ pay_id: p.pay_id, status: p.status }, 'payment: refund.succeeded for a payment not being refunded');
    await this.owed.perform(p.o_id); // the order's refund may be complete now
    return true;
  }

  /** The provider says `charge` is paid: records it once, then applies it to the order. */
  async confirm(p: Payment, charge: Charge, actor: Identity | null): Promise<Payment> {
    if (charge.id !== p.charge_id || charge.paid !== true || charge.amount !== p.amount) {
      this.log.error({ pay_id: p.pay_id, charge_id: charge.id, amount: charge.amount }, 'payment: a confirmation that does not match the payment was ignored');
      return p;
    }
    const now = this.now();
    const won = await this.store.payments.update(p.pay_id, UNPAID_PAYMENT_STATUSES, { status: 'paid', charge, paidAt: now, updatedAt: now });
    if (!won) return (await this.store.payments.get(p.pay_id)) ?? p;
    return this.apply(won, actor);
  }

  /**
   * Makes the order agree with a paid payment; safe to repeat. The kept payment moves a
   * confirmed order to paid; a paid payment that is not kept, or whose order is gone, is refunded.
   */
  async apply(p: Payment, actor: Identity | null): Promise<Payment> {
    if (!p.kept) {
      if (!(await this.store.payments.keep(p.pay_id))) return this.refunds.refund(p, REFUND_REASONS.duplicate);
      p = { ...p, kept: true };
    }
    let order = await this.orders.mustGet(p.o_id);
    if (order.status === 'confirmed') {
      const r = await this.orders.attempt(p.o_id, MOVES.pay, actor, {}, { pay_id: p.pay_id });
      if (r.ok) return p;
      if (r.reason === 'missing') throw noSuchOrder();
      order = r.current;
    }
    // Kept is unique per order, so a paid order was paid by this payment (perhaps by a sweep).
    if (PAID_OPEN_STATUSES.includes(order.status)) return p;
    if (order.status === 'finished') return (await this.close(p)) ?? p;
    return this.refunds.refund(p, REFUND_REASONS.orderClosed);
  }

  /** A finished order keeps its money: its payment needs no more attention. */
  async closeOrder(o_id: string): Promise<void> {
    for (const p of await this.store.payments.listByOrder(o_id)) if (p.status === 'paid' && p.kept) await this.close(p);
  }

  private close(p: Payment) {
    const now = this.now();
    return this.store.payments.update(p.pay_id, ['paid'], { closedAt: now, updatedAt: now });
  }

  /**
   * Job sweep: re-applies paid payments whose order a crash left behind, retries failed
   * refunds and looks again at refunds stuck in `refunding`. A failing item is logged and
   * skipped; the next sweep retries it. Returns how many items failed.
   */
  async sweep(): Promise<number> {
    let failed = 0;
    failed += await this.forEach({ statuses: ['paid'], openOnly: true }, (p) => this.apply(p, null));
    failed += await this.forEach({ statuses: ['refund_failed'] }, (p) => this.refunds.refund(p, REFUND_REASONS.retry));
    const stuckBefore = new Date(this.now().getTime() - STUCK_REFUND_MS);
    failed += await this.forEach({ statuses: ['refunding'], updatedBefore: stuckBefore }, (p) => this.refunds.retryStuck(p));
    return failed;
  }

  // Pages by pay_id, so failing items never hide the ones after them.
  private async forEach(f: Omit<PaymentSweepFilter, 'limit' | 'after'>, fn: (p: Payment) => Promise<unknown>): Promise<number> {
    let failed = 0;
    let after: string | undefined;
    for (;;) {
      const page = await this.store.payments.listForSweep({ ...f, after, limit: SWEEP_PAGE });
      for (const p of page) {
        try {
          await fn(p);
        } catch (err) {
          failed++;
          this.log.error({ err, pay_id: p.pay_id, o_id: p.o_id }, 'payment sweep: item failed; retried next sweep');
        }
      }
      if (page.length < SWEEP_PAGE) return failed;
      after = page[page.length - 1].pay_id;
    }
  }

  private providerFailure(what: string, err: unknown): unknown {
    if (!(err instanceof ProviderError)) return err;
    this.log.warn({ err: err.message, provider: err.provider, status: err.status, providerCode: err.providerCode }, `payment: provider could not ${what}`);
    return providerFailed(`payment: the payment provider could not ${what} (${err.providerCode ?? err.status ?? 'error'})`);
  }
}
