// GET /rest/order/unreadchat answers at most UNREAD_CHAT_ORDERS_MAX orders per call, oldest
// unread message first; the rest come on the next calls, none lost and none twice.
import test from 'ava';
import { makeUser } from '../helpers/app';
import { useChatApp } from '../helpers/chat';
import { buildTopic } from '../helpers/factories';
import { emitAck } from '../helpers/socket';

const { app: t0, open } = useChatApp(test, { UNREAD_CHAT_ORDERS_MAX: '3' });

test('more chats than the bound: the oldest unread first, the rest on the next call', async (t) => {
  const c = t0.api;
  const { topic_id, expert } = await buildTopic(c);
  const buyer = makeUser();
  const o_ids: string[] = [];
  for (let i = 0; i < 5; i++) {
    const res = await c.post(`/rest/topic/${topic_id}/order`, { question: `q${i}`, self_desc: 'd' }, buyer.token);
    o_ids.push(res.body.o_id);
  }
  // Each chat has its unread `created`. The first order's is read by the buyer writing there,
  // and the expert's answer makes it the chat with the newest unread message.
  const [buyerSocket, expertSocket] = await Promise.all([open(buyer.token), open(expert.token)]);
  t.is((await emitAck(buyerSocket, 'message', { o_id: o_ids[0], content: 'hello' })).code, 900);
  t.is((await emitAck(expertSocket, 'message', { o_id: o_ids[0], content: 'answer' })).code, 900);

  const call = async () => {
    const res = await c.get('/rest/order/unreadchat', buyer.token);
    t.is(res.body.code, 900);
    return res.body.list as { o_id: string; list: { content: string }[] }[];
  };
  const first = await call();
  t.deepEqual(
    first.map((x) => x.o_id),
    o_ids.slice(1, 4),
  );
  const second = await call();
  t.deepEqual(
    second.map((x) => x.o_id),
    [o_ids[4], o_ids[0]],
  );
  t.deepEqual(
    second[1].list.map((m) => m.content),
    ['answer'],
  );
  t.deepEqual(await call(), [], 'nothing left');
  for (const x of [...first, ...second.slice(0, 1)]) {
    t.deepEqual(
      x.list.map((m) => m.content),
      ['created'],
    );
  }
});
