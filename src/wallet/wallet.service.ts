// Money moves once: a finished order credits its price to the expert under the ledger key
// `settle:<o_id>`, which the store keeps unique. Whoever finishes the order (the comment or
// the settle timeout) triggers it; the settlement sweep re-drives orders a crash left behind.
import type { WalletSummary } from './wallet.schema';
import type { Store } from '../db/store';
import { newId } from '../ids';
import type { OrdersService } from '../orders/orders.service';
import type { Order } from '../orders/order.types';

export class WalletService {
  constructor(
    private store: Store,
    private orders: OrdersService,
    private now: () => Date = () => new Date(),
  ) {}

  /** Credits a finished order's price to its expert exactly once; true when this call credited. */
  async settle(order: Order): Promise<boolean> {
    if (order.status !== 'finished') return false;
    const credited = await this.store.ledger.credit({
      id: newId(),
      userID: order.expert_id,
      key: `settle:${order.o_id}`,
      o_id: order.o_id,
      amount: order.price,
      kind: 'settle',
      createdAt: this.now(),
    });
    if (credited) await this.store.topics.recordFinish(order.topic_id, order.rating);
    const marked = await this.store.orders.update(order.o_id, ['finished'], { settledAt: this.now() }, {});
    if (credited && marked) await this.orders.announce(marked, 'settled', null, { amount: order.price });
    return credited;
  }

  /** Settles finished orders that a crash left unsettled. */
  async settleLeftovers(limit = 100): Promise<number> {
    let n = 0;
    for (const o of await this.store.orders.listUnsettled(limit)) if (await this.settle(o)) n++;
    return n;
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
