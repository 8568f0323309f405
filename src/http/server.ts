// The HTTP server with every wait bounded, so slow or vanished clients cannot hold sockets:
// headers within HTTP_HEADERS_TIMEOUT_MS, the whole request within HTTP_REQUEST_TIMEOUT_MS,
// an idle keep-alive connection kept HTTP_KEEP_ALIVE_TIMEOUT_MS (longer than the load
// balancer in front keeps its idle connections, so it is always the balancer that closes
// one and never sends a request down a connection this side just closed), and a socket with
// no traffic either way for HTTP_SOCKET_TIMEOUT_MS destroyed. TCP keep-alive probes find
// peers that vanished without a FIN, WebSockets included (Socket.IO's pings cover those too).
import http from 'node:http';
import type { Config } from '../config';

type Timeouts = Pick<Config, 'HTTP_HEADERS_TIMEOUT_MS' | 'HTTP_REQUEST_TIMEOUT_MS' | 'HTTP_KEEP_ALIVE_TIMEOUT_MS' | 'HTTP_SOCKET_TIMEOUT_MS'>;

/** Node checks the headers and request timeouts on this beat, not per connection. */
const checkingIntervalMs = (c: Timeouts) => Math.max(10, Math.min(1000, Math.floor(c.HTTP_HEADERS_TIMEOUT_MS / 4)));

export function createHttpServer(config: Timeouts, handler: http.RequestListener): http.Server {
  const server = http.createServer(
    {
      headersTimeout: config.HTTP_HEADERS_TIMEOUT_MS,
      requestTimeout: config.HTTP_REQUEST_TIMEOUT_MS,
      keepAliveTimeout: config.HTTP_KEEP_ALIVE_TIMEOUT_MS,
      connectionsCheckingInterval: checkingIntervalMs(config),
      keepAlive: true,
      keepAliveInitialDelay: 60_000,
    },
    handler,
  );
  // Without a 'timeout' listener Node destroys the idle socket, which is what is wanted.
  server.timeout = config.HTTP_SOCKET_TIMEOUT_MS;
  return server;
}
