// Refunds of paid payments. A refund is claimed by a conditional update (paid or
// refund_failed → refunding), so of racing callers (a staff cancel, a late confirmation,
// the sweep) exactly one asks the provider. A provider failure is recorded as
// refund_failed and retried by the job sweep; a retry first asks the provider what it
// already did, so money goes back once.
import type { Store } from '../db/store';
import type { Logger } from '../log/logger';
import type { Payment } from './payment.types';
import type { PaymentProvider } from './provider';

/** How long a refund may stay `refunding` before the sweep looks at it again. */
export const STUCK_REFUND_MS = 10 * 60_000;

/** Ping++ requires a description (≤ 255 characters); buyers see it. */
export const REFUND_REASONS = {
  adminCancel: '客服取消订单，全额退款',
  orderClosed: '订单已取消或已过期，自动退款',
  duplicate: '订单已由另一笔支付完成，自动退款',
  retry: '订单退款',
} as const;

export class Refunds {
  constructor(
    private store: Store,
    private provider: PaymentProvider,
    private log: Logger,
    private now: () => Date,
  ) {}

  /** Starts the refund of a paid (or failed-refund) payment; returns the payment as it now stands. */
  async refund(p: Payment, description: string): Promise<Payment> {
    const claimed = await this.store.payments.update(p.pay_id, ['paid', 'refund_failed'], {
      status: 'refunding',
      refundAttempts: p.refundAttempts + 1,
      error: '',
      updatedAt: this.now(),
    });
    if (!claimed) return (await this.store.payments.get(p.pay_id)) ?? p;
    return this.send(claimed, description);
  }

  /** A refund left `refunding` (a crash, or a provider-side pending refund): claim it by its updatedAt and look again. */
  async retryStuck(p: Payment): Promise<Payment> {
    const claimed = await this.store.payments.update(p.pay_id, ['refunding'], { refundAttempts: p.refundAttempts + 1, updatedAt: this.now() }, p.updatedAt);
    if (!claimed) return p;
    return this.send(claimed, REFUND_REASONS.retry);
  }

  /** The provider says the refund went through (the refund.succeeded webhook). */
  async succeeded(p: Payment, refund_id: string): Promise<Payment | null> {
    return this.markRefunded(p, refund_id);
  }

  private async send(p: Payment, description: string): Promise<Payment> {
    if (!p.charge_id) return (await this.markRefunded(p, null)) ?? p; // a free payment: nothing to send back
    try {
      if (p.refundAttempts > 1 || p.refund_id) {
        // A retry: the last attempt may have reached the provider before we lost track of it.
        const charge = await this.provider.retrieveCharge(p.charge_id);
        const known = p.refund_id ? charge.refunds.data.find((r) => r.id === p.refund_id) : undefined;
        if (charge.amount_refunded >= charge.amount || known?.status === 'succeeded') {
          return (await this.markRefunded(p, known?.id ?? charge.refunds.data[0]?.id ?? null)) ?? p;
        }
        if (known?.status === 'pending') return p; // still with the provider; the webhook or a later sweep finishes it
      }
      const r = await this.provider.refund(p.charge_id, { description: description.slice(0, 255) });
      if (r.status === 'succeeded' || r.succeed) return (await this.markRefunded(p, r.id)) ?? p;
      if (r.status === 'failed') return this.markFailed(p, r.failure_msg ?? 'the provider refused the refund', r.id);
      // pending: some channels refund asynchronously; refund.succeeded arrives later.
      return (await this.store.payments.update(p.pay_id, ['refunding'], { refund_id: r.id, updatedAt: this.now() })) ?? p;
    } catch (err) {
      this.log.error({ err, pay_id: p.pay_id, o_id: p.o_id }, 'payment: refund failed; the job sweep retries it');
      return this.markFailed(p, (err as Error).message ?? String(err), p.refund_id);
    }
  }

  private markRefunded(p: Payment, refund_id: string | null) {
    const now = this.now();
    return this.store.payments.update(p.pay_id, ['refunding', 'refund_failed'], { status: 'refunded', refund_id, refundedAt: now, closedAt: now, updatedAt: now });
  }

  private async markFailed(p: Payment, error: string, refund_id: string | null) {
    const failed = await this.store.payments.update(p.pay_id, ['refunding'], { status: 'refund_failed', error: error.slice(0, 500), refund_id, updatedAt: this.now() });
    return failed ?? (await this.store.payments.get(p.pay_id)) ?? p;
  }
}
