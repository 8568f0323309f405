// Group commit for the embedded store. A commit is the expensive part of a small write (the
// write lock, a WAL append of every touched page, now and then a checkpoint), so writes that
// arrive in the same turn of the event loop are applied in ONE BEGIN IMMEDIATE transaction,
// each inside its own savepoint: one failing write rolls back alone and rejects alone, the
// others commit. Nobody's promise resolves before the commit that holds its write, so an
// acknowledgement still means "stored".
import type Database from 'better-sqlite3';
import type { Sqlite } from './sqlite';

interface Pending<I, O> {
  input: I;
  resolve: (out: O) => void;
  reject: (err: unknown) => void;
}

type Outcome<O> = { ok: true; value: O } | { ok: false; error: unknown };

export class GroupCommit<I, O> {
  private queue: Pending<I, O>[] = [];
  private readonly one: (input: I) => O;
  private readonly all: Database.Transaction<(items: Pending<I, O>[]) => Outcome<O>[]>;

  /** `apply` runs synchronously inside the transaction; it may read what earlier writes of the group wrote. */
  constructor(db: Sqlite, apply: (input: I) => O) {
    // Called inside an open transaction, a better-sqlite3 transaction function is a savepoint.
    this.one = db.transaction(apply);
    this.all = db.transaction((items: Pending<I, O>[]): Outcome<O>[] => {
      // Alone in its group, a write needs no savepoint: if it throws, the whole transaction
      // rolls back and flush() rejects it.
      if (items.length === 1) return [{ ok: true, value: apply(items[0].input) }];
      return items.map((p): Outcome<O> => {
        try {
          return { ok: true, value: this.one(p.input) };
        } catch (error) {
          return { ok: false, error };
        }
      });
    });
  }

  submit(input: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      // setImmediate runs after the I/O callbacks of this turn: every socket read in it has queued its write.
      if (this.queue.length === 0) setImmediate(() => this.flush());
      this.queue.push({ input, resolve, reject });
    });
  }

  private flush() {
    const items = this.queue;
    this.queue = [];
    let outcomes: Outcome<O>[];
    try {
      outcomes = this.all.immediate(items);
    } catch (err) {
      // The lock could not be had or the commit failed: nothing of the group was stored.
      for (const p of items) p.reject(err);
      return;
    }
    outcomes.forEach((o, i) => (o.ok ? items[i].resolve(o.value) : items[i].reject(o.error)));
  }
}
