// The store's invariants, checked on any store (either engine) from what it holds: money
// moved once and adds up, payments and refunds match their orders, chats are whole and their
// unread numbers right. `npm run check-invariants` (cli.ts) runs them against the store the
// server's environment names; the fault tests end with them.
import type { Store } from '../db/store';
import { PAID_STATUSES } from '../orders/order.types';
import { REFUND_STARTED_STATUSES } from '../payments/payment.types';
import type { LedgerFact, OrderFact, PaymentFact } from './audit';

const CHECKS = ['credit', 'wallet', 'payment', 'refund', 'chat_seq', 'unread', 'topic'] as const;
type CheckName = (typeof CHECKS)[number];

interface Violation {
  check: CheckName;
  /** what is wrong: an order, a user, a topic (`kind id`) */
  subject: string;
  message: string;
}

interface InvariantReport {
  violations: Violation[];
  /** how many rows of each kind were read */
  checked: { orders: number; ledger: number; payments: number; topics: number; chats: number; members: number };
}

function groupBy<T>(rows: T[], key: (r: T) => string | null): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const r of rows) {
    const k = key(r);
    if (k === null) continue;
    const list = m.get(k);
    if (list) list.push(r);
    else m.set(k, [r]);
  }
  return m;
}

export async function checkInvariants(store: Store): Promise<InvariantReport> {
  const a = store.audit;
  const [orders, ledger, payments, topics, seqs, members] = await Promise.all([a.orders(), a.ledger(), a.payments(), a.topics(), a.chatSeqs(), a.chatMembers()]);
  const out: Violation[] = [];
  const report = (check: CheckName, subject: string, message: string) => out.push({ check, subject, message });

  const orderById = new Map(orders.map((o) => [o.o_id, o]));
  const finished = orders.filter((o) => o.status === 'finished');
  checkCredits(finished, orderById, ledger, report);
  await checkWallets(store, finished, ledger, report);
  checkPayments(orders, groupBy(payments, (p) => p.o_id), report);

  // Topic counters: what its finished orders make them (moved by the same settlement).
  const finishedByTopic = groupBy(finished, (o) => o.topic_id);
  for (const t of topics) {
    const of = finishedByTopic.get(t.topic_id) ?? [];
    const want = { finish_count: of.length, rating_sum: of.reduce((s, o) => s + o.rating, 0), rating_count: of.filter((o) => o.rating > 0).length };
    const have = { finish_count: t.finish_count, rating_sum: t.rating_sum, rating_count: t.rating_count };
    if (JSON.stringify(want) !== JSON.stringify(have)) report('topic', `topic ${t.topic_id}`, `counters ${JSON.stringify(have)}, its finished orders make ${JSON.stringify(want)}`);
  }

  // Chats: seqs 1..n, and each party's unread = last_seq - read_seq, its last_seq the chat's last.
  const lastSeq = new Map<string, number>();
  for (const c of seqs) {
    lastSeq.set(c.o_id, c.max);
    if (c.min !== 1 || c.max !== c.count || c.distinct !== c.count) {
      report('chat_seq', `chat ${c.o_id}`, `seqs are not 1..n: ${c.count} messages, ${c.distinct} distinct seqs, from ${c.min} to ${c.max}`);
    }
  }
  for (const m of members) {
    const subject = `chat ${m.o_id} member ${m.userID}`;
    if (m.unread !== m.last_seq - m.read_seq) report('unread', subject, `unread ${m.unread}, but last_seq ${m.last_seq} - read_seq ${m.read_seq} = ${m.last_seq - m.read_seq}`);
    const last = lastSeq.get(m.o_id) ?? 0;
    if (m.last_seq !== last || m.read_seq > m.last_seq || m.read_seq < 0) report('unread', subject, `last_seq ${m.last_seq}, read_seq ${m.read_seq}; the chat's last message is seq ${last}`);
  }

  return {
    violations: out,
    checked: { orders: orders.length, ledger: ledger.length, payments: payments.length, topics: topics.length, chats: seqs.length, members: members.length },
  };
}

type Report = (check: CheckName, subject: string, message: string) => void;

/** Each finished order credited exactly once, its price to its expert; no credit for any other order. */
function checkCredits(finished: OrderFact[], orderById: Map<string, OrderFact>, ledger: LedgerFact[], report: Report) {
  const credits = groupBy(
    ledger.filter((e) => e.kind === 'settle'),
    (e) => e.o_id ?? `(no order: ${e.key})`,
  );
  for (const o of finished) {
    const got = credits.get(o.o_id) ?? [];
    const subject = `order ${o.o_id}`;
    if (got.length !== 1) report('credit', subject, `finished, credited ${got.length} times (keys: ${got.map((e) => e.key).join(', ') || 'none'})`);
    else if (got[0].amount !== o.price || got[0].userID !== o.expert_id) report('credit', subject, `credited ${got[0].amount} to ${got[0].userID}; its price is ${o.price}, its expert ${o.expert_id}`);
    if (!o.settledAt) report('credit', subject, 'finished, but its settlement is not complete (settledAt unset)');
  }
  for (const [o_id, entries] of credits) {
    const o = orderById.get(o_id);
    if (o?.status !== 'finished') report('credit', `order ${o_id}`, `credited (${entries.map((e) => e.key).join(', ')}) but ${o ? `its status is ${o.status}` : 'no such order'}`);
  }
}

/** Each wallet: the balance the API shows = the sum of its ledger = the prices of its finished orders. */
async function checkWallets(store: Store, finished: OrderFact[], ledger: LedgerFact[], report: Report) {
  const ledgerSum = new Map<string, number>();
  const earned = new Map<string, number>();
  for (const e of ledger) ledgerSum.set(e.userID, (ledgerSum.get(e.userID) ?? 0) + e.amount);
  for (const o of finished) earned.set(o.expert_id, (earned.get(o.expert_id) ?? 0) + o.price);
  for (const userID of new Set([...ledgerSum.keys(), ...earned.keys()])) {
    const [sum, prices, balance] = [ledgerSum.get(userID) ?? 0, earned.get(userID) ?? 0, await store.ledger.balance(userID)];
    if (balance !== sum || sum !== prices) report('wallet', `user ${userID}`, `balance ${balance}, ledger sum ${sum}, finished orders' prices ${prices}`);
  }
}

/** Each paid order has exactly one succeeded payment; each order canceled after payment has its refund, done or owed. */
function checkPayments(orders: OrderFact[], byOrder: Map<string, PaymentFact[]>, report: Report) {
  for (const o of orders) {
    const ps = byOrder.get(o.o_id) ?? [];
    const subject = `order ${o.o_id}`;
    if (PAID_STATUSES.includes(o.status)) {
      const paid = ps.filter((p) => p.status === 'paid');
      if (paid.length !== 1 || !paid[0].kept) report('payment', subject, `${o.status}, with ${paid.length} succeeded payments${paid.length === 1 ? ' (not the kept one)' : ''}`);
    }
    if (o.status === 'canceled' && o.payAt) {
      const kept = ps.find((p) => p.kept);
      if (!kept) report('refund', subject, 'canceled after payment, but no payment paid it');
      else if (kept.status === 'paid' && o.refund !== 'owed') report('refund', subject, `canceled after payment; payment ${kept.pay_id} still holds the money and no refund is owed`);
      else if (kept.status !== 'paid' && !REFUND_STARTED_STATUSES.includes(kept.status)) report('refund', subject, `canceled after payment; payment ${kept.pay_id} is ${kept.status}`);
      else if (o.refund === 'refunded' && kept.status !== 'refunded') report('refund', subject, `marked refunded, but payment ${kept.pay_id} is ${kept.status}`);
    }
  }
}
