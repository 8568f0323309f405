// Where the MongoDB suites run: a real MongoDB at TEST_MONGODB_URI, or else the wire-protocol
// stand-in in server.py (mongomock behind a small OP_MSG front, NOT mongod), started here on a
// free port. Every suite reports which one it ran on through `label`.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { MongoClient } from 'mongodb';

export const PYTHON = '/usr/bin/python3';
export const SERVER_PY = path.join(import.meta.dirname, 'server.py');

export interface MongoTarget {
  /** a connection string without a database name (each suite picks fresh databases) */
  uri: string;
  /** 'mongod' for TEST_MONGODB_URI, 'standin' for the mongomock stand-in */
  kind: 'mongod' | 'standin';
  /** what to print: e.g. "mongomock over the wire, not mongod" */
  label: string;
  stop(): Promise<void>;
}

export const STANDIN_LABEL = 'mongomock over the wire (the stand-in in test/mongo-standin/), not mongod';
export const MONGOD_LABEL = 'MongoDB at TEST_MONGODB_URI';

/** Starts the stand-in and resolves once it answers a `ping` through the official driver. */
export async function startMongoStandIn(): Promise<MongoTarget> {
  // stdin stays open: the stand-in exits when it closes, so it dies with this process.
  const proc = spawn(PYTHON, [SERVER_PY, '--port', '0'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    let seen = '';
    const onData = (d: Buffer) => {
      seen += d;
      const m = /mongo-standin listening on (\d+)/.exec(seen);
      if (m) (proc.stdout!.off('data', onData), resolve(Number(m[1])));
    };
    proc.stdout!.on('data', onData);
    proc.once('error', (err) => reject(new Error(`cannot start ${PYTHON} ${SERVER_PY}: ${err.message} (is python3-mongomock installed?)`)));
    proc.once('exit', (code) => reject(new Error(`the MongoDB stand-in exited with ${code} before listening (is python3-mongomock installed?)`)));
  });
  // Keep draining stdout so a chatty stand-in never blocks on a full pipe. Unreferenced, the
  // child and its pipes never keep this process alive; its exit closes the stand-in's stdin.
  proc.stdout!.resume();
  for (const handle of [proc, proc.stdin, proc.stdout] as { unref(): void }[]) handle.unref();
  const uri = `mongodb://127.0.0.1:${port}`;
  await ping(uri);
  return { uri, kind: 'standin', label: STANDIN_LABEL, stop: () => stopProcess(proc) };
}

/**
 * TEST_MONGODB_URI's server when set; else the stand-in at TEST_STANDIN_URI (one that
 * `npm run test:mongodb` started for all its files, left running by `stop`); else a fresh one.
 */
export async function mongoTarget(): Promise<MongoTarget> {
  const real = process.env.TEST_MONGODB_URI;
  if (real) {
    await ping(real);
    return { uri: real, kind: 'mongod', label: MONGOD_LABEL, stop: async () => {} };
  }
  const shared = process.env.TEST_STANDIN_URI;
  if (shared) {
    await ping(shared);
    return { uri: shared, kind: 'standin', label: STANDIN_LABEL, stop: async () => {} };
  }
  return startMongoStandIn();
}

/** The URI with a database name put in (after the host list, before any options). */
export function withDatabase(uri: string, dbName: string): string {
  const u = new URL(uri);
  u.pathname = `/${dbName}`;
  return u.toString();
}

async function ping(uri: string) {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 10_000 });
  try {
    await client.connect();
    await client.db('admin').command({ ping: 1 });
  } finally {
    await client.close();
  }
}

function stopProcess(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    proc.once('exit', () => resolve());
    // Waiting for its exit must keep this process up.
    proc.ref();
    proc.stdin!.end();
  });
}
