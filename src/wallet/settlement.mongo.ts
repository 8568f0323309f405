// MongoDB's settlement, without transactions (a standalone server has none): three steps,
// each idempotent and keyed by the order, in an order that makes the last one mean "done".
// A crash between any two leaves settledAt unset; the sweep finds the order and runs them
// all again, and each step that already happened changes nothing the second time.
import type { Order } from '../orders/order.types';
import type { MongoOrdersRepo } from '../orders/orders.mongo';
import type { MongoTopicsRepo } from '../topics/topics.mongo';
import type { LedgerEntry } from './ledger.types';
import type { MongoLedgerRepo } from './ledger.mongo';
import type { SettleOutcome, SettlementRepo, SettleStep } from './settlement.repo';

export class MongoSettlementRepo implements SettlementRepo {
  constructor(private repos: { ledger: MongoLedgerRepo; topics: MongoTopicsRepo; orders: MongoOrdersRepo }) {}

  async settle(order: Order, entry: LedgerEntry, now: Date, afterStep?: (step: SettleStep) => void): Promise<SettleOutcome> {
    // 1. The credit: the unique index on the ledger's key (`settle:<o_id>`) lets it in once.
    const credited = await this.repos.ledger.credit(entry);
    afterStep?.('credit');
    // 2. The topic's counters, recounted from its finished orders (this one is finished
    //    already) and raised with $max in one single-document update: a repeat writes the
    //    same numbers, a stale racing recount cannot lower them.
    await this.repos.topics.raiseFinishCounts(order.topic_id, await this.repos.orders.finishedStats(order.topic_id));
    afterStep?.('count');
    // 3. settledAt, by one conditional update (finished, settledAt unset): set only once
    //    both steps above have happened, so it marks the unit complete.
    const settled = await this.repos.orders.markSettled(order.o_id, now);
    afterStep?.('mark');
    return { credited, settled };
  }
}
