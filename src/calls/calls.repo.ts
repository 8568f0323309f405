import type { Call, CallRowStatus } from './call.types';

export interface CallsRepo {
  /** False when the order already has an active call (a unique index decides). */
  insert(call: Call): Promise<boolean>;
  get(id: string): Promise<Call | null>;
  getByCallSid(callSid: string): Promise<Call | null>;
  getActive(o_id: string): Promise<Call | null>;
  /** An order's calls, oldest first, at most `limit` (the customer-service console's order view). */
  listByOrder(o_id: string, limit: number): Promise<Call[]>;
  /** Applies `set` only while the status is one of `from`; returns the changed call or null. */
  update(id: string, from: CallRowStatus[], set: Partial<Call>): Promise<Call | null>;
}
