// What follows an order event runs as listeners: each at its priority, only for the events
// it declares. The change is already stored when they run, so a failing listener is logged
// and the listeners after it still run.
import test from 'ava';
import { createLogger } from '../../src/log/logger';
import { LISTENER_PRIORITY, OrderEventListeners, type EventKey, type OrderEvent, type OrderEventListener } from '../../src/orders/order.events';
import type { Order } from '../../src/orders/order.types';
import { useApp } from '../helpers/app';
import { recordEvents } from '../helpers/money';
import { orderIn } from '../helpers/orders';

/** A logger whose lines the test reads. */
function capturedLog() {
  const lines: any[] = [];
  const log = createLogger('info', 'web', { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { log, lines };
}

const eventOf = (key: EventKey): OrderEvent => ({ order: { o_id: 'o1' } as Order, key, actor: null });

/** A listener that notes its name in `calls` when it runs. */
function noting(calls: string[], name: string, priority: number, handles: readonly EventKey[] = ['paid', 'finished']): OrderEventListener {
  return { name, priority, handles, handle: () => void calls.push(name) };
}

test('listeners run in priority order, not in the order they were added; equal priorities keep theirs', async (t) => {
  const calls: string[] = [];
  const listeners = new OrderEventListeners(capturedLog().log);
  listeners.use(noting(calls, 'late', 30));
  listeners.use(noting(calls, 'first', 10));
  listeners.use(noting(calls, 'middle a', 20));
  listeners.use(noting(calls, 'middle b', 20));
  await listeners.emit(eventOf('paid'));
  t.deepEqual(calls, ['first', 'middle a', 'middle b', 'late']);
});

test('a listener runs only for the events it declares', async (t) => {
  const calls: string[] = [];
  const listeners = new OrderEventListeners(capturedLog().log);
  listeners.use(noting(calls, 'finished only', 10, ['finished']));
  listeners.use(noting(calls, 'paid or settled', 20, ['paid', 'settled']));
  await listeners.emit(eventOf('paid'));
  await listeners.emit(eventOf('finished'));
  await listeners.emit(eventOf('settled'));
  await listeners.emit(eventOf('created'));
  t.deepEqual(calls, ['paid or settled', 'finished only', 'paid or settled']);
});

test('a failing listener is logged with its name; the listeners after it still run and emit resolves', async (t) => {
  const calls: string[] = [];
  const { log, lines } = capturedLog();
  const listeners = new OrderEventListeners(log);
  listeners.use(noting(calls, 'before', 10));
  listeners.use({ name: 'broken', priority: 20, handles: ['paid'], handle: () => Promise.reject(new Error('listener down')) });
  listeners.use(noting(calls, 'after', 30));
  await t.notThrowsAsync(listeners.emit(eventOf('paid')));
  t.deepEqual(calls, ['before', 'after']);
  const failed = lines.filter((l) => l.msg === 'order event listener failed');
  t.is(failed.length, 1);
  t.like(failed[0], { listener: 'broken', o_id: 'o1', key: 'paid', err: { message: 'listener down' } });
});

const logged = capturedLog();
const t0 = useApp(test, {}, () => ({ log: logged.log }));

test.serial('in the app, the `finished` message precedes `settled`; a failing listener fails neither the comment nor the settlement', async (t) => {
  const events = recordEvents(t0.app);
  const broken = new Error('a listener between the message and the settlement fails');
  t0.app.services.orders.use({
    name: 'test: broken',
    priority: LISTENER_PRIORITY.systemMessage + 1,
    handles: ['finished'],
    handle: () => {
      throw broken;
    },
  });
  const o = await orderIn(t0, 'toBeFinished', { price: 500 });
  const res = await t0.api.post(`/rest/order/${o.o_id}/comment`, { comment: '好', rating: 5 }, o.buyer.token);
  t.is(res.body.code, 900);
  t.is((await t0.api.get('/rest/wallet', o.expert.token)).body.info.balance, 500);
  const system = (await t0.app.store.chat.history(o.o_id, { after: 0, limit: 100 })).filter((m) => m.type === 'system').map((m) => m.content);
  t.deepEqual(system.slice(-2), ['finished', 'settled']);
  // The settlement's own event is handled inside the `finished` one: recorded (last of all listeners) first.
  t.deepEqual(events.of(o.o_id).map((e) => e.key).slice(-2), ['settled', 'finished']);
  t.true(logged.lines.some((l) => l.listener === 'test: broken' && l.o_id === o.o_id && l.err?.message === broken.message));
});
