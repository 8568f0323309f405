// What one user can multiply over Socket.IO, through real socket.io-client connections:
// sockets per user, the chat rate shared by a user's sockets, and a socket outliving its token.
import test from 'ava';
import jwt from 'jsonwebtoken';
import { io, type Socket } from 'socket.io-client';
import { signToken } from '../../src/auth/token';
import { api, makeUser, startApp, TEST_SECRET, type TestApp } from '../helpers/app';
import { buildOrder } from '../helpers/factories';
import { closeAll, connect, emitAck, GUARD_MS } from '../helpers/socket';

const sockets: Socket[] = [];
test.after.always(() => closeAll(sockets));
const open = async (t0: TestApp, token: string) => {
  const s = await connect(t0.url, token);
  sockets.push(s);
  return s;
};

async function app(t: import('ava').ExecutionContext, env: Record<string, string>) {
  const t0 = await startApp(env);
  t.teardown(() => t0.close());
  return t0;
}

test('a user past SOCKETS_PER_USER_MAX is refused with "too_many_connections"; others are not', async (t) => {
  const t0 = await app(t, { SOCKETS_PER_USER_MAX: '3' });
  const user = makeUser();
  const three = await Promise.all([1, 2, 3].map(() => open(t0, user.token)));
  const err = await t.throwsAsync(connect(t0.url, user.token));
  t.is(err?.message, 'too_many_connections');
  t.true(three.every((s) => s.connected), 'the open sockets are left alone');
  t.true((await open(t0, makeUser().token)).connected, 'another user connects');

  // A closed socket frees its place (once the server has seen it go).
  three[0].close();
  let again: Socket | undefined;
  for (let i = 0; i < 100 && !again; i++) {
    again = await open(t0, user.token).catch(() => undefined);
    if (!again) await new Promise((r) => setTimeout(r, 20));
  }
  t.true(again?.connected);
});

test('the chat rate is per user: ten sockets of one user share one bucket', async (t) => {
  // Half a message a second, a burst of one: one socket's bucket lets one message through
  // at once, so ten sockets with a bucket each would pass ten.
  const t0 = await app(t, { CHAT_RATE_PER_S: '0.5' });
  const o = await buildOrder(api(t0.url));
  const ten = await Promise.all(Array.from({ length: 10 }, () => open(t0, o.buyer.token)));
  const acks = await Promise.all(ten.map((s, i) => emitAck(s, 'message', { o_id: o.o_id, content: `from socket ${i}` })));
  const passed = acks.filter((a) => a.code === 900).length;
  t.true(passed >= 1 && passed < 10, `${passed} of 10 passed`);
  t.is(acks.filter((a) => a.code === 907).length, 10 - passed);
  // The seller's bucket is its own.
  const seller = await open(t0, o.expert.token);
  t.is((await emitAck(seller, 'message', { o_id: o.o_id, content: 'reply' })).code, 900);
  const h = await emitAck(seller, 'history', { o_id: o.o_id, limit: 100 });
  t.is(h.list.filter((m: any) => m.from === o.buyer.userID && m.type !== 'system').length, passed, 'refused messages were not stored');
});

/** A token for `userID` expiring at the next whole second at least `minMs` away, and that time in ms. */
function shortToken(userID: string, minMs: number) {
  const token = signToken(TEST_SECRET, userID, { expiresIn: Math.ceil(minMs / 1000) + 1 });
  return { token, expiresAt: (jwt.decode(token) as { exp: number }).exp * 1000 };
}

test('a socket whose token expires gets auth_expired, then is disconnected by the server', async (t) => {
  const t0 = await app(t, {});
  const o = await buildOrder(api(t0.url));
  const { token, expiresAt } = shortToken(o.buyer.userID, 500);
  const s = await open(t0, token);
  const seen: string[] = [];
  let payload: unknown;
  s.on('auth_expired', (p) => {
    seen.push('auth_expired');
    payload = p;
  });
  const gone = new Promise<string>((resolve) => s.once('disconnect', (reason) => resolve(reason)));
  t.is((await emitAck(s, 'message', { o_id: o.o_id, content: 'before expiry' })).code, 900);
  const reason = await guard(gone);
  seen.push('disconnect');
  t.true(Date.now() >= expiresAt, 'not before the token expired');
  t.deepEqual(seen, ['auth_expired', 'disconnect']);
  t.deepEqual(payload, { reason: 'token_expired' });
  t.is(reason, 'io server disconnect');
});

test('an event that reaches the server after the token expired answers 902', async (t) => {
  const t0 = await app(t, {});
  const o = await buildOrder(api(t0.url));
  const { token, expiresAt } = shortToken(o.buyer.userID, 500);
  const s = await open(t0, token);
  const expired = new Promise((resolve) => s.once('auth_expired', resolve));
  // Sent just before expiry; this process (client and server both) is then held until the
  // token has expired, so the server reads the event before its expiry timer can run.
  const ack = await new Promise<Promise<any>>((resolve) =>
    setTimeout(() => {
      const pending = emitAck(s, 'history', { o_id: o.o_id });
      while (Date.now() <= expiresAt + 20);
      resolve(pending);
    }, Math.max(0, expiresAt - Date.now() - 100)),
  );
  t.like(await ack, { code: 902, msg: 'auth: token expired' });
  await guard(expired);
});

test('a client given `auth` as a function reconnects with a fresh token after auth_expired', async (t) => {
  const t0 = await app(t, {});
  const o = await buildOrder(api(t0.url));
  let { token } = shortToken(o.buyer.userID, 500);
  // The README's example: the token is read at each (re)connection.
  const s = io(t0.url, { auth: (cb) => cb({ token }), transports: ['websocket'], forceNew: true, reconnection: false });
  sockets.push(s);
  let reconnected = 0;
  const back = new Promise<void>((resolve) => {
    s.on('auth_expired', () => {
      token = signToken(TEST_SECRET, o.buyer.userID, { expiresIn: '1h' });
    });
    s.on('disconnect', (reason) => {
      if (reason === 'io server disconnect') s.connect();
    });
    s.on('connect', () => {
      if (++reconnected === 2) resolve();
    });
  });
  await guard(back);
  t.is((await emitAck(s, 'message', { o_id: o.o_id, content: 'with a fresh token' })).code, 900);
});

function guard<T>(p: Promise<T>): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`nothing within ${GUARD_MS} ms`)), GUARD_MS).unref())]);
}
