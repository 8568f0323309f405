// Text lengths count characters as people do (code points), on every bounded field: a text
// of `max` emoji (2·max UTF-16 units) is accepted, one emoji more is 901 naming the field.
import test from 'ava';
import { LIMITS } from '../../config/defaults';
import { makeUser, useApp, type Api, type Res } from '../helpers/app';
import { buildTopic } from '../helpers/factories';
import { orderIn, type Reachable } from '../helpers/orders';

const t0 = useApp(test);
const c = t0.api;
const EMOJI = '😀'; // one character, two UTF-16 units
const staff = makeUser({ staff: true });

interface Field {
  /** what the request sends */
  what: string;
  field: string;
  max: number;
  /** sends the request with `value` in the field */
  send: (c: Api, value: string) => Promise<Res>;
}

/** A request on a fresh order in `state`. */
const onOrder = (state: Reachable, send: (o: Awaited<ReturnType<typeof orderIn>>, value: string) => Promise<Res>) => async (_c: Api, value: string) =>
  send(await orderIn(t0, state), value);

const FIELDS: Field[] = [
  { what: 'a topic', field: 'title', max: LIMITS.titleChars, send: (c, v) => c.post('/rest/topic', { title: v, category: 'c', price: 1 }, makeUser().token) },
  { what: 'a topic', field: 'category', max: 50, send: (c, v) => c.post('/rest/topic', { title: 't', category: v, price: 1 }, makeUser().token) },
  { what: 'a profile', field: 'nick', max: LIMITS.nickChars, send: (c, v) => c.put('/rest/user/profile', { nick: v }, makeUser().token) },
  { what: 'a profile', field: 'name', max: LIMITS.nickChars, send: (c, v) => c.put('/rest/user/profile', { nick: 'n', name: v }, makeUser().token) },
  { what: 'a profile', field: 'title', max: LIMITS.titleChars, send: (c, v) => c.put('/rest/user/profile', { nick: 'n', title: v }, makeUser().token) },
  {
    what: 'an order', field: 'question',
    max: LIMITS.questionChars,
    send: async (c, v) => c.post(`/rest/topic/${(await buildTopic(c)).topic_id}/order`, { question: v, self_desc: 'd' }, makeUser().token),
  },
  {
    what: 'an order', field: 'self_desc',
    max: LIMITS.selfDescChars,
    send: async (c, v) => c.post(`/rest/topic/${(await buildTopic(c)).topic_id}/order`, { question: 'q', self_desc: v }, makeUser().token),
  },
  { what: 'a cancel', field: 'reason', max: LIMITS.reasonChars, send: onOrder('pending', (o, v) => c.post(`/rest/order/${o.o_id}/cancel`, { reason: v }, o.buyer.token)) },
  { what: 'a rejection', field: 'reason', max: LIMITS.reasonChars, send: onOrder('pending', (o, v) => c.post(`/rest/order/${o.o_id}/confirm`, { status: 'rejected', reason: v }, o.expert.token)) },
  { what: 'an appeal', field: 'reason', max: LIMITS.reasonChars, send: onOrder('paid', (o, v) => c.post(`/rest/order/${o.o_id}/appeal`, { reason: v }, o.buyer.token)) },
  { what: 'a comment', field: 'comment', max: LIMITS.commentChars, send: onOrder('toBeFinished', (o, v) => c.post(`/rest/order/${o.o_id}/comment`, { comment: v, rating: 5 }, o.buyer.token)) },
  { what: 'a staff cancel', field: 'reason', max: LIMITS.reasonChars, send: onOrder('paid', (o, v) => c.post(`/v1/admin/orders/${o.o_id}/cancel`, { reason: v }, staff.token)) },
  {
    what: 'a system message', field: 'buyer',
    max: 500,
    send: (c, v) => c.post('/v1/admin/systemmessages', { key: `k_${Math.random().toString(36).slice(2)}`, buyer: v, seller: 's', admin: 'a' }, staff.token),
  },
];

const okOf = (res: Res) => (res.body?.code === 900 || res.body?.data !== undefined) && res.status === 200;
const refusalOf = (res: Res) => res.body?.msg ?? res.body?.error?.message;

for (const { what, field, max, send } of FIELDS) {
  test(`${field} of ${what}: ${max} emoji are ${max} characters; ${max + 1} are refused naming ${field}`, async (t) => {
    const atLimit = await send(c, EMOJI.repeat(max));
    t.true(okOf(atLimit), JSON.stringify(atLimit.body).slice(0, 200));
    const over = await send(c, EMOJI.repeat(max + 1));
    t.is(over.status, 400);
    t.is(refusalOf(over), `${field}: must be at most ${max} characters`);
    // max - 1 letters and an emoji: max characters in max + 1 UTF-16 units
    const mixed = await send(c, 'a'.repeat(max - 1) + EMOJI);
    t.true(okOf(mixed), JSON.stringify(mixed.body).slice(0, 200));
  });
}
