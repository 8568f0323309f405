import { SqliteLedgerRepo } from '../wallet/ledger.sqlite';
import { SqliteOrdersRepo } from '../orders/orders.sqlite';
import { SqliteTopicsRepo } from '../topics/topics.sqlite';
import { SqliteUsersRepo } from '../users/users.sqlite';
import { openSqlite } from './sqlite';
import type { Store } from './store';

export function createSqliteStore(dataDir: string): Store {
  const db = openSqlite(dataDir);
  return {
    engine: 'sqlite',
    users: new SqliteUsersRepo(db),
    topics: new SqliteTopicsRepo(db),
    orders: new SqliteOrdersRepo(db),
    ledger: new SqliteLedgerRepo(db),
    async ping() {
      db.prepare('SELECT 1').get();
    },
    async close() {
      if (db.open) db.close();
    },
  };
}
