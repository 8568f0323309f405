// The customer-service console's answers: an order as staff see it, alone and in the list.
import { z } from 'zod';
import { CALL_ROW_STATUSES } from '../calls/call.types';
import { answer, hexId, isoTime } from '../http/answers';
import { expertBriefSchema, orderDetailSchema } from '../orders/orders.schema';
import { PAYMENT_STATUSES } from '../payments/payment.types';

const isoOrEmpty = z.union([isoTime, z.literal('')]);
/** What a staff cancel of a paid order owes: `owed` until every payment is given back. */
export const refundStateSchema = z.enum(['owed', 'refunded']).nullable();
const appealSchema = answer({ by: z.enum(['buyer', 'seller']), userID: hexId, reason: z.string(), at: isoTime }).nullable();

export const adminOrderSchema = orderDetailSchema.extend({ appeal: appealSchema, refund: refundStateSchema }).strict();

const paymentItemSchema = answer({
  pay_id: hexId,
  provider: z.string(),
  channel: z.string(),
  amount: z.number().int(),
  currency: z.string(),
  charge_id: z.string(),
  status: z.enum(PAYMENT_STATUSES),
  createdAt: isoOrEmpty,
  paidAt: isoOrEmpty,
});
const refundItemSchema = answer({
  pay_id: hexId,
  refund_id: z.string(),
  amount: z.number().int(),
  status: z.enum(PAYMENT_STATUSES),
  attempts: z.number().int(),
  error: z.string(),
  refundedAt: isoOrEmpty,
});
const callItemSchema = answer({
  callSid: z.string(),
  status: z.enum(CALL_ROW_STATUSES),
  from: hexId,
  to: hexId,
  duration: z.number(),
  createdAt: isoOrEmpty,
  endedAt: isoOrEmpty,
});

export const adminOrderDetailSchema = answer({
  order: orderDetailSchema.extend({ canceledBy: z.string(), appeal: appealSchema }).strict(),
  buyer: expertBriefSchema,
  seller: expertBriefSchema,
  topic: answer({ topic_id: hexId, title: z.string(), category: z.string(), price: z.number().int() }),
  payments: z.array(paymentItemSchema),
  refunds: z.array(refundItemSchema),
  calls: z.array(callItemSchema),
});

export const builtinTextsSchema = answer({ list: z.array(answer({ key: z.string(), buyer: z.string(), seller: z.string(), admin: z.string() })) });

export type AdminOrderDetail = z.infer<typeof adminOrderDetailSchema>;
