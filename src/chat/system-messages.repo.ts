// Stored system-message definitions (docs/system-messages.md): the texts each side sees for
// a key. Times are epoch milliseconds; dtime 0 means live.
export interface SystemMessageDef {
  id: string;
  key: string;
  buyer: string;
  seller: string;
  admin: string;
  ctime: number;
  utime: number;
  dtime: number;
}

export type DefFields = Pick<SystemMessageDef, 'key' | 'buyer' | 'seller' | 'admin'>;

/** The outcome of a write that a live definition with the same key may refuse. */
export type DefWrite = { ok: true; def: SystemMessageDef } | { ok: false; reason: 'duplicate' | 'missing' };

export interface SystemMessagesRepo {
  /** Live definitions by key. */
  list(skip: number, limit: number): Promise<{ list: SystemMessageDef[]; total: number }>;
  /** A live definition, or null (unknown or deleted). */
  get(id: string): Promise<SystemMessageDef | null>;
  listLive(keys: string[]): Promise<SystemMessageDef[]>;
  /** Refused as 'duplicate' while a live definition has the key. */
  create(def: SystemMessageDef): Promise<DefWrite>;
  /** Sets the fields of a live definition and `utime`. */
  update(id: string, fields: Partial<DefFields>, utime: number): Promise<DefWrite>;
  /** Sets dtime on a live definition; false when there is none. */
  softDelete(id: string, dtime: number): Promise<boolean>;
  /** Inserts the definition only when no definition (live or deleted) has its key: start-up defaults. */
  insertIfKeyAbsent(def: SystemMessageDef): Promise<boolean>;
}
