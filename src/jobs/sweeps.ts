// The job sweeps. Each is a set of conditional transitions (orders.tryTransition), so a second
// run, or a second node running at the same time, changes nothing; an item that fails is
// logged, skipped for the rest of this run and retried by the next one.
import type { Config } from '../config';
import type { Store } from '../db/store';
import type { Logger } from '../log/logger';
import { MOVES, type Move } from '../orders/order.rules';
import type { Order, OrderPatch, OrderStatus } from '../orders/order.types';
import type { OrdersService } from '../orders/orders.service';
import type { PaymentsService } from '../payments/payments.service';
import type { WalletService } from '../wallet/wallet.service';

export interface SweepDeps {
  config: Pick<Config, 'ORDER_CONFIRM_TIMEOUT_S' | 'ORDER_PAY_TIMEOUT_S' | 'ORDER_SETTLE_TIMEOUT_S'>;
  store: Store;
  orders: OrdersService;
  wallet: WalletService;
  payments: PaymentsService;
  log: Logger;
  now: () => Date;
}

export interface SweepReport {
  confirmExpired: number;
  payExpired: number;
  settleTimedOut: number;
  settledLeftovers: number;
  /** items that failed and wait for the next sweep */
  failed: number;
}

const BATCH = 100;

/**
 * Calls fn on every item `list` returns, batch by batch. Done items leave the list (their
 * status changed); failed ones stay, so the next batch asks for that many more and skips them.
 */
async function drain(list: (limit: number) => Promise<Order[]>, fn: (o: Order) => Promise<boolean>, log: Logger, job: string) {
  const failed = new Set<string>();
  let done = 0;
  for (;;) {
    const limit = BATCH + failed.size;
    const batch = await list(limit);
    const todo = batch.filter((o) => !failed.has(o.o_id));
    for (const o of todo) {
      try {
        if (await fn(o)) done++;
      } catch (err) {
        failed.add(o.o_id);
        log.error({ err, o_id: o.o_id, job }, 'sweep: item failed; retried next sweep');
      }
    }
    if (batch.length < limit || todo.length === 0) return { done, failed: failed.size };
  }
}

/** Moves every order in `status` whose statusAt is older than timeoutS (open appeals are skipped by listDue). */
function expire(d: SweepDeps, job: string, status: OrderStatus, move: Move, timeoutS: number, patch: OrderPatch = {}) {
  const before = new Date(d.now().getTime() - timeoutS * 1000);
  return drain(
    (limit) => d.store.orders.listDue(status, before, limit),
    async (o) => (await d.orders.tryTransition(o.o_id, move, patch)) !== null,
    d.log,
    job,
  );
}

/** Settles the finished orders whose settlement a crash left incomplete. */
export function settleLeftovers(d: Pick<SweepDeps, 'store' | 'wallet' | 'log'>) {
  return drain((limit) => d.store.orders.listUnsettled(limit), (o) => d.wallet.settle(o), d.log, 'settle_leftovers');
}

/** One run of every job; each job's failure is contained, so the others still run. */
export async function runSweeps(d: SweepDeps): Promise<SweepReport> {
  const report: SweepReport = { confirmExpired: 0, payExpired: 0, settleTimedOut: 0, settledLeftovers: 0, failed: 0 };
  const job = async (name: string, fn: () => Promise<{ done: number; failed: number }>, key?: keyof SweepReport) => {
    try {
      const r = await fn();
      if (key) report[key] += r.done;
      report.failed += r.failed;
    } catch (err) {
      report.failed++;
      d.log.error({ err, job: name }, 'sweep: job failed; retried next sweep');
    }
  };
  const { config: c } = d;
  // A canceled order's `reason` says why, whoever canceled it: here the event's key.
  await job('confirm_expiry', () => expire(d, 'confirm_expiry', 'pending', MOVES.confirmExpire, c.ORDER_CONFIRM_TIMEOUT_S, { canceledBy: 'system', reason: MOVES.confirmExpire.key }), 'confirmExpired');
  await job('pay_expiry', () => expire(d, 'pay_expiry', 'confirmed', MOVES.payExpire, c.ORDER_PAY_TIMEOUT_S, { canceledBy: 'system', reason: MOVES.payExpire.key }), 'payExpired');
  // finished → the settlement listener credits the expert (once, by the ledger's unique key).
  await job('settle_timeout', () => expire(d, 'settle_timeout', 'toBeFinished', MOVES.settleTimeout, c.ORDER_SETTLE_TIMEOUT_S), 'settleTimedOut');
  await job('settle_leftovers', () => settleLeftovers(d), 'settledLeftovers');
  // Half-applied payments, failed and stuck refunds.
  await job('payments', async () => ({ done: 0, failed: await d.payments.sweep() }));
  // Refunds that cancels owe and no process has started (a crash right after the cancel); marks
  // the orders whose refunds the step above completed.
  await job('refunds_owed', async () => ({ done: 0, failed: await d.payments.owed.sweep() }));
  return report;
}
