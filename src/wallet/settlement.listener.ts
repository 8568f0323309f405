// Settlement hangs off the one place orders change: whoever finishes the order (the comment
// or the settle timeout), money moves once.
import { LISTENER_PRIORITY, type OrderEventListener } from '../orders/order.events';
import type { WalletService } from './wallet.service';

export const settlementListener = (wallet: WalletService): OrderEventListener => ({
  name: 'settlement',
  priority: LISTENER_PRIORITY.settlement,
  handles: ['finished'],
  handle: async ({ order }) => {
    await wallet.settle(order);
  },
});
