// Real socket.io-client connections for the chat tests. Waits are on events and acks; the
// timeouts are failure guards only (a missing event fails the test instead of hanging it).
import { io, type Socket } from 'socket.io-client';
import { checkAck, checkPush } from './conformance';

export const GUARD_MS = 10_000;

export interface ConnectOptions {
  /** default: websocket only (fast); pass ['polling'] to test long-polling */
  transports?: ('websocket' | 'polling')[];
  reconnection?: boolean;
  /** handshake headers, e.g. the `Origin` a browser would send */
  extraHeaders?: Record<string, string>;
}

/** Connects with `auth: { token }` and resolves once connected; rejects with the connect_error. */
export function connect(url: string, token: string | undefined, opts: ConnectOptions = {}): Promise<Socket> {
  const socket = io(url, {
    auth: token === undefined ? {} : { token },
    transports: opts.transports ?? ['websocket'],
    reconnection: opts.reconnection ?? false,
    forceNew: true,
    timeout: GUARD_MS,
    extraHeaders: opts.extraHeaders,
  });
  // A push outside the protocol throws here, out of the client's event loop: the test file fails.
  socket.onAny((event: string, payload: unknown) => checkPush(event, payload));
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (err) => {
      socket.close();
      reject(err);
    });
  });
}

/** Emits with an acknowledgement and resolves to it; rejects when the ack is not the documented one. */
export async function emitAck(socket: Socket, event: string, ...args: unknown[]): Promise<any> {
  const ack: unknown = await socket.timeout(GUARD_MS).emitWithAck(event, ...args);
  checkAck(event, ack);
  return ack;
}

/** The next `event` whose payload satisfies `pred`. */
export function nextEvent(socket: Socket, event: string, pred: (p: any) => boolean = () => true): Promise<any> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, on);
      reject(new Error(`no ${event} event within ${GUARD_MS} ms`));
    }, GUARD_MS);
    const on = (p: unknown) => {
      if (!pred(p)) return;
      clearTimeout(timer);
      socket.off(event, on);
      resolve(p);
    };
    socket.on(event, on);
  });
}

export interface Collector {
  items: any[];
  /** resolves with the first collected item (past or future) that satisfies `pred` */
  waitFor(pred: (p: any) => boolean): Promise<any>;
}

/** Records every `event` a socket receives from now on. */
export function collect(socket: Socket, event: string): Collector {
  const items: any[] = [];
  const waiters: { pred: (p: any) => boolean; resolve: (p: any) => void }[] = [];
  socket.on(event, (p: unknown) => {
    items.push(p);
    for (const w of [...waiters]) {
      if (w.pred(p)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(p);
      }
    }
  });
  return {
    items,
    waitFor(pred) {
      const found = items.find(pred);
      if (found !== undefined) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const w = {
          pred,
          resolve: (p: any) => {
            clearTimeout(timer);
            resolve(p);
          },
        };
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(w), 1);
          reject(new Error(`no matching ${event} event within ${GUARD_MS} ms (got ${items.length})`));
        }, GUARD_MS);
        waiters.push(w);
      });
    },
  };
}

/** Closes every socket a test opened (in test.after.always / t.teardown). */
export function closeAll(sockets: Socket[]) {
  for (const s of sockets) s.close();
}
