// The set-up the chat test files share, kept here so each test shows only what it checks:
// one app for the file, sockets closed after the file (before the app), and an order whose
// parties are connected and, if asked, joined to its room.
import type { TestFn } from 'ava';
import type { Socket } from 'socket.io-client';
import { makeUser, useApp, type TestApp, type TestUser } from './app';
import { buildOrder } from './factories';
import type { BuiltOrder } from './orders';
import { closeAll, connect, emitAck, type ConnectOptions } from './socket';

export type Party = 'buyer' | 'seller' | 'staff';

export function useChatApp(test: TestFn, env: Record<string, string> = {}) {
  const sockets: Socket[] = [];
  // Registered before useApp's hook (both serial), so the sockets close before the app does.
  test.serial.after.always(() => closeAll(sockets));
  const app = useApp(test, env);

  /** Connects to `t` (this file's app unless given); the socket is closed after the file. */
  const open = async (token: string, t: TestApp = app, opts?: ConnectOptions) => {
    const s = await connect(t.url, token, opts);
    sockets.push(s);
    return s;
  };

  /**
   * An order (a new pending one unless `order` is given) with a socket per party in `open`
   * (default buyer and seller; `staff` is a new staff user), connected at once; then those in
   * `join` join its room one by one, in that order. The join acks are returned, unchecked,
   * for the test to assert on.
   */
  const chatOrder = async <P extends Party = 'buyer' | 'seller'>(
    opts: { order?: BuiltOrder; open?: P[]; join?: NoInfer<P>[] } = {},
  ): Promise<{ o: BuiltOrder; staffUser: TestUser; joined: Partial<Record<P, any>> } & Record<P, Socket>> => {
    const o = opts.order ?? (await buildOrder(app.api));
    const staffUser = makeUser({ staff: true });
    const tokens: Record<Party, string> = { buyer: o.buyer.token, seller: o.expert.token, staff: staffUser.token };
    const who = opts.open ?? (['buyer', 'seller'] as P[]);
    const socketList = await Promise.all(who.map((p) => open(tokens[p])));
    const socketsOf = Object.fromEntries(who.map((p, i) => [p, socketList[i]])) as Record<P, Socket>;
    const joined: Partial<Record<P, any>> = {};
    for (const p of opts.join ?? []) joined[p] = await emitAck(socketsOf[p], 'join', { o_id: o.o_id });
    return { o, staffUser, joined, ...socketsOf };
  };

  return { app, open, chatOrder };
}
