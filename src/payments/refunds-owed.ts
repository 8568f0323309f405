// Refunds that order cancels owe, performed outside the request that canceled. The staff
// cancel of a paid order writes `refund: 'owed'` with the status; then the refund is started
// right after that commit, in the background (kick), and the job sweep starts any the process
// did not get to (a crash, a restart). Both may run at once: each payment's refund is claimed
// by one conditional update (Refunds.refund: paid → refunding), so the provider is asked once.
// Failures are the payment's (refund_failed, retried by the payments sweep); the order owes
// until none of its payments holds money any more, then reads `refunded`.
import type { Store } from '../db/store';
import type { Logger } from '../log/logger';
import type { OrderRefund } from '../orders/order.types';
import type { PaymentStatus } from './payment.types';
import { REFUND_REASONS, type Refunds } from './refunds';

/** A payment in these statuses still holds the buyer's money. */
const HOLDING: PaymentStatus[] = ['paid', 'refunding', 'refund_failed'];
const SWEEP_PAGE = 100;

export class RefundsOwed {
  private inFlight = new Set<Promise<unknown>>();

  constructor(
    private store: Store,
    private refunds: Refunds,
    private log: Logger,
  ) {}

  /** Starts the order's refund in the background: the caller (a request) does not wait for the provider. */
  kick(o_id: string): void {
    const p = this.perform(o_id)
      .catch((err) => this.log.error({ err, o_id }, 'refund owed: failed; the job sweep retries it'))
      .finally(() => this.inFlight.delete(p));
    this.inFlight.add(p);
  }

  /** Resolves when the refunds kicked so far have finished (shutdown, tests). */
  async drain(): Promise<void> {
    while (this.inFlight.size) await Promise.all(this.inFlight);
  }

  /**
   * Starts the refund of every paid payment of an order that owes one, and marks the order
   * `refunded` once no payment holds money. Safe to repeat and to race.
   */
  async perform(o_id: string): Promise<OrderRefund | null> {
    const order = await this.store.orders.get(o_id);
    if (order?.refund !== 'owed') return order?.refund ?? null;
    let holding = false;
    for (const p of await this.store.payments.listByOrder(o_id)) {
      const now = p.status === 'paid' ? await this.refunds.refund(p, REFUND_REASONS.adminCancel) : p;
      if (HOLDING.includes(now.status)) holding = true;
    }
    if (holding) return 'owed';
    await this.store.orders.update(o_id, ['canceled'], { refund: 'refunded' }, { refund: 'owed' });
    return 'refunded';
  }

  /** Job sweep: every order that still owes a refund; returns how many failed. */
  async sweep(): Promise<number> {
    let failed = 0;
    // Pages by o_id: orders still owing after their turn (a slow provider) never hide the rest.
    let after: string | undefined;
    for (;;) {
      const page = await this.store.orders.listRefundOwed(SWEEP_PAGE, after);
      for (const o of page) {
        try {
          await this.perform(o.o_id);
        } catch (err) {
          failed++;
          this.log.error({ err, o_id: o.o_id }, 'refund owed sweep: item failed; retried next sweep');
        }
      }
      if (page.length < SWEEP_PAGE) return failed;
      after = page[page.length - 1].o_id;
    }
  }
}
