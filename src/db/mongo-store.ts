import { MongoChatRepo } from '../chat/chat.mongo';
import { MongoSystemMessagesRepo } from '../chat/system-messages.mongo';
import { MongoLedgerRepo } from '../wallet/ledger.mongo';
import { MongoSettlementRepo } from '../wallet/settlement.mongo';
import { MongoOrdersRepo } from '../orders/orders.mongo';
import { MongoTopicsRepo } from '../topics/topics.mongo';
import { MongoUsersRepo } from '../users/users.mongo';
import { MongoPaymentsRepo } from '../payments/payments.mongo';
import { MongoCallsRepo } from '../calls/calls.mongo';
import { MongoAudit } from '../invariants/audit.mongo';
import type { MongoClient } from 'mongodb';
import { connectMongo } from './mongo';
import type { Store } from './store';

/** `watch`: handed the client, with command monitoring on, before the first command (tests). */
export async function createMongoStore(uri: string, dbName?: string, watch?: (client: MongoClient) => void): Promise<Store> {
  const { client, db } = await connectMongo(uri, dbName, { monitorCommands: !!watch });
  watch?.(client);
  const users = new MongoUsersRepo(db);
  const topics = new MongoTopicsRepo(db);
  const orders = new MongoOrdersRepo(db, { topics, users });
  const ledger = new MongoLedgerRepo(db);
  const repos = {
    users,
    topics,
    orders,
    ledger,
    chat: new MongoChatRepo(db),
    systemMessages: new MongoSystemMessagesRepo(db),
    payments: new MongoPaymentsRepo(db),
    calls: new MongoCallsRepo(db),
  };
  // Indexes are created at start-up; createIndex is a no-op when the index exists.
  await Promise.all(Object.values(repos).map((r) => r.ensureIndexes()));
  return {
    engine: 'mongodb',
    ...repos,
    settlement: new MongoSettlementRepo({ ledger, topics, orders }),
    audit: new MongoAudit(db),
    async ping() {
      await db.command({ ping: 1 });
    },
    async close() {
      await client.close();
    },
  };
}
