// Paging parameters answer 901 naming the parameter, and the order detail is orderTimes
// followed by the order's other fields, in that order (the same keys as the `order` push).
import test from 'ava';
import { parsePage } from '../../src/http/pagination';
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
