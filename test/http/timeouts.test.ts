// The HTTP server's timeouts, set small through the configuration: a client sending its
// headers or its body a byte at a time is cut off, a silent connection is closed, and an
// idle keep-alive connection is closed. The guards only catch a server that never cuts.
import test from 'ava';
import net from 'node:net';
import { makeUser, useApp } from '../helpers/app';
import { within } from '../helpers/spawn';

const t0 = useApp(test, {
  HTTP_HEADERS_TIMEOUT_MS: '300',
  HTTP_REQUEST_TIMEOUT_MS: '600',
  HTTP_KEEP_ALIVE_TIMEOUT_MS: '300',
  HTTP_SOCKET_TIMEOUT_MS: '2000',
});
const GUARD_MS = 20_000;

/**
 * Opens a raw connection, writes `head`, then one more byte of `drip` every 50 ms for as long
 * as the connection lasts; resolves with everything the server sent once it closes.
 */
function trickle(head: string, drip = ''): Promise<string> {
  const { port } = new URL(t0.url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), '127.0.0.1');
    let received = '';
    let i = 0;
    const timer = setInterval(() => {
      if (drip && !socket.destroyed) socket.write(drip[i++ % drip.length]);
    }, 50);
    socket.on('data', (d) => (received += d));
    socket.once('error', (err) => ((err as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(err)));
    socket.once('close', () => {
      clearInterval(timer);
      resolve(received);
    });
    if (head) socket.write(head);
  });
}

test('the server applies the configured timeouts', (t) => {
  const s = t0.app.server;
  t.like(s, { headersTimeout: 300, requestTimeout: 600, keepAliveTimeout: 300, timeout: 2000 });
});

test('headers sent a byte at a time are cut off with 408', async (t) => {
  const answer = await within(trickle('GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ', 'abcdefgh'), GUARD_MS, 'cut off');
  t.regex(answer, /^HTTP\/1\.1 408/);
});

test('a body sent a byte at a time is cut off', async (t) => {
  const head = `POST /rest/topic HTTP/1.1\r\nHost: x\r\nauth: ${makeUser().token}\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"title":"`;
  const answer = await within(trickle(head, 'abcdefgh'), GUARD_MS, 'cut off');
  t.notRegex(answer, /"code":900/);
});

test('a connection that never sends anything is closed', async (t) => {
  const answer = await within(trickle(''), GUARD_MS, 'closed');
  t.notRegex(answer, /200 OK/);
});

test('an idle keep-alive connection is closed after its answer', async (t) => {
  const answer = await within(trickle('GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n'), GUARD_MS, 'closed');
  t.regex(answer, /^HTTP\/1\.1 200 OK/);
});
