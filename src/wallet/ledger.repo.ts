export interface LedgerEntry {
  id: string;
  userID: string;
  /** unique: the same key twice credits once (e.g. `settle:<o_id>`) */
  key: string;
  o_id: string | null;
  /** fen; positive is income */
  amount: number;
  kind: 'settle' | 'refund' | 'adjust';
  createdAt: Date;
}

export interface LedgerRepo {
  /** Inserts the entry unless its key exists; true when this call inserted it. */
  credit(entry: LedgerEntry): Promise<boolean>;
  balance(userID: string): Promise<number>;
  list(userID: string, skip: number, limit: number): Promise<LedgerEntry[]>;
  byKey(key: string): Promise<LedgerEntry | null>;
}
