// Who may do what (docs/order-states.md): every order endpoint × anonymous, a stranger,
// the buyer, the seller and staff. Each cell gets a fresh order in a state where the action
// is allowed for someone, so a refusal is about the actor and not the status; a refused
// request leaves the order as it was.
import test from 'ava';
import type { ErrorCode } from '../../src/errors';
import { httpStatusOf } from '../../src/http/errors';
import { makeUser, type TestUser, useApp } from '../helpers/app';
import { orderIn, storedOrder, type BuiltOrder, type Reachable } from '../helpers/orders';

const t0 = useApp(test);
const c = t0.api;

const ACTORS = ['anonymous', 'stranger', 'buyer', 'seller', 'staff'] as const;
type Actor = (typeof ACTORS)[number];
type Expect = Record<Actor, ErrorCode>;

interface Row {
  name: string;
  state: Reachable;
  /** runs before the request, e.g. opens an appeal */
  prepare?: (o: BuiltOrder) => Promise<void>;
  request: (o: BuiltOrder) => [method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown];
  expect: Expect;
  /** the admin API answers in its own envelope */
  admin?: boolean;
}

const everyone = (code: ErrorCode, anonymous: ErrorCode = 902): Expect => ({ anonymous, stranger: code, buyer: code, seller: code, staff: code });
const appealBy = (who: 'buyer' | 'expert') => async (o: BuiltOrder) => {
  const res = await c.post(`/rest/order/${o.o_id}/appeal`, { reason: '需要客服' }, o[who].token);
  if (res.body.code !== 900) throw new Error(`appeal failed: ${JSON.stringify(res.body)}`);
};

const ROWS: Row[] = [
  { name: 'create an order on the topic', state: 'pending', request: (o) => ['POST', `/rest/topic/${o.topic_id}/order`, { question: 'q', self_desc: 'd' }], expect: { anonymous: 902, stranger: 900, buyer: 900, seller: 903, staff: 900 } },
  { name: 'read the order', state: 'pending', request: (o) => ['GET', `/rest/order/${o.o_id}`], expect: { anonymous: 902, stranger: 903, buyer: 900, seller: 900, staff: 900 } },
  { name: 'cancel a confirmed order', state: 'confirmed', request: (o) => ['POST', `/rest/order/${o.o_id}/cancel`, { reason: 'r' }], expect: { anonymous: 902, stranger: 903, buyer: 900, seller: 900, staff: 903 } },
  { name: 'cancel a pending order', state: 'pending', request: (o) => ['POST', `/rest/order/${o.o_id}/cancel`, {}], expect: { anonymous: 902, stranger: 903, buyer: 900, seller: 905, staff: 903 } },
  { name: 'confirm', state: 'pending', request: (o) => ['POST', `/rest/order/${o.o_id}/confirm`, {}], expect: { anonymous: 902, stranger: 903, buyer: 903, seller: 900, staff: 903 } },
  { name: 'reject', state: 'pending', request: (o) => ['POST', `/rest/order/${o.o_id}/confirm`, { status: 'rejected', reason: 'r' }], expect: { anonymous: 902, stranger: 903, buyer: 903, seller: 900, staff: 903 } },
  { name: 'finish', state: 'paid', request: (o) => ['POST', `/rest/order/${o.o_id}/finish`], expect: { anonymous: 902, stranger: 903, buyer: 903, seller: 900, staff: 903 } },
  { name: 'comment', state: 'toBeFinished', request: (o) => ['POST', `/rest/order/${o.o_id}/comment`, { comment: 'c', rating: '4' }], expect: { anonymous: 902, stranger: 903, buyer: 900, seller: 903, staff: 903 } },
  { name: 'appeal', state: 'paid', request: (o) => ['POST', `/rest/order/${o.o_id}/appeal`, { reason: 'help' }], expect: { anonymous: 902, stranger: 903, buyer: 900, seller: 900, staff: 903 } },
  { name: "resolve the buyer's appeal", state: 'paid', prepare: appealBy('buyer'), request: (o) => ['POST', `/rest/order/${o.o_id}/appeal/resolve`], expect: { anonymous: 902, stranger: 903, buyer: 900, seller: 903, staff: 900 } },
  { name: "resolve the seller's appeal", state: 'confirmed', prepare: appealBy('expert'), request: (o) => ['POST', `/rest/order/${o.o_id}/appeal/resolve`], expect: { anonymous: 902, stranger: 903, buyer: 903, seller: 900, staff: 900 } },
  { name: 'resolve when no appeal is open', state: 'paid', request: (o) => ['POST', `/rest/order/${o.o_id}/appeal/resolve`], expect: { anonymous: 902, stranger: 903, buyer: 905, seller: 905, staff: 905 } },
  { name: 'list my orders', state: 'pending', request: () => ['GET', '/rest/orders'], expect: everyone(900) },
  { name: "list an expert's orders", state: 'pending', request: () => ['GET', '/rest/expert/orders'], expect: everyone(900) },
  { name: 'read the wallet', state: 'pending', request: () => ['GET', '/rest/wallet'], expect: everyone(900) },
  { name: 'write a profile', state: 'pending', request: () => ['PUT', '/rest/user/profile', { nick: 'n' }], expect: everyone(900) },
  { name: 'create a topic', state: 'pending', request: () => ['POST', '/rest/topic', { title: 't', category: 'c', price: 1 }], expect: everyone(900) },
  { name: 'read the topic', state: 'pending', request: (o) => ['GET', `/rest/topic/${o.topic_id}`], expect: everyone(900, 900) },
  { name: "read the topic's comments", state: 'pending', request: (o) => ['GET', `/rest/topic/${o.topic_id}/comments`], expect: everyone(900, 900) },
  { name: "read the expert's comments", state: 'pending', request: (o) => ['GET', `/rest/user/${o.expert.userID}/comments`], expect: everyone(900, 900) },
  { name: 'admin: list orders', admin: true, state: 'pending', request: () => ['GET', '/v1/admin/orders'], expect: { anonymous: 902, stranger: 903, buyer: 903, seller: 903, staff: 900 } },
  { name: 'admin: cancel an order', admin: true, state: 'pending', request: (o) => ['POST', `/v1/admin/orders/${o.o_id}/cancel`, { reason: 'r' }], expect: { anonymous: 902, stranger: 903, buyer: 903, seller: 903, staff: 900 } },
];

const ADMIN_IDS: Partial<Record<ErrorCode, string>> = { 902: 'unauthorized', 903: 'forbidden' };

function tokenOf(actor: Actor, o: BuiltOrder): string | undefined {
  const users: Record<Exclude<Actor, 'anonymous'>, () => TestUser> = {
    stranger: () => makeUser(),
    buyer: () => o.buyer,
    seller: () => o.expert,
    staff: () => makeUser({ staff: true }),
  };
  return actor === 'anonymous' ? undefined : users[actor]().token;
}

for (const row of ROWS) {
  for (const actor of ACTORS) {
    const want = row.expect[actor];
    test(`${row.name} — ${actor} → ${want}`, async (t) => {
      const o = await orderIn(t0, row.state);
      await row.prepare?.(o);
      const before = await storedOrder(t0, o.o_id);
      const [method, path, body] = row.request(o);
      const res = await c.call(method, path, body, tokenOf(actor, o));
      t.is(res.status, httpStatusOf[want], JSON.stringify(res.body));
      if (row.admin) {
        if (want === 900) t.truthy(res.body.data);
        else t.is(res.body.error?.code, ADMIN_IDS[want]);
      } else {
        t.is(res.body.code, want);
        if (want !== 900) t.regex(res.body.msg, /\w/);
      }
      if (want !== 900) t.deepEqual(await storedOrder(t0, o.o_id), before, 'a refused request changed the order');
    });
  }
}
