import type { LedgerEntry } from './ledger.types';

export interface LedgerRepo {
  /** Inserts the entry unless its key exists; true when this call inserted it. */
  credit(entry: LedgerEntry): Promise<boolean>;
  balance(userID: string): Promise<number>;
  list(userID: string, skip: number, limit: number): Promise<LedgerEntry[]>;
}
