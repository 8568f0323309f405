import test from 'ava';
import { TokenBucket } from '../../src/chat/token-bucket';

test('a burst passes, then the rate; unused time saves up to the burst only', (t) => {
  let now = 0;
  const bucket = new TokenBucket(10, 20, () => now);
  const takes = (n: number) => Array.from({ length: n }, () => bucket.take()).filter(Boolean).length;
  t.is(takes(25), 20, 'the burst');
  now += 100; // a tenth of a second: one token at 10/s
  t.is(takes(5), 1);
  now += 60_000; // a minute idle saves the burst, not 600 tokens
  t.is(takes(100), 20);
  now += 250;
  t.is(takes(10), 2, 'fractions carry over: 2.5 tokens give 2');
  now += 50;
  t.is(takes(10), 1, '0.5 + 0.5');
});
