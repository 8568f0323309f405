import type { Order } from '../orders/order.types';
import type { LedgerEntry } from './ledger.types';

/** The steps of a settlement, in the order they run. */
export const SETTLE_STEPS = ['credit', 'count', 'mark'] as const;
export type SettleStep = (typeof SETTLE_STEPS)[number];

export interface SettleOutcome {
  /** this call inserted the ledger credit */
  credited: boolean;
  /** the order as this call marked it settled; null when another call (or an earlier run) had */
  settled: Order | null;
}

/**
 * The settlement of a finished order as one unit keyed by the order: the ledger credit of its
 * price to the expert, the topic's finish_count and rating, and the order's settledAt. Safe to
 * repeat and to interrupt after any step: a rerun completes what is missing and repeats
 * nothing. The unit is complete exactly when settledAt is set, so listUnsettled finds every
 * order whose unit did not complete.
 */
export interface SettlementRepo {
  /**
   * `afterStep` is a crash point for tests: a throw from it stops the unit there, as a crash
   * of the process would.
   */
  settle(order: Order, entry: LedgerEntry, now: Date, afterStep?: (step: SettleStep) => void): Promise<SettleOutcome>;
}
