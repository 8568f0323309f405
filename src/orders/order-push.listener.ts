// Every change of status reaches both parties, the order's room and staff as an `order`
// frame (docs/protocol.md).
import { orderAudience, rooms, type Push } from '../realtime/push';
import { LISTENER_PRIORITY, STATUS_EVENT_KEYS, type OrderEventListener } from './order.events';
import { orderTimes } from './order.view';

export const orderPushListener = (push: Push): OrderEventListener => ({
  name: 'order-push',
  priority: LISTENER_PRIORITY.orderPush,
  handles: STATUS_EVENT_KEYS,
  handle: ({ order }) => push.send([{ to: [...orderAudience(order), rooms.staff], event: 'order', payload: orderTimes(order) }]),
});
