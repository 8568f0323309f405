// The embedded store's schema, as an ordered list: a migration is never edited once
// shipped; a change is a new entry. Each domain's tables are named after the domain.
interface Migration {
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
  {
    // The order chat: a counter per order, messages keyed by (o_id, seq), a read cursor per
    // party, and the editable system-message definitions (docs/system-messages.md).
    version: 2,
    sql: `
      CREATE TABLE chat_rooms (
        o_id TEXT PRIMARY KEY, buyer TEXT NOT NULL, seller TEXT NOT NULL, last_seq INTEGER NOT NULL);

      CREATE TABLE messages (
        msgid TEXT PRIMARY KEY, o_id TEXT NOT NULL, seq INTEGER NOT NULL, from_id TEXT NOT NULL,
        to_id TEXT NOT NULL, type TEXT NOT NULL, content TEXT NOT NULL, client_id TEXT,
        createdAt INTEGER NOT NULL,
        UNIQUE (o_id, seq), UNIQUE (o_id, from_id, client_id));

      CREATE TABLE chat_members (
        o_id TEXT NOT NULL, userID TEXT NOT NULL, role TEXT NOT NULL, read_seq INTEGER NOT NULL,
        last_seq INTEGER NOT NULL, unread INTEGER NOT NULL, PRIMARY KEY (o_id, userID));
      -- Only chats with something unread are in it: unread numbers cost what is unread.
      CREATE INDEX chat_members_unread ON chat_members(userID, o_id) WHERE unread > 0;

      CREATE TABLE system_messages (
        id TEXT PRIMARY KEY, key TEXT NOT NULL, buyer TEXT NOT NULL, seller TEXT NOT NULL,
        admin TEXT NOT NULL, ctime INTEGER NOT NULL, utime INTEGER NOT NULL, dtime INTEGER NOT NULL DEFAULT 0);
      -- One live definition per key; soft-deleted ones (dtime > 0) may repeat.
      CREATE UNIQUE INDEX system_messages_live_key ON system_messages(key) WHERE dtime = 0;
      CREATE INDEX system_messages_key ON system_messages(key);
    `,
  },
  {
    // Payments and calls. A payment's charge_id is unique (a confirmation finds one row); at
    // most one payment per order is `kept` (the one that paid it); an order has at most one
    // active call.
    version: 3,
    sql: `
      CREATE TABLE payments (
        pay_id TEXT PRIMARY KEY, o_id TEXT NOT NULL, userID TEXT NOT NULL, provider TEXT NOT NULL,
        channel TEXT NOT NULL, amount INTEGER NOT NULL, currency TEXT NOT NULL, charge_id TEXT UNIQUE,
        status TEXT NOT NULL, charge TEXT, kept INTEGER NOT NULL DEFAULT 0,
        createdAt INTEGER NOT NULL, updatedAt INTEGER NOT NULL, paidAt INTEGER, closedAt INTEGER,
        refundedAt INTEGER, refund_id TEXT, refundAttempts INTEGER NOT NULL DEFAULT 0, error TEXT NOT NULL DEFAULT '');
      CREATE INDEX payments_order ON payments(o_id);
      CREATE UNIQUE INDEX payments_kept ON payments(o_id) WHERE kept = 1;
      CREATE INDEX payments_sweep ON payments(status, pay_id);

      CREATE TABLE calls (
        id TEXT PRIMARY KEY, callSid TEXT UNIQUE, o_id TEXT NOT NULL, provider TEXT NOT NULL,
        fromUser TEXT NOT NULL, toUser TEXT NOT NULL, status TEXT NOT NULL, active INTEGER NOT NULL,
        duration INTEGER NOT NULL DEFAULT 0, error TEXT NOT NULL DEFAULT '',
        createdAt INTEGER NOT NULL, updatedAt INTEGER NOT NULL, endedAt INTEGER);
      CREATE UNIQUE INDEX calls_active ON calls(o_id) WHERE active = 1;
    `,
  },
  {
    // The unread index carries the count itself, so a user's unread numbers (unreadnum, and
    // the total in every `unread` push) are read from the index alone, without a row per chat.
    version: 4,
    sql: `
      CREATE INDEX chat_members_unread_counts ON chat_members(userID, o_id, unread) WHERE unread > 0;
      DROP INDEX chat_members_unread;
    `,
  },
  {
    // A chat's seq counter is the last_seq its member rows carry (updated with every message
    // anyway): a copy on the room would be one more page written per message.
    version: 5,
    sql: `
      ALTER TABLE chat_rooms DROP COLUMN last_seq;
    `,
  },
  {
    // The order lists walk these in their own order (newest first, o_id breaking ties) and
    // find every listed column in the index: no sort of a user's orders by o_id, and no
    // table row read for an order a status filter or an offset skips.
    version: 6,
    sql: `
      CREATE INDEX orders_buyer_list ON orders(userID, createdAt DESC, o_id DESC, status, expert_id, topic_id, rating);
      CREATE INDEX orders_expert_list ON orders(expert_id, createdAt DESC, o_id DESC, status, userID, topic_id, rating);
      DROP INDEX orders_buyer;
      DROP INDEX orders_expert;
    `,
  },
  {
    // Profiles and topics are always found by their key (the order lists join ten of each per
    // page). In a rowid table that is two B-tree searches, the key's index and then the row;
    // clustered on the key it is one. Their rows are small, as WITHOUT ROWID wants.
    version: 7,
    sql: `
      CREATE TABLE users_by_id (
        userID TEXT PRIMARY KEY, nick TEXT NOT NULL, name TEXT NOT NULL, avatar TEXT NOT NULL,
        title TEXT NOT NULL, phone TEXT NOT NULL, updatedAt INTEGER NOT NULL) WITHOUT ROWID;
      INSERT INTO users_by_id SELECT userID, nick, name, avatar, title, phone, updatedAt FROM users;
      DROP TABLE users;
      ALTER TABLE users_by_id RENAME TO users;

      CREATE TABLE topics_by_id (
        topic_id TEXT PRIMARY KEY, expert_id TEXT NOT NULL, title TEXT NOT NULL, category TEXT NOT NULL,
        price INTEGER NOT NULL, finish_count INTEGER NOT NULL, rating_sum INTEGER NOT NULL,
        rating_count INTEGER NOT NULL, createdAt INTEGER NOT NULL) WITHOUT ROWID;
      INSERT INTO topics_by_id SELECT topic_id, expert_id, title, category, price, finish_count, rating_sum, rating_count, createdAt FROM topics;
      DROP TABLE topics;
      ALTER TABLE topics_by_id RENAME TO topics;
      CREATE INDEX topics_expert ON topics(expert_id);
    `,
  },
  {
    // Counts of changes to a user's orders (as buyer or expert) and to any topic or profile
    // ('*'), kept by triggers. Nothing reads them: migration 9 drops them.
    version: 8,
    sql: `
      CREATE TABLE list_versions (k TEXT PRIMARY KEY, v INTEGER NOT NULL) WITHOUT ROWID;
      ${bumpTrigger('orders_list_insert', 'INSERT ON orders', ['NEW.userID', 'NEW.expert_id'])}
      ${bumpTrigger('orders_list_update', 'UPDATE OF userID, expert_id, topic_id, status, rating, createdAt ON orders', ['OLD.userID', 'OLD.expert_id'])}
      ${bumpTrigger('orders_list_move', 'UPDATE OF userID, expert_id ON orders WHEN NEW.userID IS NOT OLD.userID OR NEW.expert_id IS NOT OLD.expert_id', ['NEW.userID', 'NEW.expert_id'])}
      ${bumpTrigger('orders_list_delete', 'DELETE ON orders', ['OLD.userID', 'OLD.expert_id'])}
      ${bumpTrigger('topics_list_insert', 'INSERT ON topics', ["'*'"])}
      ${bumpTrigger('topics_list_update', 'UPDATE OF topic_id, title, category, finish_count ON topics', ["'*'"])}
      ${bumpTrigger('topics_list_delete', 'DELETE ON topics', ["'*'"])}
      ${bumpTrigger('users_list_insert', 'INSERT ON users', ["'*'"])}
      ${bumpTrigger('users_list_update', 'UPDATE OF userID, nick, name, avatar, title ON users', ["'*'"])}
      ${bumpTrigger('users_list_delete', 'DELETE ON users', ["'*'"])}
    `,
  },
  {
    // Every order list is read from the tables as it is asked for; no process keeps pages,
    // so the change counts and the triggers that wrote them on every order write go.
    version: 9,
    sql: `
      DROP TRIGGER orders_list_insert;
      DROP TRIGGER orders_list_update;
      DROP TRIGGER orders_list_move;
      DROP TRIGGER orders_list_delete;
      DROP TRIGGER topics_list_insert;
      DROP TRIGGER topics_list_update;
      DROP TRIGGER topics_list_delete;
      DROP TRIGGER users_list_insert;
      DROP TRIGGER users_list_update;
      DROP TRIGGER users_list_delete;
      DROP TABLE list_versions;
    `,
  },
  {
    // A refund the staff cancel of a paid order owes, written with the status (orders.service.ts);
    // the refunds-owed sweep reads the orders that still owe one from the partial index.
    version: 10,
    sql: `
      ALTER TABLE orders ADD COLUMN refund TEXT;
      CREATE INDEX orders_refund_owed ON orders(o_id) WHERE refund = 'owed';
    `,
  },
  {
    // An order's calls, for the customer-service console's order view.
    version: 11,
    sql: `
      CREATE INDEX calls_order ON calls(o_id, createdAt);
    `,
  },
];

/**
 * A trigger adding one to the list version of each key (a user's id, or '*'). Part of
 * migration 8's text: a change here is a change to a shipped migration.
 */
function bumpTrigger(name: string, event: string, keys: string[]) {
  const bumps = keys.map((k) => `INSERT INTO list_versions (k, v) VALUES (${k}, 1) ON CONFLICT (k) DO UPDATE SET v = v + 1;`).join(' ');
  return `CREATE TRIGGER ${name} AFTER ${event} BEGIN ${bumps} END;`;
}
