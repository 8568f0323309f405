// What a chat message costs the embedded store, and what grouping commits saves: appends
// through the real SqliteChatRepo on a WAL file, one at a time (a commit each) against 10
// or 50 issued at once (one commit for all: the repository's group commit), with and
// without SQLite's automatic checkpoints (which run, with their fsyncs, inside the
// committing call).
//   npx tsx bench/micro/chat-append.ts [messages=5000]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SqliteChatRepo } from '../../src/chat/chat.sqlite';
import { openSqlite } from '../../src/db/sqlite';
import { newId } from '../../src/ids';
import { median } from '../lib/stats';

const N = Number(process.argv[2] ?? 5000);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chat-append-'));
const perMessage: Record<string, number[]> = {};
const walKB: Record<string, number> = {};

for (let round = 0; round < 3; round++) {
  for (const batch of [1, 10, 50]) {
    fs.rmSync(dir, { recursive: true, force: true });
    const db = openSqlite(dir);
    const repo = new SqliteChatRepo(db);
    const rooms = Array.from({ length: 500 }, () => ({ o_id: newId(), buyer: newId(), seller: newId() }));
    const append = (i: number) => {
      const r = rooms[i % rooms.length];
      const fromBuyer = i % 2 === 0;
      return repo.append(r, {
        msgid: newId(),
        from: fromBuyer ? r.buyer : r.seller,
        to: fromBuyer ? r.seller : r.buyer,
        type: 'text',
        content: `message ${i}`,
        client_id: `c-${i}`,
        createdAt: new Date(),
      });
    };
    const run = async (from: number) => {
      const t0 = performance.now();
      // Appends issued in one turn share a commit (the repository's group commit), so a
      // batch of N concurrent appends is N messages per commit.
      for (let i = 0; i < N; i += batch) await Promise.all(Array.from({ length: batch }, (_, j) => append(from + i + j)));
      return ((performance.now() - t0) / N) * 1000;
    };
    await run(0); // warm-up: rooms, members, page cache
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.pragma('wal_autocheckpoint = 0');
    (perMessage[`${batch} per commit, no checkpoints`] ??= []).push(await run(N));
    walKB[batch] = fs.statSync(path.join(dir, 'store.sqlite-wal')).size / N / 1024;
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.pragma('wal_autocheckpoint = 1000');
    (perMessage[`${batch} per commit, with checkpoints`] ??= []).push(await run(2 * N));
    db.close();
  }
}
fs.rmSync(dir, { recursive: true, force: true });
for (const [k, v] of Object.entries(perMessage)) console.log(`${k.padEnd(32)} ${median(v).toFixed(1).padStart(7)} µs/message`);
for (const [k, v] of Object.entries(walKB)) console.log(`${`${k} per commit`.padEnd(32)} ${v.toFixed(1).padStart(7)} KB of WAL/message`);
