// Fills a store fast, straight through the Store's repositories (no HTTP, no order
// events), so the benchmarks can start from 10,000 or 100,000 orders in seconds. Runs
// inside the server process that owns the store (see servers/ours.ts), which hands in
// `tx`: on SQLite a transaction around each batch of writes on a connection of its own.
import type { ChatParties } from '../src/chat/chat.types';
import type { Store } from '../src/db/store';
import { newId } from '../src/ids';
import type { Order, OrderStatus } from '../src/orders/order.types';
import type { Topic } from '../src/topics/topic.types';
import type { UserProfile } from '../src/users/user.types';

/** A small deterministic PRNG, so every run seeds the same shapes. */
export function rng(seed = 42) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const T0 = Date.UTC(2026, 0, 1);

function user(i: number, userID = newId()): UserProfile {
  return {
    userID,
    nick: `用户${i}`,
    name: `测试用户 ${i}`,
    avatar: `https://img.example.com/avatar/${i}.png`,
    title: i % 10 === 0 ? '资深留学顾问，十年经验' : '',
    phone: `1380000${String(i).padStart(4, '0')}`,
    updatedAt: new Date(T0),
  };
}

function topic(expert_id: string, i: number): Topic {
  return {
    topic_id: newId(),
    expert_id,
    title: `如何申请美国研究生 第${i}期`,
    category: '留学',
    price: 1000 + (i % 50) * 100,
    finish_count: i % 37,
    rating_sum: (i % 37) * 4,
    rating_count: i % 37,
    createdAt: new Date(T0),
  };
}

function order(buyer: string, t: Topic, status: OrderStatus, at: number): Order {
  const d = new Date(at);
  const stamp = (s: OrderStatus[]) => (s.includes(status) ? d : null);
  return {
    o_id: newId(),
    userID: buyer,
    expert_id: t.expert_id,
    topic_id: t.topic_id,
    question: '我想了解申请美国计算机专业研究生需要准备哪些材料，时间怎么安排？',
    self_desc: '本科大三，GPA 3.6，托福 100。',
    status,
    price: t.price,
    type: 'phone',
    comment: status === 'finished' ? '非常专业，很有帮助' : '',
    rating: status === 'finished' ? 5 : 0,
    called: ['paid', 'toBeFinished', 'finished'].includes(status),
    createdAt: d,
    updatedAt: d,
    statusAt: d,
    confirmAt: stamp(['confirmed', 'paid', 'toBeFinished', 'finished']),
    rejectAt: null,
    payAt: stamp(['paid', 'toBeFinished', 'finished']),
    finishAt: stamp(['toBeFinished', 'finished']),
    completeAt: stamp(['finished']),
    cancelAt: null,
    commentAt: stamp(['finished']),
    settledAt: null,
    refund: null,
    reason: '',
    canceledBy: null,
    appeal: null,
    client: 'ios',
    platform: 'app',
    channel: 'bench',
  };
}

/** The repositories seeding writes through, and how to group writes into one commit. */
export interface SeedTarget {
  store: Pick<Store, 'users' | 'topics' | 'orders' | 'chat'>;
  /** runs a batch of writes as one transaction (SQLite); identity elsewhere */
  tx: <T>(fn: () => Promise<T>) => Promise<T>;
}

const BATCH = 5000;

/** Runs `fn` over items in batches of one transaction each, with at most 32 writes in flight (MongoDB; SQLite's repos finish synchronously). */
async function each<T>(target: SeedTarget, items: T[], fn: (x: T, i: number) => Promise<unknown>) {
  for (let start = 0; start < items.length; start += BATCH) {
    const end = Math.min(items.length, start + BATCH);
    let next = start;
    await target.tx(() =>
      Promise.all(
        Array.from({ length: Math.min(32, end - start) }, async () => {
          while (next < end) {
            const i = next++;
            await fn(items[i], i);
          }
        }),
      ),
    );
  }
}

export interface ChatRoom {
  o_id: string;
  buyer: string;
  seller: string;
}

/** R open orders, each between its own buyer and its own seller (2R users), for the chat scenarios. */
export async function seedRooms(target: SeedTarget, rooms: number): Promise<ChatRoom[]> {
  const { store } = target;
  const out: ChatRoom[] = [];
  const users: UserProfile[] = [];
  const topics: Topic[] = [];
  const orders: Order[] = [];
  for (let i = 0; i < rooms; i++) {
    const b = user(2 * i);
    const s = user(2 * i + 1);
    const t = topic(s.userID, i);
    const o = order(b.userID, t, 'paid', T0 + i * 1000);
    users.push(b, s);
    topics.push(t);
    orders.push(o);
    out.push({ o_id: o.o_id, buyer: b.userID, seller: s.userID });
  }
  await each(target, users, (u) => store.users.upsert(u));
  await each(target, topics, (t) => store.topics.insert(t));
  await each(target, orders, (o) => store.orders.insert(o));
  return out;
}

export interface OrdersSeed {
  /** the user whose lists and unread numbers are measured */
  focus: string;
  /** the focus user's orders (as buyer), oldest first */
  focusOrders: string[];
  /** the parties of the focus user's orders */
  focusRooms: ChatParties[];
  /** the parties of up to 1,000 orders the focus user is no party to */
  otherRooms: ChatParties[];
  /** a topic the focus user may order (not their own) */
  topic_id: string;
  /** every seeded topic and its expert */
  topics: { topic_id: string; expert_id: string }[];
  /** every seeded user (the focus user first) */
  users: string[];
  orders: number;
}

const LIST_STATUSES: OrderStatus[] = ['pending', 'confirmed', 'paid', 'toBeFinished', 'finished', 'finished', 'finished', 'canceled'];

/**
 * `orders` orders over `users` users; one in ten users is an expert with two topics. The
 * focus user (users[0], not an expert) is the buyer of `focusOrders` of them.
 */
export async function seedOrders(target: SeedTarget, opts: { users: number; orders: number; focusOrders: number; seed?: number }): Promise<OrdersSeed> {
  const { store } = target;
  const rand = rng(opts.seed ?? 42);
  const users = Array.from({ length: opts.users }, (_, i) => user(i));
  const experts = users.filter((_, i) => i % 10 === 5);
  const topics = experts.flatMap((e, i) => [topic(e.userID, 2 * i), topic(e.userID, 2 * i + 1)]);
  await each(target, users, (u) => store.users.upsert(u));
  await each(target, topics, (t) => store.topics.insert(t));
  const focus = users[0].userID;
  const focusOrders: string[] = [];
  const focusRooms: ChatParties[] = [];
  const otherRooms: ChatParties[] = [];
  let made = 0;
  const batch: Order[] = [];
  const flush = async () => {
    await each(target, batch.splice(0), (o) => store.orders.insert(o));
  };
  // The focus user's orders are spread evenly through the others in time.
  const focusEvery = opts.focusOrders > 0 ? Math.max(1, Math.floor(opts.orders / opts.focusOrders)) : Infinity;
  for (let i = 0; i < opts.orders; i++) {
    const isFocus = focusOrders.length < opts.focusOrders && (i % focusEvery === 0 || opts.orders - i <= opts.focusOrders - focusOrders.length);
    const buyer = isFocus ? focus : users[1 + Math.floor(rand() * (users.length - 1))].userID;
    let t = topics[Math.floor(rand() * topics.length)];
    if (t.expert_id === buyer) t = topics[(topics.indexOf(t) + 2) % topics.length];
    const o = order(buyer, t, LIST_STATUSES[Math.floor(rand() * LIST_STATUSES.length)], T0 + i * 1000);
    if (isFocus) {
      o.status = LIST_STATUSES[focusOrders.length % 5];
      focusOrders.push(o.o_id);
      focusRooms.push({ o_id: o.o_id, buyer: o.userID, seller: o.expert_id });
    } else if (otherRooms.length < 1000) otherRooms.push({ o_id: o.o_id, buyer: o.userID, seller: o.expert_id });
    batch.push(o);
    made++;
    if (batch.length >= BATCH) await flush();
  }
  await flush();
  return { focus, focusOrders, focusRooms, otherRooms, topic_id: topics[0].topic_id, topics: topics.map((t) => ({ topic_id: t.topic_id, expert_id: t.expert_id })), users: users.map((u) => u.userID), orders: made };
}

/** Adds orders between the given users that the focus user is no party to (growth: data the caller does not ask for). */
export async function addOtherOrders(target: SeedTarget, users: string[], n: number, seed = 7) {
  const { store } = target;
  const rand = rng(seed);
  const experts = users.filter((_, i) => i % 10 === 5 && i !== 0);
  const ts = experts.slice(0, 20).map((e, i) => topic(e, 10_000 + i));
  await each(target, ts, (t) => store.topics.insert(t));
  const batch: Order[] = [];
  for (let i = 0; i < n; i++) {
    const buyer = users[1 + Math.floor(rand() * (users.length - 1))];
    let t = ts[Math.floor(rand() * ts.length)];
    if (t.expert_id === buyer) t = ts[(ts.indexOf(t) + 1) % ts.length];
    batch.push(order(buyer, t, LIST_STATUSES[Math.floor(rand() * LIST_STATUSES.length)], T0 + 1e9 + i * 1000));
    if (batch.length >= BATCH) await each(target, batch.splice(0), (o) => store.orders.insert(o));
  }
  await each(target, batch.splice(0), (o) => store.orders.insert(o));
}

/**
 * Appends `total` text messages over `rooms` (as evenly as they go, one round at a time),
 * straight through the chat repository, so seq, counters and read cursors move as in
 * production. The parties take turns and every room's last message is the seller's: the
 * buyer has the same unread numbers (1 per room) however many messages came before.
 */
export async function seedMessages(target: SeedTarget, p: { rooms: ChatParties[]; total: number }) {
  const chat = target.store.chat;
  const t0 = performance.now();
  const R = p.rooms.length;
  const perRoom = (r: number) => Math.floor(p.total / R) + (r < p.total % R ? 1 : 0);
  const jobs: { room: ChatParties; fromBuyer: boolean; i: number }[] = [];
  for (let round = 0, i = 0; i < p.total; round++) {
    for (let r = 0; r < R && i < p.total; r++) {
      const n = perRoom(r);
      if (round >= n) continue;
      jobs.push({ room: p.rooms[r], fromBuyer: (n - 1 - round) % 2 === 1, i: i++ });
    }
  }
  // A room's consecutive messages are R jobs apart and at most 32 writes are in flight, so with
  // R ≥ 32 they are stored in order (on SQLite every write finishes before the next starts).
  await each(target, jobs, async ({ room, fromBuyer, i }) => {
    await chat.append(room, {
      msgid: newId(),
      from: fromBuyer ? room.buyer : room.seller,
      to: fromBuyer ? room.seller : room.buyer,
      type: 'text',
      content: `历史消息 ${i}：请问什么时候方便通话？`,
      client_id: null,
      createdAt: new Date(T0 + i),
    });
  });
  return { messages: p.total, ms: performance.now() - t0 };
}
