// The embedded store's schema, as an ordered list: a migration is never edited once
// shipped; a change is a new entry. Each domain's tables are named after the domain.
export interface Migration {
  version: number;
  sql: string;
}

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE users (
        userID TEXT PRIMARY KEY, nick TEXT NOT NULL, name TEXT NOT NULL, avatar TEXT NOT NULL,
        title TEXT NOT NULL, phone TEXT NOT NULL, updatedAt INTEGER NOT NULL);

      CREATE TABLE topics (
        topic_id TEXT PRIMARY KEY, expert_id TEXT NOT NULL, title TEXT NOT NULL, category TEXT NOT NULL,
        price INTEGER NOT NULL, finish_count INTEGER NOT NULL, rating_sum INTEGER NOT NULL,
        rating_count INTEGER NOT NULL, createdAt INTEGER NOT NULL);
      CREATE INDEX topics_expert ON topics(expert_id);

      CREATE TABLE orders (
        o_id TEXT PRIMARY KEY, userID TEXT NOT NULL, expert_id TEXT NOT NULL, topic_id TEXT NOT NULL,
        question TEXT NOT NULL, self_desc TEXT NOT NULL, status TEXT NOT NULL, price INTEGER NOT NULL,
        type TEXT NOT NULL, comment TEXT NOT NULL, rating INTEGER NOT NULL, called INTEGER NOT NULL,
        createdAt INTEGER NOT NULL, updatedAt INTEGER NOT NULL, statusAt INTEGER NOT NULL,
        confirmAt INTEGER, rejectAt INTEGER, payAt INTEGER, finishAt INTEGER, completeAt INTEGER,
        cancelAt INTEGER, commentAt INTEGER, settledAt INTEGER,
        reason TEXT NOT NULL, canceledBy TEXT, appeal TEXT, appealed INTEGER NOT NULL DEFAULT 0,
        client TEXT NOT NULL, platform TEXT NOT NULL, channel TEXT NOT NULL);
      CREATE INDEX orders_buyer ON orders(userID, createdAt DESC);
      CREATE INDEX orders_expert ON orders(expert_id, createdAt DESC);
      CREATE INDEX orders_due ON orders(status, statusAt);
      CREATE INDEX orders_topic_comments ON orders(topic_id, commentAt DESC) WHERE commentAt IS NOT NULL;
      CREATE INDEX orders_expert_comments ON orders(expert_id, commentAt DESC) WHERE commentAt IS NOT NULL;
      CREATE INDEX orders_unsettled ON orders(status) WHERE status = 'finished' AND settledAt IS NULL;
      CREATE INDEX orders_admin ON orders(createdAt DESC);

      CREATE TABLE ledger (
        id TEXT PRIMARY KEY, userID TEXT NOT NULL, key TEXT NOT NULL UNIQUE, o_id TEXT,
        amount INTEGER NOT NULL, kind TEXT NOT NULL, createdAt INTEGER NOT NULL);
      CREATE INDEX ledger_user ON ledger(userID, createdAt DESC);
    `,
  },
];
