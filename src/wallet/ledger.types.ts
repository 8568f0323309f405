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
