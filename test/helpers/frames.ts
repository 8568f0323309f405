// The frames each socket receives for a chat message (protocol v2), as one check shared by
// the one-node and the two-node tests: the sending socket gets its ack only, every other
// socket one `message` frame, with its own side's numbers; no `read` or `unread` for a send.
import type { ExecutionContext } from 'ava';
import type { Socket } from 'socket.io-client';
import { SYSTEM_MESSAGES } from '../../config/system-messages';
import type { Api } from './app';
import type { BuiltOrder } from './orders';
import { emitAck, GUARD_MS } from './socket';

type Frame = [name: string, payload: any];

/** Every event a socket receives, in order, and a wait for one that satisfies `pred`. */
export function recordFrames(socket: Socket) {
  const frames: Frame[] = [];
  const waiters = new Set<() => void>();
  socket.onAny((name: string, payload: unknown) => {
    frames.push([name, payload]);
    for (const w of waiters) w();
  });
  const until = (pred: (f: Frame) => boolean) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (!frames.some(pred)) return;
        clearTimeout(timer);
        waiters.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`an awaited frame never arrived (got ${JSON.stringify(frames.map((f) => f[0]))})`));
      }, GUARD_MS);
      waiters.add(check);
      check();
    });
  return { frames, until };
}

export interface FrameSockets {
  /** the buyer's device that writes; it has joined the order, so it sits in the order's room and its user room */
  buyer: Socket;
  /** the buyer's second device, not joined */
  buyer2: Socket;
  /** the seller, joined */
  seller: Socket;
  /** staff who joined the order */
  staff: Socket;
}

const FENCE = 'fence';
/** Frames in the order their causes happened (frames from two nodes may interleave otherwise); anything else last. */
const rank = ([name, p]: Frame): number => (name === 'message' ? p.seq : name === 'order' ? 4.5 : 100);

/**
 * A message from `buyer`, a reply from `seller`, then the seller confirms the order (a
 * system message); checks every frame each socket received for them. The sockets may sit on
 * different nodes: what one node sends a socket arrives in the order it was sent, so once a
 * fence message from each writer's node has arrived, everything before it has too.
 */
export async function checkFramesPerMessage(t: ExecutionContext, api: Api, o: BuiltOrder, s: FrameSockets) {
  const rec = { buyer: recordFrames(s.buyer), buyer2: recordFrames(s.buyer2), seller: recordFrames(s.seller), staff: recordFrames(s.staff) };

  const hello = await emitAck(s.buyer, 'message', { o_id: o.o_id, content: '专家您好' });
  // The buyer had `created` unread: writing read it.
  t.like(hello, { code: 900, message: { seq: 2, from: o.buyer.userID, content: '专家您好' }, unread: { count: 0, total: 0 } });
  const reply = await emitAck(s.seller, 'message', { o_id: o.o_id, content: '您好，请讲' });
  t.like(reply, { code: 900, message: { seq: 3, from: o.expert.userID }, unread: { count: 0, total: 0 } });
  t.is((await api.post(`/rest/order/${o.o_id}/confirm`, {}, o.expert.token)).body.code, 900);
  const fences = [await emitAck(s.buyer, 'message', { o_id: o.o_id, content: FENCE }), await emitAck(s.seller, 'message', { o_id: o.o_id, content: FENCE })];
  const isFence = (i: number) => ([name, p]: Frame) => name === 'message' && p.msgid === fences[i].message.msgid;
  await Promise.all([rec.buyer.until(isFence(1)), rec.seller.until(isFence(0)), ...[rec.buyer2, rec.staff].flatMap((r) => [r.until(isFence(0)), r.until(isFence(1))])]);

  // Staff also get `order` for every order: only this order's frames count.
  const got = Object.fromEntries(
    Object.entries(rec).map(([who, r]) => [who, r.frames.filter(([, p]) => p?.o_id === o.o_id && p?.content !== FENCE).sort((a, b) => rank(a) - rank(b))]),
  ) as Record<keyof FrameSockets, Frame[]>;
  t.deepEqual(
    Object.fromEntries(Object.entries(got).map(([who, f]) => [who, f.map(([name, p]) => `${name} ${p?.seq ?? p?.status ?? ''}`)])),
    {
      buyer: ['message 3', 'message 4', 'order confirmed'],
      buyer2: ['message 2', 'message 3', 'message 4', 'order confirmed'],
      seller: ['message 2', 'message 4', 'order confirmed'],
      staff: ['message 2', 'message 3', 'message 4', 'order confirmed'],
    },
    'one frame per socket per message, none for a socket’s own, no read or unread for a send',
  );

  const numbers = (count: number) => ({ unread: { count, total: count } });
  // The seller had `created` and the hello unread; the buyer, the reply.
  t.deepEqual(got.buyer[0][1], { ...reply.message, ...numbers(1) });
  t.deepEqual(got.buyer2[0][1], { ...hello.message, ...numbers(0) }, 'the sender’s other device: the sender’s numbers');
  t.deepEqual(got.buyer2[1][1], { ...reply.message, ...numbers(1) });
  t.deepEqual(got.seller[0][1], { ...hello.message, ...numbers(2) });
  t.deepEqual([got.staff[0][1], got.staff[1][1]], [hello.message, reply.message], 'staff: the message, no numbers');

  // The system message: each side its text and numbers (writing the reply read all before it).
  const system = { seq: 4, type: 'system', from: '0', to: '0', content: 'confirmed' };
  const texts = SYSTEM_MESSAGES.confirmed;
  t.like(got.buyer[1][1], { ...system, text: texts.buyer, ...numbers(2) });
  t.like(got.buyer2[2][1], { ...system, text: texts.buyer, ...numbers(2) });
  t.like(got.seller[1][1], { ...system, text: texts.seller, ...numbers(1) });
  t.like(got.staff[2][1], { ...system, text: texts.admin });
  t.false('unread' in got.staff[2][1], 'staff get no numbers');
  t.is(new Set([got.buyer[1][1].msgid, got.seller[1][1].msgid, got.staff[2][1].msgid]).size, 1);
}
