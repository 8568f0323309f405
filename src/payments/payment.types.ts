import type { Charge, PayChannel } from './provider';

/**
 * pending: charge created, not paid yet; canceled: the client reported a cancel (a late
 * provider confirmation still wins); paid: the provider confirmed; refunding → refunded or
 * refund_failed (retried by the job sweep).
 */
export const PAYMENT_STATUSES = ['pending', 'paid', 'canceled', 'refunding', 'refunded', 'refund_failed'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/** Not paid yet: a provider's confirmation still pays a payment in these statuses. */
export const UNPAID_PAYMENT_STATUSES: PaymentStatus[] = ['pending', 'canceled'];
/** A refund has started on a payment in these statuses: it is being, or has been, given back. */
export const REFUND_STARTED_STATUSES: PaymentStatus[] = ['refunding', 'refunded', 'refund_failed'];

export interface Payment {
  pay_id: string;
  o_id: string;
  /** the buyer who pays */
  userID: string;
  /** `free`: a price-0 order, paid without a charge */
  provider: 'sandbox' | 'pingpp' | 'free';
  channel: PayChannel;
  /** fen */
  amount: number;
  currency: 'cny';
  /** unique; null for free payments */
  charge_id: string | null;
  status: PaymentStatus;
  /** the provider's charge as last seen (the paid one after confirmation) */
  charge: Charge | null;
  /** this payment is the one that paid its order; the store keeps it to one per order */
  kept: boolean;
  createdAt: Date;
  updatedAt: Date;
  paidAt: Date | null;
  /** set when the payment needs no more attention: refunded, or its order finished */
  closedAt: Date | null;
  refund_id: string | null;
  refundedAt: Date | null;
  refundAttempts: number;
  /** the last refund failure, for operators */
  error: string;
}
