// Group commit for the embedded store. A commit is the expensive part of a small write (the
// write lock, a WAL append of every touched page, now and then a checkpoint), so writes that
// arrive in the same turn of the event loop are applied in ONE BEGIN IMMEDIATE transaction,
// each inside its own savepoint: one failing write rolls back alone and rejects alone, the
// others commit. Nobody's promise resolves before the commit that holds its write, so an
// acknowledgement still means "stored".
//
// When another process holds the write lock (a second web node, the clock), SQLite's busy
// handler would wait for it by sleeping on this thread, in growing steps, with every socket
// of the process stalled. Instead the group asks for the lock without waiting
// and, refused, tries again from the event loop: the process keeps serving, and writes that
// arrive meanwhile join the group. The same overall limit applies (the connection's
// busy_timeout), after which the group is rejected as SQLite would have rejected it.
import type Database from 'better-sqlite3';
import type { Sqlite } from './sqlite';

interface Pending<I, O> {
  input: I;
  resolve: (out: O) => void;
  reject: (err: unknown) => void;
}

type Outcome<O> = { ok: true; value: O } | { ok: false; error: unknown };

/** Retries of a refused BEGIN: the first few on the next turn, then on a 1 ms timer. */
const IMMEDIATE_RETRIES = 8;

export class GroupCommit<I, O> {
  private queue: Pending<I, O>[] = [];
  private scheduled = false;
  /** when the oldest write waiting for the lock was first refused it (ms), or 0 */
  private waitingSince = 0;
  private retries = 0;
  private readonly apply: (input: I) => O;
  private readonly one: (input: I) => O;
  private readonly s: Record<'begin' | 'commit' | 'rollback', Database.Statement>;
  private readonly busyTimeoutMs: number;
  private readonly restoreTimeout: string;

  /** `apply` runs synchronously inside the transaction; it may read what earlier writes of the group wrote. */
  constructor(
    private db: Sqlite,
    apply: (input: I) => O,
  ) {
    this.apply = apply;
    // Called inside an open transaction, a better-sqlite3 transaction function is a savepoint.
    this.one = db.transaction(apply);
    this.busyTimeoutMs = db.pragma('busy_timeout', { simple: true }) as number;
    this.restoreTimeout = `PRAGMA busy_timeout = ${this.busyTimeoutMs}`;
    this.s = {
      begin: db.prepare('BEGIN IMMEDIATE'),
      commit: db.prepare('COMMIT'),
      rollback: db.prepare('ROLLBACK'),
    };
  }

  submit(input: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ input, resolve, reject });
      // setImmediate runs after the I/O callbacks of this turn: every socket read in it has queued its write.
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush() {
    this.scheduled = false;
    if (this.queue.length === 0) return;
    if (this.db.inTransaction) return this.joinOpenTransaction();
    const lock = this.lock();
    if (lock === 'busy') return this.retryLater();
    const items = this.queue;
    this.queue = [];
    this.waitingSince = 0;
    this.retries = 0;
    if (lock !== 'ok') {
      for (const p of items) p.reject(lock.error);
      return;
    }
    let outcomes: Outcome<O>[];
    try {
      outcomes = this.applyAll(items);
      this.s.commit.run();
    } catch (err) {
      // A lone write that threw, or a failed commit: nothing of the group was stored.
      if (this.db.inTransaction) this.s.rollback.run();
      for (const p of items) p.reject(err);
      return;
    }
    settle(items, outcomes);
  }

  /**
   * A caller holds a transaction open across turns (a batch import): the group's writes go
   * into it, each in its own savepoint, and are stored when the caller commits.
   */
  private joinOpenTransaction() {
    const items = this.queue;
    this.queue = [];
    settle(items, this.applyEach(items));
  }

  /** BEGIN IMMEDIATE without waiting: 'busy' while another connection writes and time is left. */
  private lock(): 'ok' | 'busy' | { error: unknown } {
    // SQLite applies `PRAGMA busy_timeout` when the statement is compiled, so a prepared
    // copy rerun does nothing: it is compiled each time, by exec() rather than pragma(),
    // which also makes a statement object and a result array (garbage per chat message).
    this.db.exec('PRAGMA busy_timeout = 0');
    try {
      this.s.begin.run();
      return 'ok';
    } catch (error) {
      const now = Date.now();
      this.waitingSince ||= now;
      if ((error as { code?: string }).code === 'SQLITE_BUSY' && now - this.waitingSince < this.busyTimeoutMs) return 'busy';
      return { error };
    } finally {
      this.db.exec(this.restoreTimeout);
    }
  }

  private retryLater() {
    this.scheduled = true;
    const retry = () => this.flush();
    if (this.retries++ < IMMEDIATE_RETRIES) setImmediate(retry);
    else setTimeout(retry, 1);
  }

  /** Alone in its group, a write needs no savepoint: if it throws, the transaction rolls back. */
  private applyAll(items: Pending<I, O>[]): Outcome<O>[] {
    if (items.length === 1) return [{ ok: true, value: this.apply(items[0].input) }];
    return this.applyEach(items);
  }

  /** Each write in its own savepoint: one that throws rolls back alone. */
  private applyEach(items: Pending<I, O>[]): Outcome<O>[] {
    return items.map((p): Outcome<O> => {
      try {
        return { ok: true, value: this.one(p.input) };
      } catch (error) {
        return { ok: false, error };
      }
    });
  }
}

function settle<I, O>(items: Pending<I, O>[], outcomes: Outcome<O>[]) {
  outcomes.forEach((o, i) => (o.ok ? items[i].resolve(o.value) : items[i].reject(o.error)));
}
