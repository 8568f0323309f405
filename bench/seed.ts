// Fills a store fast, straight through the Store's repositories (no HTTP, no order
// events), so the benchmarks can start from 10,000 or 100,000 orders in seconds.
// Runs inside the server process that owns the store (see servers/ours.ts).
import type { ChatRepo } from '../src/chat/chat.repo';
import type { ChatParties } from '../src/chat/chat.types';
import type { Store } from '../src/db/store';
import { newId } from '../src/ids';
import type { Order, OrderStatus } from '../src/orders/order.types';
import type { Topic } from '../src/topics/topics.repo';
import type { UserProfile } from '../src/users/users.repo';

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
    reason: '',
    canceledBy: null,
    appeal: null,
    client: 'ios',
    platform: 'app',
    channel: 'bench',
  };
}

/** Runs `fn` over items with at most `n` in flight (MongoDB); SQLite's repos finish synchronously anyway. */
async function each<T>(items: T[], n: number, fn: (x: T, i: number) => Promise<unknown>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        await fn(items[i], i);
      }
    }),
  );
}

export interface ChatRoom {
  o_id: string;
  buyer: string;
  seller: string;
}

/** R open orders, each between its own buyer and its own seller (2R users), for the chat scenarios. */
export async function seedRooms(store: Store, rooms: number): Promise<ChatRoom[]> {
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
  await each(users, 32, (u) => store.users.upsert(u));
  await each(topics, 32, (t) => store.topics.insert(t));
  await each(orders, 32, (o) => store.orders.insert(o));
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
  /** every seeded user (the focus user first) */
  users: string[];
  orders: number;
}

const LIST_STATUSES: OrderStatus[] = ['pending', 'confirmed', 'paid', 'toBeFinished', 'finished', 'finished', 'finished', 'canceled'];

/**
 * `orders` orders over `users` users; one in ten users is an expert with two topics. The
 * focus user (users[0], not an expert) is the buyer of `focusOrders` of them.
 */
export async function seedOrders(store: Store, opts: { users: number; orders: number; focusOrders: number; seed?: number }): Promise<OrdersSeed> {
  const rand = rng(opts.seed ?? 42);
  const users = Array.from({ length: opts.users }, (_, i) => user(i));
  const experts = users.filter((_, i) => i % 10 === 5);
  const topics = experts.flatMap((e, i) => [topic(e.userID, 2 * i), topic(e.userID, 2 * i + 1)]);
  await each(users, 32, (u) => store.users.upsert(u));
  await each(topics, 32, (t) => store.topics.insert(t));
  const focus = users[0].userID;
  const focusOrders: string[] = [];
  const focusRooms: ChatParties[] = [];
  const otherRooms: ChatParties[] = [];
  let made = 0;
  const batch: Order[] = [];
  const flush = async () => {
    await each(batch.splice(0), 32, (o) => store.orders.insert(o));
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
    if (batch.length >= 2000) await flush();
  }
  await flush();
  return { focus, focusOrders, focusRooms, otherRooms, topic_id: topics[0].topic_id, users: users.map((u) => u.userID), orders: made };
}

/** Adds orders between the given users that the focus user is no party to (growth: data the caller does not ask for). */
export async function addOtherOrders(store: Store, users: string[], n: number, seed = 7) {
  const rand = rng(seed);
  const experts = users.filter((_, i) => i % 10 === 5 && i !== 0);
  const ts = experts.slice(0, 20).map((e, i) => topic(e, 10_000 + i));
  await each(ts, 32, (t) => store.topics.insert(t));
  const batch: Order[] = [];
  for (let i = 0; i < n; i++) {
    const buyer = users[1 + Math.floor(rand() * (users.length - 1))];
    let t = ts[Math.floor(rand() * ts.length)];
    if (t.expert_id === buyer) t = ts[(ts.indexOf(t) + 1) % ts.length];
    batch.push(order(buyer, t, LIST_STATUSES[Math.floor(rand() * LIST_STATUSES.length)], T0 + 1e9 + i * 1000));
    if (batch.length >= 2000) await each(batch.splice(0), 32, (o) => store.orders.insert(o));
  }
  await each(batch.splice(0), 32, (o) => store.orders.insert(o));
}

/** The chat repository, once the store has one (the chat is built beside this benchmark). */
export function chatRepo(store: Store): ChatRepo | undefined {
  return (store as unknown as { chat?: ChatRepo }).chat;
}

/**
 * Appends `total` text messages round-robin over `rooms`, the parties taking turns, straight
 * through the chat repository (seq, counters and read cursors move as they do in production).
 */
export async function seedMessages(store: Store, p: { rooms: ChatParties[]; total: number }) {
  const chat = chatRepo(store);
  if (!chat) throw new Error('the store has no chat repository (store.chat) yet');
  const t0 = performance.now();
  const jobs = Array.from({ length: p.total }, (_, i) => i);
  await each(jobs, 32, async (i) => {
    const room = p.rooms[i % p.rooms.length];
    const fromBuyer = Math.floor(i / p.rooms.length) % 2 === 0;
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
