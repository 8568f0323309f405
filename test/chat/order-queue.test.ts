// The per-order queue the chat stores messages through (src/chat/order-queue.ts).
import test from 'ava';
import { OrderQueue } from '../../src/chat/order-queue';

/** A task that finishes when the test says so, and records when it started. */
function gate(log: string[], name: string) {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return {
    open,
    task: async () => {
      log.push(`start ${name}`);
      await opened;
      log.push(`end ${name}`);
      return name;
    },
  };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

test('an order’s tasks run one at a time in the order queued, whatever order they would finish in', async (t) => {
  const q = new OrderQueue();
  const log: string[] = [];
  const [a, b, c] = ['a', 'b', 'c'].map((n) => gate(log, n));
  const results = [q.run('o1', a.task), q.run('o1', b.task), q.run('o1', c.task)];
  c.open();
  b.open();
  await Promise.resolve();
  t.deepEqual(log, ['start a'], 'b and c wait for a');
  a.open();
  t.deepEqual(await Promise.all(results), ['a', 'b', 'c']);
  t.deepEqual(log, ['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
});

test('orders do not wait for each other; a failed task does not hold back the next; drained orders are forgotten', async (t) => {
  const q = new OrderQueue();
  const log: string[] = [];
  const slow = gate(log, 'slow');
  const first = q.run('o1', slow.task);
  const other = q.run('o2', async () => 'other');
  t.is(await other, 'other', 'o2 ran while o1 was busy');
  const failing = q.run('o1', async () => {
    throw new Error('store down');
  });
  const after = q.run('o1', async () => 'after');
  await settle();
  t.is(q.size, 1, 'o2 drained; o1 still busy');
  slow.open();
  t.is(await first, 'slow');
  await t.throwsAsync(failing, { message: 'store down' });
  t.is(await after, 'after');
  await settle();
  t.is(q.size, 0);
});
