import test from 'ava';
import { SimulatedCallProvider } from '../../src/calls/simulated-provider.js';
import { CallProviderError, type CallStatusUpdate } from '../../src/calls/provider.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('emits finished with a duration after simMs, not before', async (t) => {
  const p = new SimulatedCallProvider({ simMs: 50 });
  t.teardown(() => p.close());
  const seen: CallStatusUpdate[] = [];
  p.onStatus((u) => seen.push(u));
  const started = Date.now();
  const { callSid } = await p.startCall({ from: '13800000001', to: '13900000002', userData: 'o1' });
  t.regex(callSid, /^[0-9a-f]{32}$/);
  t.is(seen.length, 0);

  const update = await new Promise<CallStatusUpdate>((resolve) => p.onStatus(resolve));
  t.true(Date.now() - started >= 45);
  t.deepEqual(update, { callSid, status: 'finished', duration: 1, userData: 'o1' });
  t.is(seen.length, 1);
});

test('close() cancels pending calls: nothing is emitted afterwards', async (t) => {
  const p = new SimulatedCallProvider({ simMs: 30 });
  const seen: CallStatusUpdate[] = [];
  p.onStatus((u) => seen.push(u));
  await p.startCall({ from: '1', to: '2', userData: 'o' });
  p.close();
  await sleep(80);
  t.is(seen.length, 0);
});

test('a throwing listener does not stop the others', async (t) => {
  const p = new SimulatedCallProvider({ simMs: 10 });
  t.teardown(() => p.close());
  const orig = console.error;
  console.error = () => {};
  t.teardown(() => {
    console.error = orig;
  });
  p.onStatus(() => {
    throw new Error('boom');
  });
  const got = new Promise<CallStatusUpdate>((resolve) => p.onStatus(resolve));
  await p.startCall({ from: '1', to: '2', userData: 'o' });
  t.is((await got).status, 'finished');
});

test('missing numbers are refused', async (t) => {
  const p = new SimulatedCallProvider();
  const err = await t.throwsAsync(p.startCall({ from: '', to: '2', userData: 'o' }), { instanceOf: CallProviderError });
  t.false(err?.busy);
});
