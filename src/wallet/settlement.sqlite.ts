// The embedded store's settlement: the three steps in one BEGIN IMMEDIATE transaction, so
// they commit together or not at all (a crash inside it leaves the order unsettled, and the
// sweep runs the whole unit again).
import { writeTx, type Sqlite } from '../db/sqlite';
import type { Order } from '../orders/order.types';
import type { SqliteOrdersRepo } from '../orders/orders.sqlite';
import type { SqliteTopicsRepo } from '../topics/topics.sqlite';
import type { LedgerEntry } from './ledger.types';
import type { SqliteLedgerRepo } from './ledger.sqlite';
import type { SettleOutcome, SettlementRepo, SettleStep } from './settlement.repo';

export class SqliteSettlementRepo implements SettlementRepo {
  constructor(
    private db: Sqlite,
    private repos: { ledger: SqliteLedgerRepo; topics: SqliteTopicsRepo; orders: SqliteOrdersRepo },
  ) {}

  async settle(order: Order, entry: LedgerEntry, now: Date, afterStep?: (step: SettleStep) => void): Promise<SettleOutcome> {
    return writeTx(this.db, () => {
      // The ledger's unique key decides once; the topic counts with it, in the same commit.
      const credited = this.repos.ledger.creditNow(entry);
      afterStep?.('credit');
      if (credited) this.repos.topics.countFinish(order.topic_id, order.rating);
      afterStep?.('count');
      const settled = this.repos.orders.markSettledNow(order.o_id, now);
      afterStep?.('mark');
      return { credited, settled };
    });
  }
}
