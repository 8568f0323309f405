// Every order event posts its system message in the order's chat (docs/system-messages.md).
import { EVENT_KEYS, LISTENER_PRIORITY, type OrderEventListener } from '../orders/order.events';
import type { ChatService } from './chat.service';

export const systemMessagesListener = (chat: ChatService): OrderEventListener => ({
  name: 'system-messages',
  priority: LISTENER_PRIORITY.systemMessage,
  handles: EVENT_KEYS,
  handle: (e) => chat.postSystem(e),
});
