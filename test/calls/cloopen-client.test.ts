import test from 'ava';
import { createHash } from 'node:crypto';
import { CloopenClient, formatCloopenTimestamp } from '../../src/calls/cloopen-client.js';
import { parseCloopenCdr } from '../../src/calls/cloopen-cdr.js';
import { CallProviderError } from '../../src/calls/provider.js';
import { startCloopenFake, type CloopenFake } from '../fakes/cloopen-fake.js';

const SUB_SID = '2fa6bbc2a6f511e5bb9bac853d9f54f2';
const SUB_TOKEN = '0b9e7d3ba6f511e5bb9bac853d9f54f2';
// 2024-03-05 01:02:03 UTC is 09:02:03 in Beijing, the clock Cloopen checks against.
const NOW = new Date('2024-03-05T01:02:03Z');
const TS = '20240305090203';

const fakes: CloopenFake[] = [];
async function setup(token = SUB_TOKEN) {
  const fake = await startCloopenFake({ subAccountSid: SUB_SID, subAccountToken: SUB_TOKEN });
  fakes.push(fake);
  const client = new CloopenClient({
    accountSid: 'aaf98f89488d0aad0148a2b6b5e00b09',
    authToken: 'a1b2c3',
    subAccountSid: SUB_SID,
    subAccountToken: token,
    appId: '8a48b5514a9e4570014a9f1ac45b0113',
    baseUrl: fake.url,
    now: () => NOW,
    timeoutMs: 2000,
  });
  return { fake, client };
}
test.after.always(async () => {
  await Promise.all(fakes.map((f) => f.close()));
});

test('timestamps are yyyyMMddHHmmss on the China clock whatever the server TZ', (t) => {
  t.is(formatCloopenTimestamp(NOW), TS);
  t.is(formatCloopenTimestamp(NOW, 0), '20240305010203');
  t.is(formatCloopenTimestamp(new Date('2023-12-31T16:00:00Z')), '20240101000000');
});

test('startCall sends the sig and Authorization Cloopen expects and returns the callSid', async (t) => {
  const { fake, client } = await setup();
  const { callSid } = await client.startCall({
    from: '13800000001',
    to: '13900000002',
    userData: 'o5f1c2b3a4d5e6f708192a3b4',
    hangupCdrUrl: 'https://example.com/rest/webhooks/call?token=t',
    maxCallTime: 1800,
  });
  t.regex(callSid, /^[0-9a-f]{32}$/);
  t.true(fake.calls.has(callSid));

  const req = fake.requests.at(-1)!;
  const expectedSig = createHash('md5').update(`${SUB_SID}${SUB_TOKEN}${TS}`).digest('hex').toUpperCase();
  t.is(req.path, `/2013-12-26/SubAccounts/${SUB_SID}/Calls/Callback?sig=${expectedSig}`);
  t.is(req.headers.authorization, Buffer.from(`${SUB_SID}:${TS}`).toString('base64'));
  t.is(req.headers.accept, 'application/json');
  t.is(req.headers['content-type'], 'application/json;charset=utf-8');
  t.like(JSON.parse(req.body), {
    from: '13800000001',
    to: '13900000002',
    userData: 'o5f1c2b3a4d5e6f708192a3b4',
    hangupCdrUrl: 'https://example.com/rest/webhooks/call?token=t',
    maxCallTime: '1800',
  });
});

test("the fake's hang-up record for a started call parses back to the call", async (t) => {
  const { fake, client } = await setup();
  const { callSid } = await client.startCall({ from: '1', to: '2', userData: 'o42' });
  t.deepEqual(parseCloopenCdr(fake.cdrFor(callSid, 42)), { callSid, status: 'finished', duration: 42, userData: 'o42' });
  t.like(parseCloopenCdr(fake.cdrFor(callSid, 0)), { callSid, status: 'no_answer' });
});

test('a wrong token is refused by the sig check (111109), not busy', async (t) => {
  const { client } = await setup('ffffffffffffffffffffffffffffffff');
  const err = await t.throwsAsync(client.startCall({ from: '1', to: '2', userData: 'o' }), { instanceOf: CallProviderError });
  t.is(err?.providerCode, '111109');
  t.false(err?.busy);
  t.is(err?.provider, 'cloopen');
});

test('the concurrency limit (111111) is reported as busy', async (t) => {
  const { fake, client } = await setup();
  fake.setBusy(true);
  const err = await t.throwsAsync(client.startCall({ from: '1', to: '2', userData: 'o' }), { instanceOf: CallProviderError });
  t.is(err?.providerCode, '111111');
  t.true(err?.busy);
  fake.setBusy(false);
  await t.notThrowsAsync(client.startCall({ from: '1', to: '2', userData: 'o' }));
});

test('an unreachable provider is a CallProviderError, not busy', async (t) => {
  const { fake, client } = await setup();
  await fake.close();
  const err = await t.throwsAsync(client.startCall({ from: '1', to: '2', userData: 'o' }), { instanceOf: CallProviderError });
  t.is(err?.providerCode, 'network');
  t.false(err?.busy);
});

test('a success without a callSid is refused', async (t) => {
  const client = new CloopenClient({
    accountSid: 'a', authToken: 'b', subAccountSid: 'c', subAccountToken: 'd', appId: 'e',
    fetch: async () => new Response(JSON.stringify({ statusCode: '000000' })),
  });
  const err = await t.throwsAsync(client.startCall({ from: '1', to: '2', userData: 'o' }), { instanceOf: CallProviderError });
  t.is(err?.providerCode, 'bad_response');
});
