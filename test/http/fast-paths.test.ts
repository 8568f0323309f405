// The request hot path skips zod for the common inputs (parseId, parsePage) and builds the
// order detail in one literal. These check that each shortcut answers exactly as the
// general path does: same values, same 901 messages, same keys in the same order.
import test from 'ava';
import { messageSchema, parseMessage } from '../../src/chat/chat.schema';
import { parsePage } from '../../src/http/pagination';
import { parse, parseId, zId } from '../../src/http/validate';
import { orderDetail, orderTimes } from '../../src/orders/order.view';
import { anOrder } from '../db/store-contract';

const message = (fn: () => unknown) => {
  try {
    fn();
    return 'no error';
  } catch (err) {
    return (err as Error).message;
  }
};

test('parseId answers as the zod schema does', (t) => {
  for (const v of ['0123456789abcdef01234567', '0123456789ABCDEF01234567', '0123456789abcdef0123456', 'unreadnum', '', ' 0123456789abcdef01234567', 42, undefined, { $gt: '' }]) {
    t.is(message(() => parseId(v, 'o_id')), message(() => parse(zId, v, 'o_id')), String(v));
    if (typeof v === 'string' && zId.safeParse(v).success) t.is(parseId(v, 'o_id'), parse(zId, v, 'o_id'));
  }
});

test('parsePage reads plain digits as the schema reads the same numbers written another way', (t) => {
  // ' 7 ' is valid for the schema but not plain digits, so it takes the zod path.
  const viaZod = (v: string) => ` ${v} `;
  for (const q of [{}, { page: '2' }, { limit: '5' }, { page: '3', limit: '007' }, { start: '11', page: '4', limit: '10' }, { limit: '1000' }, { page: '1000000000' }, { limit: '99999999999999999999' }]) {
    const slow = Object.fromEntries(Object.entries(q).map(([k, v]) => [k, viaZod(v)]));
    t.deepEqual(parsePage(q), parsePage(slow), JSON.stringify(q));
  }
});

test('parsePage refuses what the schema refuses, with its messages', (t) => {
  for (const [q, msg] of [
    [{ page: '0' }, 'page: must be at least 1'],
    [{ start: '1000000001' }, 'start: must be at most 1000000000'],
    [{ limit: '-1' }, 'limit: must be a positive integer'],
    [{ limit: '1.5' }, 'limit: must be a positive integer'],
    [{ page: ['x', '2'] }, 'page: must be a positive integer'],
  ] as const) {
    t.is(message(() => parsePage(q)), msg, JSON.stringify(q));
  }
});

test('orderDetail is orderTimes followed by the order’s other fields, in that order', (t) => {
  const o = anOrder({ appeal: { by: 'buyer', userID: 'u', reason: 'r', at: new Date(5) }, confirmAt: new Date(7) });
  const detail = orderDetail(o);
  const times = orderTimes(o);
  t.deepEqual(Object.keys(detail).slice(0, Object.keys(times).length), Object.keys(times));
  t.deepEqual(detail, {
    ...times,
    userID: o.userID,
    expert_id: o.expert_id,
    topic_id: o.topic_id,
    question: o.question,
    self_desc: o.self_desc,
    price: o.price,
    comment: o.comment,
    rating: o.rating,
    createdAt: o.createdAt.toISOString(),
    reason: o.reason,
  });
  t.is(JSON.stringify(Object.keys(detail)), JSON.stringify(Object.keys({ ...times, userID: 0, expert_id: 0, topic_id: 0, question: 0, self_desc: 0, price: 0, comment: 0, rating: 0, createdAt: 0, reason: 0 })));
});

test('parseMessage answers as the message schema does: same object, same 901 messages', (t) => {
  const id = '0123456789abcdef01234567';
  const inputs: unknown[] = [
    { o_id: id, content: '你好' },
    { o_id: id.toUpperCase(), content: ' hi ', client_id: 'c-1' },
    { o_id: id, content: 'x', client_id: undefined },
    { o_id: id, content: 'x', extra: { $gt: '' } },
    { o_id: id, content: '咨'.repeat(2000) },
    { o_id: id, content: '😀'.repeat(2000) }, // 4000 UTF-16 units, 2000 characters: zod counts
    { o_id: id, content: '😀'.repeat(2001) },
    { o_id: id, content: 'a'.repeat(2001) },
    { o_id: id, content: '   ' },
    { o_id: id, content: '' },
    { o_id: id, content: { $gt: '' } },
    { o_id: id, content: 'x', client_id: '' },
    { o_id: id, content: 'x', client_id: 'k'.repeat(65) },
    { o_id: id, content: 'x', client_id: 7 },
    { o_id: 'nope', content: 'x' },
    { o_id: { $ne: null }, content: 'x' },
    { content: 'x' },
    [id, 'x'],
    'message',
    null,
    undefined,
  ];
  for (const p of inputs) {
    const label = JSON.stringify(p)?.slice(0, 60) ?? String(p);
    t.is(message(() => parseMessage(p)), message(() => parse(messageSchema, p, 'payload')), label);
    const z = messageSchema.safeParse(p);
    if (z.success) t.deepEqual(parseMessage(p), z.data, label);
  }
});
