// The rooms a chat message and its receipts go to, made once per order (and per user) in
// this process. Built for every push they were a dozen strings and arrays per message, a
// part of the garbage whose scavenges make the chat's latency tail (BENCHMARKS.md,
// --heap-profile). Socket.IO copies the rooms it is given into a set of its own, so the
// arrays are shared, frozen.
import { orderAudience, rooms } from '../realtime/push';
import type { Viewer } from './chat.types';

export interface OrderRoomLists {
  /** a text message: both parties' devices and the three role rooms (one emit for all) */
  text: readonly string[];
  /** any other message: each side with its own text */
  byViewer: Readonly<Record<Viewer, readonly string[]>>;
  /** `read` receipts: the order's room and both parties' devices */
  audience: readonly string[];
}

/** Bounded memo: forgetting only costs making the names again. */
class Memo<V> {
  private map = new Map<string, V>();
  constructor(private max: number) {}
  get(key: string, make: () => V): V {
    let v = this.map.get(key);
    if (v === undefined) {
      if (this.map.size >= this.max) this.map.clear();
      v = make();
      this.map.set(key, v);
    }
    return v;
  }
}

export class ChatRooms {
  private orders = new Memo<OrderRoomLists>(10_000);
  private users = new Memo<readonly string[]>(20_000);

  of(o: { o_id: string; userID: string; expert_id: string }): OrderRoomLists {
    return this.orders.get(o.o_id, () => {
      const role = (v: Viewer) => rooms.orderRole(o.o_id, v);
      const buyer = rooms.user(o.userID);
      const seller = rooms.user(o.expert_id);
      return Object.freeze({
        text: Object.freeze([buyer, seller, role('buyer'), role('seller'), role('admin')]),
        byViewer: Object.freeze({ buyer: Object.freeze([buyer, role('buyer')]), seller: Object.freeze([seller, role('seller')]), admin: Object.freeze([role('admin')]) }),
        audience: Object.freeze(orderAudience(o)),
      });
    });
  }

  /** All of a user's devices. */
  user(userID: string): readonly string[] {
    return this.users.get(userID, () => Object.freeze([rooms.user(userID)]));
  }
}
