// What an order's end means for its payments: a staff cancel of a paid order owes a refund,
// a finished order keeps its money.
import { LISTENER_PRIORITY, type OrderEventListener } from '../orders/order.events';
import type { PaymentsService } from './payments.service';

/** The refund a cancel owes starts after the commit, in the background: the request answers without waiting on the provider. */
export const refundsListener = (payments: PaymentsService): OrderEventListener => ({
  name: 'refunds-owed',
  priority: LISTENER_PRIORITY.refunds,
  handles: ['admin_canceled'],
  handle: ({ order }) => {
    if (order.refund === 'owed') payments.owed.kick(order.o_id);
  },
});

/** A finished order's payment needs no more watching. */
export const paymentClosingListener = (payments: PaymentsService): OrderEventListener => ({
  name: 'payment-closing',
  priority: LISTENER_PRIORITY.paymentClosing,
  handles: ['finished'],
  handle: ({ order }) => payments.closeOrder(order.o_id),
});
