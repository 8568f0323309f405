import type { Payment, PaymentStatus } from './payment.types';

export interface PaymentSweepFilter {
  statuses: PaymentStatus[];
  /** only payments not yet closed */
  openOnly?: boolean;
  /** only payments last changed before this */
  updatedBefore?: Date;
  /** cursor: pay_id greater than this (ids sort by creation) */
  after?: string;
  limit: number;
}

export interface PaymentsRepo {
  insert(p: Payment): Promise<void>;
  get(pay_id: string): Promise<Payment | null>;
  getByChargeId(charge_id: string): Promise<Payment | null>;
  listByOrder(o_id: string): Promise<Payment[]>;
  /**
   * One conditional update: applies `set` only while the status is one of `from` (and, when
   * given, updatedAt still equals `expectUpdatedAt`). Of racing callers exactly one wins;
   * returns the changed payment or null.
   */
  update(pay_id: string, from: PaymentStatus[], set: Partial<Payment>, expectUpdatedAt?: Date): Promise<Payment | null>;
  /**
   * Marks the payment as the one that paid its order. False when another payment of the same
   * order already holds that mark (a unique index decides, so two racing payments cannot both).
   */
  keep(pay_id: string): Promise<boolean>;
  /** Payments for the job sweeps, by pay_id ascending. */
  listForSweep(f: PaymentSweepFilter): Promise<Payment[]>;
}
