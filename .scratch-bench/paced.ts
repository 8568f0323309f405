import fs from 'node:fs';
import Database from 'better-sqlite3';
import { migrate } from '../src/db/sqlite';
import { SqliteChatRepo } from '../src/chat/chat.sqlite';
import { newId } from '../src/ids';
import { summarize } from '../bench/lib/stats';
import { checkpointInBackground } from './sqlite-checkpoint';
const rate = Number(process.argv[2] ?? 1000);
const secs = Number(process.argv[3] ?? 10);
for (const mode of ['default', 'no-checkpoint', 'background', 'default', 'no-checkpoint', 'background']) {
  fs.rmSync('/tmp/abench', { recursive: true, force: true });
  fs.mkdirSync('/tmp/abench');
  const file = '/tmp/abench/store.sqlite';
  const db = new Database(file);
  db.pragma('busy_timeout = 10000'); db.pragma('journal_mode = WAL'); db.pragma('synchronous = NORMAL'); migrate(db);
  let stop = () => {};
  if (mode === 'no-checkpoint') db.pragma('wal_autocheckpoint = 0');
  if (mode === 'background') stop = checkpointInBackground(db, file, 250, 512 * 2 ** 20);
  const repo = new SqliteChatRepo(db);
  const rooms = Array.from({ length: 500 }, () => ({ o_id: newId(), buyer: newId(), seller: newId() }));
  const msg = (i: number) => { const r = rooms[i % 500]; return [r, { msgid: newId(), from: i % 2 ? r.buyer : r.seller, to: i % 2 ? r.seller : r.buyer, type: 'text' as const, content: `b:1:${i}:${i}:12345.678`, client_id: `c-${i}`, createdAt: new Date() }] as const; };
  for (let i = 0; i < 1000; i++) await repo.append(...msg(i));
  const lat: number[] = [];
  let maxWal = 0;
  const N = rate * secs;
  const t0 = performance.now();
  let i = 0;
  await new Promise<void>((resolve) => {
    const timer = setInterval(async () => {
      const now = performance.now();
      while (i < N && t0 + (i / rate) * 1000 <= now) {
        const due = t0 + (i / rate) * 1000;
        await repo.append(...msg(1000 + i));
        lat.push(performance.now() - due);
        i++;
      }
      try { maxWal = Math.max(maxWal, fs.statSync(file + '-wal').size); } catch {}
      if (i >= N) { clearInterval(timer); resolve(); }
    }, 1);
  });
  const s = summarize(lat);
  const cpu = process.cpuUsage();
  console.log(mode.padEnd(14), rate + '/s: p50', s.p50.toFixed(2), 'p99', s.p99.toFixed(2), 'max', s.max.toFixed(1), 'ms; >10ms:', lat.filter((x) => x > 10).length, 'max wal MB', (maxWal / 2 ** 20).toFixed(0));
  stop();
  db.close();
}
