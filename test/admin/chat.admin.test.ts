// The admin chat API (docs/system-messages.md): an order's messages and the system-message definitions.
import test from 'ava';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SYSTEM_MESSAGES } from '../../config/system-messages';
import { newId } from '../../src/ids';
import { EVENT_KEYS } from '../../src/orders/order.events';
import { api, makeUser, startApp } from '../helpers/app';
import { useChatApp } from '../helpers/chat';
import { buildOrder } from '../helpers/factories';
import { emitAck } from '../helpers/socket';

const staff = makeUser({ staff: true });
const { app: t0, open, chatOrder } = useChatApp(test);

test('an order’s messages, paged, in the admin listing’s shape', async (t) => {
  const c = t0.api;
  const { o, buyer, seller } = await chatOrder();
  const hello = (await emitAck(buyer, 'message', { o_id: o.o_id, content: '你好，请尽快确认' })).message;
  await emitAck(seller, 'read', { o_id: o.o_id });
  await emitAck(seller, 'message', { o_id: o.o_id, content: '好的' });

  // Both parties have read `created` (the buyer by writing, the seller by `read`); nobody has read the reply.
  const res = await c.get(`/v1/admin/orders/${o.o_id}/messages`, staff.token);
  t.is(res.status, 200);
  t.deepEqual(res.body.data.meta, { page: 1, limit: 10, total: 3 });
  const [created, text, reply] = res.body.data.list;
  t.deepEqual(created, { id: created.id, uid: '0', type: 'system', content: 'created', text: SYSTEM_MESSAGES.created.admin, is_read: 1, ctime: created.ctime });
  t.true(Number.isInteger(created.ctime) && created.ctime > 1.5e12, 'ctime in ms');
  t.like(text, { id: hello.msgid, uid: o.buyer.userID, type: 'text', content: '你好，请尽快确认', is_read: 1, ctime: Date.parse(hello.createdAt) });
  t.like(reply, { uid: o.expert.userID, content: '好的', is_read: 0 });

  const page2 = await c.get(`/v1/admin/orders/${o.o_id}/messages?page=2&per_page=2`, staff.token);
  t.deepEqual(page2.body.data.meta, { page: 2, limit: 2, total: 3 });
  t.deepEqual(
    page2.body.data.list.map((m: any) => m.content),
    ['好的'],
  );
  const limited = await c.get(`/v1/admin/orders/${o.o_id}/messages?limit=1`, staff.token);
  t.deepEqual(
    limited.body.data.list.map((m: any) => m.content),
    ['created'],
  );
});

test('the messages API is for staff, and checks its input', async (t) => {
  const c = t0.api;
  const o = await buildOrder(c);
  const url = `/v1/admin/orders/${o.o_id}/messages`;
  t.like(await c.get(url), { status: 401, body: { error: { code: 'unauthorized' } } });
  t.like(await c.get(url, o.buyer.token), { status: 403, body: { error: { code: 'forbidden' } } });
  t.like(await c.get(`/v1/admin/orders/${newId()}/messages`, staff.token), { status: 404, body: { error: { code: 'not_found' } } });
  t.like(await c.get('/v1/admin/orders/123/messages', staff.token), { status: 400, body: { error: { code: 'invalid_input' } } });
  t.like(await c.get(`${url}?page=0`, staff.token), { status: 400 });
  t.like(await c.get('/v1/admin/systemmessages', o.buyer.token), { status: 403 });
});

test('the store starts with a definition for every key', async (t) => {
  const res = await t0.api.get('/v1/admin/systemmessages?per_page=100', staff.token);
  t.is(res.status, 200);
  const byKey = new Map(res.body.data.list.map((d: any) => [d.key, d]));
  for (const key of EVENT_KEYS) {
    t.like(byKey.get(key), { key, ...SYSTEM_MESSAGES[key], dtime: 0 }, key);
  }
  t.like(res.body.data.meta, { page: 1, limit: 100, total: EVENT_KEYS.length });
  const first = res.body.data.list[0];
  t.deepEqual(Object.keys(first).sort(), ['admin', 'buyer', 'ctime', 'dtime', 'id', 'key', 'seller', 'utime']);
  const paged = await t0.api.get('/v1/admin/systemmessages?page=2&per_page=5', staff.token);
  t.is(paged.body.data.list.length, 5);
  t.is(paged.body.data.list[0].key, res.body.data.list[5].key);
  t.deepEqual((await t0.api.get(`/v1/admin/systemmessages/${first.id}`, staff.token)).body, { data: first });
});

test('create, update and soft delete; a deleted key falls back to the built-in text', async (t) => {
  // A store of its own: these edits change what every order on it shows.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sysmsg-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  let app = await startApp({ DATA_DIR: dir });
  const c = () => api(app.url);
  const list = async () => (await c().get('/v1/admin/systemmessages?per_page=100', staff.token)).body.data.list as any[];
  const confirmed = (await list()).find((d) => d.key === 'confirmed');

  const created = await c().post('/v1/admin/systemmessages', { key: 'reminder', buyer: '请及时付款。', seller: '请留意付款。', admin: '提醒已发送。' }, staff.token);
  t.is(created.status, 200);
  t.like(created.body.data, { key: 'reminder', buyer: '请及时付款。', dtime: 0 });
  t.regex(created.body.data.id, /^[0-9a-f]{24}$/);
  t.is(created.body.data.ctime, created.body.data.utime);
  const dup = await c().post('/v1/admin/systemmessages', { key: 'confirmed', buyer: 'a', seller: 'b', admin: 'c' }, staff.token);
  t.like(dup, { status: 409, body: { error: { code: 'duplicate' } } });
  t.like(await c().post('/v1/admin/systemmessages', { key: 'Bad Key', buyer: 'a', seller: 'b', admin: 'c' }, staff.token), { status: 400 });
  t.like(await c().post('/v1/admin/systemmessages', { key: 'x', buyer: { $ne: '' }, seller: 'b', admin: 'c' }, staff.token), { status: 400 });

  const updated = await c().put(`/v1/admin/systemmessages/${confirmed.id}`, { key: 'confirmed', buyer: '专家接单啦，请付款。', seller: confirmed.seller, admin: confirmed.admin }, staff.token);
  t.is(updated.status, 200);
  t.like(updated.body.data, { id: confirmed.id, key: 'confirmed', buyer: '专家接单啦，请付款。', ctime: confirmed.ctime });
  t.true(updated.body.data.utime >= confirmed.utime);
  t.like(await c().put(`/v1/admin/systemmessages/${confirmed.id}`, { key: 'reminder' }, staff.token), { status: 409 });
  t.like(await c().put(`/v1/admin/systemmessages/${newId()}`, { buyer: 'x' }, staff.token), { status: 404 });

  // The edited text is what the next confirmation shows the buyer.
  const o = await buildOrder(c());
  const buyer = await open(o.buyer.token, app);
  await c().post(`/rest/order/${o.o_id}/confirm`, {}, o.expert.token);
  const shown = async () => (await emitAck(buyer, 'history', { o_id: o.o_id })).list.find((m: any) => m.content === 'confirmed').text;
  t.is(await shown(), '专家接单啦，请付款。');

  const del = await c().del(`/v1/admin/systemmessages/${confirmed.id}`, staff.token);
  t.deepEqual(del, { status: 200, body: { data: { id: confirmed.id } } });
  t.like(await c().get(`/v1/admin/systemmessages/${confirmed.id}`, staff.token), { status: 404 });
  t.like(await c().del(`/v1/admin/systemmessages/${confirmed.id}`, staff.token), { status: 404 });
  t.false((await list()).some((d) => d.key === 'confirmed'));
  t.is(await shown(), SYSTEM_MESSAGES.confirmed.buyer, 'the built-in text again');

  // A restart does not bring a deleted key back; a new definition of it may be created.
  await app.close();
  app = await startApp({ DATA_DIR: dir });
  t.teardown(() => app.close());
  t.false((await list()).some((d) => d.key === 'confirmed'));
  const again = await c().post('/v1/admin/systemmessages', { key: 'confirmed', buyer: '新文案', seller: 's', admin: 'a' }, staff.token);
  t.is(again.status, 200);
  t.is((await list()).filter((d) => d.key === 'confirmed').length, 1);
});

test('GET /v1/admin/systemmessages/builtin lists the built-in texts a deleted definition falls back to', async (t) => {
  const res = await t0.api.get('/v1/admin/systemmessages/builtin', staff.token);
  t.is(res.status, 200);
  const byKey = new Map(res.body.data.list.map((d: { key: string }) => [d.key, d]));
  t.deepEqual([...byKey.keys()].sort(), [...EVENT_KEYS].sort());
  t.deepEqual(byKey.get('admin_canceled'), { key: 'admin_canceled', ...SYSTEM_MESSAGES.admin_canceled });
  t.is((await t0.api.get('/v1/admin/systemmessages/builtin', makeUser().token)).status, 403);
});
