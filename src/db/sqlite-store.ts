import { SqliteChatRepo } from '../chat/chat.sqlite';
import { SqliteSystemMessagesRepo } from '../chat/system-messages.sqlite';
import { SqliteLedgerRepo } from '../wallet/ledger.sqlite';
import { SqliteSettlementRepo } from '../wallet/settlement.sqlite';
import { SqliteOrdersRepo } from '../orders/orders.sqlite';
import { SqliteTopicsRepo } from '../topics/topics.sqlite';
import { SqliteUsersRepo } from '../users/users.sqlite';
import { SqlitePaymentsRepo } from '../payments/payments.sqlite';
import { SqliteCallsRepo } from '../calls/calls.sqlite';
import { SqliteAudit } from '../invariants/audit.sqlite';
import type { Logger } from '../log/logger';
import { startCheckpointer } from './checkpointer';
import { openSqlite } from './sqlite';
import type { Store } from './store';

/** `log` hears of a checkpoint worker that fails (see checkpointer.ts). */
export function createSqliteStore(dataDir: string, log?: Logger): Store {
  const db = openSqlite(dataDir);
  const checkpointer = db.memory ? undefined : startCheckpointer(db, { log });
  const topics = new SqliteTopicsRepo(db);
  const orders = new SqliteOrdersRepo(db);
  const ledger = new SqliteLedgerRepo(db);
  return {
    engine: 'sqlite',
    users: new SqliteUsersRepo(db),
    topics,
    orders,
    ledger,
    settlement: new SqliteSettlementRepo(db, { ledger, topics, orders }),
    chat: new SqliteChatRepo(db),
    systemMessages: new SqliteSystemMessagesRepo(db),
    payments: new SqlitePaymentsRepo(db),
    calls: new SqliteCallsRepo(db),
    audit: new SqliteAudit(db),
    async ping() {
      db.prepare('SELECT 1').get();
    },
    async close() {
      // Writes queued for a group commit in this turn are flushed first: acknowledged means stored.
      await new Promise((resolve) => setImmediate(resolve));
      await checkpointer?.stop();
      if (db.open) db.close();
    },
  };
}
