// Money moves once: a finished order's settlement (the credit of its price to the expert
// under the ledger key `settle:<o_id>`, the topic's finish_count and rating, the order's
// settledAt) is one unit keyed by the order (settlement.repo.ts), safe to interrupt and to
// repeat. Whoever finishes the order (the comment or the settle timeout) runs it; the
// settlement sweep reruns it for orders a crash left unsettled.
import type { WalletSummary } from './wallet.schema';
import type { Store } from '../db/store';
import { newId } from '../ids';
import type { OrdersService } from '../orders/orders.service';
import type { Order } from '../orders/order.types';
import type { SettleStep } from './settlement.repo';

export class WalletService {
  constructor(
    private store: Store,
    private orders: OrdersService,
    private now: () => Date = () => new Date(),
  ) {}

  /**
   * Settles a finished order; true when this call completed its settlement (and posted
   * `settled`). `afterStep`: a test's crash point (see SettlementRepo).
   */
  async settle(order: Order, afterStep?: (step: SettleStep) => void): Promise<boolean> {
    if (order.status !== 'finished') return false;
    const entry = { id: newId(), userID: order.expert_id, key: `settle:${order.o_id}`, o_id: order.o_id, amount: order.price, kind: 'settle' as const, createdAt: this.now() };
    const { settled } = await this.store.settlement.settle(order, entry, this.now(), afterStep);
    if (settled) await this.orders.announce(settled, 'settled', null, { amount: order.price });
    return settled !== null;
  }

  async summary(userID: string, skip: number, limit: number): Promise<WalletSummary> {
    const [balance, list] = await Promise.all([this.store.ledger.balance(userID), this.store.ledger.list(userID, skip, limit)]);
    return {
      balance,
      currency: 'cny',
      list: list.map((e) => ({ id: e.id, o_id: e.o_id ?? '', amount: e.amount, kind: e.kind, createdAt: e.createdAt.toISOString() })),
    };
  }
}
