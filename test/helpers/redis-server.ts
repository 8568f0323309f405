// Starts a private redis-server on a free port for tests that need to stop, restart or
// isolate Redis; the shared one on 6379 is left alone.
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { createRedis } from '../../src/db/redis';
import { createLogger } from '../../src/log/logger';

export interface RedisServer {
  url: string;
  port: number;
  /** stops it (SIGKILL: gone at once, as a crashed Redis) */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** starts it again on the same port (after stop) */
  start(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      s.once('connect', () => (s.destroy(), resolve(true)));
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`redis-server did not listen on ${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface RedisServerOptions {
  /** serve TLS only (`rediss://`), with this certificate and key (PEM files) */
  tls?: { certFile: string; keyFile: string };
}

export async function startRedisServer(opts: RedisServerOptions = {}): Promise<RedisServer> {
  const port = await freePort();
  let proc: ChildProcess | undefined;
  const listen = opts.tls
    ? ['--port', '0', '--tls-port', String(port), '--tls-cert-file', opts.tls.certFile, '--tls-key-file', opts.tls.keyFile, '--tls-auth-clients', 'no']
    : ['--port', String(port)];
  const start = async () => {
    proc = spawn('redis-server', [...listen, '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    proc.once('error', (err) => {
      throw new Error(`cannot start redis-server (is it on PATH?): ${err.message}`);
    });
    await waitForPort(port);
  };
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    const p = proc;
    proc = undefined;
    if (!p || p.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      p.once('exit', () => resolve());
      p.kill(signal);
    });
  };
  await start();
  return { url: `${opts.tls ? 'rediss' : 'redis'}://127.0.0.1:${port}`, port, stop, start };
}

/** Until `count` Socket.IO adapters on this Redis have subscribed (they do so in the background). */
export async function adaptersSubscribed(url: string, count: number) {
  const client = createRedis(url, createLogger('silent'), 'test-probe');
  try {
    for (let i = 0; i < 400; i++) {
      // Each adapter subscribes its request channel right after its event pattern, on one connection.
      const [, subscribers] = (await client.pubsub('NUMSUB', 'socket.io-request#/#')) as [string, number];
      if (Number(subscribers) >= count) return;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error('the Socket.IO adapters never subscribed to Redis');
  } finally {
    await client.quit();
  }
}
