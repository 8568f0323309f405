import test from 'ava';
import { makeUser, useApp } from '../helpers/app';
import { advance, buildOrder } from '../helpers/factories';
import { payDirect } from '../helpers/orders';

const t0 = useApp(test);
const c = t0.api;

test('an order goes from pending to finished and credits the expert once', async (t) => {
  const o = await buildOrder(c, { price: 2500 });
  let res = await c.get(`/rest/order/${o.o_id}`, o.buyer.token);
  t.is(res.body.code, 900);
  t.is(res.body.info.status, 'pending');
  t.is(res.body.info.confirmAt, '');

  await advance(c, o, 'finished', payDirect(t0));
  res = await c.get(`/rest/order/${o.o_id}`, o.expert.token);
  t.is(res.body.info.status, 'finished');
  t.is(res.body.info.rating, 5);
  t.is(res.body.info.comment, '很好');
  t.not(res.body.info.confirmAt, '');
  t.not(res.body.info.payAt, '');
  t.not(res.body.info.finishAt, '');
  t.not(res.body.info.commentAt, '');

  const wallet = await c.get('/rest/wallet', o.expert.token);
  t.is(wallet.body.info.balance, 2500);
  t.is(wallet.body.info.list.length, 1);
  t.is(wallet.body.info.list[0].o_id, o.o_id);

  const again = await c.post(`/rest/order/${o.o_id}/comment`, { comment: 'x', rating: 1 }, o.buyer.token);
  t.is(again.status, 409);
  t.is(again.body.code, 906);
  t.is((await c.get('/rest/wallet', o.expert.token)).body.info.balance, 2500);

  const topic = await c.get(`/rest/topic/${o.topic_id}`);
  t.is(topic.body.info.finish_count, 1);
  t.is(topic.body.info.rating, 5);
});

test('a stranger may not read an order', async (t) => {
  const o = await buildOrder(c);
  const res = await c.get(`/rest/order/${o.o_id}`, makeUser().token);
  t.is(res.status, 403);
  t.is(res.body.code, 903);
});
