// The rooms a chat message and its receipts go to, made once per order (and per user) in
// this process. Built for every push they were a dozen strings and arrays per message, a
// part of the garbage whose scavenges make the chat's latency tail (BENCHMARKS.md,
// --heap-profile). Socket.IO copies the rooms it is given into a set of its own, so the
// arrays are shared, frozen.
import { BoundedMap } from '../bounded-map';
import { orderAudience, rooms } from '../realtime/push';
import type { Viewer } from './chat.types';

export interface OrderRoomLists {
  /** a text message: both parties' devices and the staff who joined the order (one emit for all) */
  text: readonly string[];
  /** any other message: each side with its own text */
  byViewer: Readonly<Record<Viewer, readonly string[]>>;
  /** `read` receipts: the order's room and both parties' devices */
  audience: readonly string[];
}

export class ChatRooms {
  // Forgetting only costs making the names again.
  private orders = new BoundedMap<OrderRoomLists>(10_000);
  private users = new BoundedMap<readonly string[]>(20_000);

  of(o: { o_id: string; userID: string; expert_id: string }): OrderRoomLists {
    return this.orders.getOr(o.o_id, () => {
      const buyer = rooms.user(o.userID);
      const seller = rooms.user(o.expert_id);
      const staff = rooms.orderStaff(o.o_id);
      return Object.freeze({
        text: Object.freeze([buyer, seller, staff]),
        byViewer: Object.freeze({ buyer: Object.freeze([buyer]), seller: Object.freeze([seller]), admin: Object.freeze([staff]) }),
        audience: Object.freeze(orderAudience(o)),
      });
    });
  }

  /** All of a user's devices. */
  user(userID: string): readonly string[] {
    return this.users.getOr(userID, () => Object.freeze([rooms.user(userID)]));
  }
}
