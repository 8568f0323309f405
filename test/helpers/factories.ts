// Test data through the public API, so factories exercise the same paths as clients.
import { makeUser, type Api, type Res, type TestUser } from './app';

function expectOk(res: Res, what: string) {
  if (res.status !== 200 || res.body?.code !== 900) throw new Error(`${what} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function buildTopic(c: Api, expert: TestUser = makeUser(), fields: Partial<{ title: string; category: string; price: number }> = {}) {
  const body = expectOk(await c.post('/rest/topic', { title: '留学咨询', category: '留学', price: 1000, ...fields }, expert.token), 'create topic');
  return { topic_id: body.topic_id as string, expert };
}

/** A pending order between a new buyer and a new expert. */
export async function buildOrder(c: Api, opts: { price?: number } = {}) {
  const { topic_id, expert } = await buildTopic(c, makeUser(), { price: opts.price ?? 1000 });
  const buyer = makeUser();
  const body = expectOk(await c.post(`/rest/topic/${topic_id}/order`, { question: '问题', self_desc: '描述' }, buyer.token), 'create order');
  return { o_id: body.o_id as string, topic_id, buyer, expert };
}

/**
 * Pays through the real endpoints with the sandbox provider: create the charge, then report
 * success (the sandbox takes that as the provider's confirmation). Returns the pay_id.
 */
export async function payViaApi(c: Api, o_id: string, buyer: TestUser, channel: 'alipay' | 'wx' = 'alipay'): Promise<string> {
  const { pay_id } = expectOk(await c.post(`/rest/order/${o_id}/pay`, { channel }, buyer.token), 'pay');
  const res = expectOk(await c.post(`/rest/pay/${pay_id}/result`, { status: 'success' }, buyer.token), 'pay result');
  if (res.paid !== true) throw new Error(`pay result: not paid: ${JSON.stringify(res)}`);
  return pay_id as string;
}

/** Drives an order to `status` through the API; pays through the sandbox endpoints unless `pay` is given. */
export async function advance(c: Api, o: Awaited<ReturnType<typeof buildOrder>>, status: 'confirmed' | 'paid' | 'toBeFinished' | 'finished', pay?: (o_id: string, buyer: TestUser) => Promise<void>) {
  expectOk(await c.post(`/rest/order/${o.o_id}/confirm`, {}, o.expert.token), 'confirm');
  if (status === 'confirmed') return;
  if (pay) await pay(o.o_id, o.buyer);
  else await payViaApi(c, o.o_id, o.buyer);
  if (status === 'paid') return;
  expectOk(await c.post(`/rest/order/${o.o_id}/finish`, {}, o.expert.token), 'finish');
  if (status === 'toBeFinished') return;
  expectOk(await c.post(`/rest/order/${o.o_id}/comment`, { comment: '很好', rating: '5' }, o.buyer.token), 'comment');
}
