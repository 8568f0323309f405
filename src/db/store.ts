// The repository layer: one narrow, domain-shaped repository per domain, with the two
// engines behind it. Services see only this interface.
import type { ChatRepo } from '../chat/chat.repo';
import type { SystemMessagesRepo } from '../chat/system-messages.repo';
import type { LedgerRepo } from '../wallet/ledger.repo';
import type { SettlementRepo } from '../wallet/settlement.repo';
import type { OrdersRepo } from '../orders/orders.repo';
import type { PaymentsRepo } from '../payments/payments.repo';
import type { CallsRepo } from '../calls/calls.repo';
import type { StoreAudit } from '../invariants/audit';
import type { TopicsRepo } from '../topics/topics.repo';
import type { UsersRepo } from '../users/users.repo';
import type { Logger } from '../log/logger';

export interface Store {
  readonly engine: 'sqlite' | 'mongodb';
  users: UsersRepo;
  topics: TopicsRepo;
  orders: OrdersRepo;
  ledger: LedgerRepo;
  /** an order's settlement as one unit: credit, topic counters, settledAt */
  settlement: SettlementRepo;
  chat: ChatRepo;
  systemMessages: SystemMessagesRepo;
  payments: PaymentsRepo;
  calls: CallsRepo;
  /** reads every row the invariant checks compare (src/invariants/) */
  audit: StoreAudit;
  /** Resolves when the store answers (health checks). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

interface StoreOptions {
  mongodbUri?: string;
  /** database name for MongoDB (tests use one per run) */
  mongodbDb?: string;
  dataDir: string;
  /** where the embedded store reports trouble it works around (a failed checkpoint worker) */
  log?: Logger;
}

export async function createStore(opts: StoreOptions): Promise<Store> {
  if (opts.mongodbUri) {
    const { createMongoStore } = await import('./mongo-store');
    return createMongoStore(opts.mongodbUri, opts.mongodbDb);
  }
  const { createSqliteStore } = await import('./sqlite-store');
  return createSqliteStore(opts.dataDir, opts.log);
}
