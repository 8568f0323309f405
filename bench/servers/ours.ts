// Our server, built by createApp exactly as `npm start` builds it, with a private store
// (a temporary DATA_DIR, or a MongoDB database named by BENCH_MONGODB_DB), silent logs,
// no jobs and a chat rate limit high enough not to be what is measured.
import type { AddressInfo } from 'node:net';
import { createApp } from '../../src/app';
import { parseConfig } from '../../src/config';
import { createStore } from '../../src/db/store';
import { serveChild } from '../lib/ipc';
import { addOtherOrders, seedMessages, seedOrders, seedRooms } from '../seed';

const config = parseConfig({
  ...process.env,
  PORT: '0',
  LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'silent',
  RUN_JOBS: 'false',
  CHAT_RATE_PER_S: process.env.CHAT_RATE_PER_S ?? '1000000',
});
const store = await createStore({ mongodbUri: config.MONGODB_URI, mongodbDb: process.env.BENCH_MONGODB_DB, dataDir: config.DATA_DIR });
const app = await createApp({ config, store });
await new Promise<void>((resolve, reject) => {
  app.server.once('error', reject);
  app.server.listen(0, '127.0.0.1', () => resolve());
});
const { port } = app.server.address() as AddressInfo;

serveChild(
  {
    seedRooms: (p: { rooms: number }) => seedRooms(store, p.rooms),
    seedOrders: (p: { users: number; orders: number; focusOrders: number }) => seedOrders(store, p),
    addOtherOrders: (p: { users: string[]; n: number }) => addOtherOrders(store, p.users, p.n),
    seedMessages: (p: Parameters<typeof seedMessages>[1]) => seedMessages(store, p),
    gc: () => {
      globalThis.gc?.();
      globalThis.gc?.();
      return process.memoryUsage();
    },
  },
  { url: `http://127.0.0.1:${port}`, kind: 'ours', engine: store.engine },
  () => app.close(),
);
