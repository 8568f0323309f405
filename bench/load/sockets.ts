// Socket.IO load generator (a child process of bench/run.ts). Holds many client sockets,
// sends `message` at a fixed offered rate with the send time in the content, and measures
// the time from emit to the peer's `message` event. One process, so one clock.
import { io, type Socket } from 'socket.io-client';
import { signToken } from '../../src/auth/token';
import { serveChild } from '../lib/ipc';
import { selfCpuMeter } from '../lib/proc';
import { summarize, type Summary } from '../lib/stats';

interface Peer {
  url: string;
  userID: string;
  /** the order room this socket joins (none: idle connection) */
  o_id?: string;
}

let sockets: Socket[] = [];
let rooms: (string | undefined)[] = [];
let disconnects = 0;

// Per-step state, reset by `run`.
let step = 0;
let latencies = new Float64Array(0);
let delivered = 0;
let seen = new Uint8Array(0);
let dupes = 0;
let selfEchoes = 0;
let stale = 0;
let acked = 0;
let ackErrors: Record<string, number> = {};
/** every event the clients received during the step, by name (what a message costs in frames) */
let events: Record<string, number> = {};

function onMessage(idx: number, m: { content?: unknown }) {
  const now = performance.now();
  const c = m?.content;
  if (typeof c !== 'string' || !c.startsWith('b:')) return; // system messages and the like
  // b:<step>:<seq>:<sender>:<t>
  const parts = c.split(':');
  const st = Number(parts[1]);
  const seq = Number(parts[2]);
  const sender = Number(parts[3]);
  if (sender === idx) return void selfEchoes++;
  if (st !== step) return void stale++;
  if (seen[seq]) return void dupes++;
  seen[seq] = 1;
  latencies[delivered++] = now - Number(parts[4]);
}

function connectOne(p: Peer, secret: string, timeoutMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = io(p.url, {
      auth: { token: signToken(secret, p.userID) },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      timeout: timeoutMs,
    });
    const timer = setTimeout(() => {
      s.close();
      reject(new Error('connect/join timeout'));
    }, timeoutMs);
    s.once('connect_error', (err) => {
      clearTimeout(timer);
      s.close();
      reject(err);
    });
    s.once('connect', () => {
      if (!p.o_id) {
        clearTimeout(timer);
        return resolve(s);
      }
      s.emit('join', { o_id: p.o_id }, (r: { code?: number }) => {
        clearTimeout(timer);
        if (r?.code === 900) resolve(s);
        else {
          s.close();
          reject(new Error(`join answered ${JSON.stringify(r).slice(0, 200)}`));
        }
      });
    });
  });
}

async function connect(p: { peers: Peer[]; secret: string; concurrency?: number; timeoutMs?: number }) {
  const t0 = performance.now();
  const out: Socket[] = new Array(p.peers.length);
  const errors: Record<string, number> = {};
  let failed = 0;
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(p.concurrency ?? 100, p.peers.length) }, async () => {
      while (next < p.peers.length) {
        const i = next++;
        try {
          out[i] = await connectOne(p.peers[i], p.secret, p.timeoutMs ?? 15_000);
        } catch (err) {
          failed++;
          const k = String((err as Error).message).slice(0, 120);
          errors[k] = (errors[k] ?? 0) + 1;
        }
      }
    }),
  );
  const base = sockets.length;
  out.forEach((s, i) => {
    if (!s) return;
    const idx = base + i;
    s.on('message', (m: { content?: unknown }) => onMessage(idx, m));
    s.on('disconnect', () => disconnects++);
    s.onAny((name: string) => void (events[name] = (events[name] ?? 0) + 1));
  });
  sockets.push(...out);
  rooms.push(...p.peers.map((x) => x.o_id));
  return { connected: out.filter(Boolean).length, failed, errors, ms: performance.now() - t0 };
}

export interface StepResult {
  rate: number;
  durationS: number;
  sent: number;
  sendRate: number;
  acked: number;
  lost: number;
  ackErrors: Record<string, number>;
  delivered: number;
  deliveredRate: number;
  dupes: number;
  selfEchoes: number;
  stale: number;
  latency: Summary;
  /** how late sends left against their schedule: large values mean this process was the bottleneck */
  sendLagP99: number;
  loadCpu: number;
  disconnects: number;
  /** events received by all clients during the step, by name, per message sent */
  eventsPerMessage: Record<string, number>;
}

async function run(p: { rate: number; durationS: number; graceMs?: number }): Promise<StepResult> {
  // Pairs: sockets[2i] and sockets[2i+1] sit in the same room; each sends to the other.
  const n = sockets.length - (sockets.length % 2);
  if (n === 0 || sockets.slice(0, n).some((s) => !s)) throw new Error('run needs complete pairs of connected sockets');
  step++;
  const cap = Math.ceil(p.rate * p.durationS) + 16;
  latencies = new Float64Array(cap);
  seen = new Uint8Array(cap);
  delivered = dupes = selfEchoes = stale = acked = 0;
  ackErrors = {};
  events = {};
  const disc0 = disconnects;
  const lags = new Float64Array(cap);
  let sent = 0;
  const cpu = selfCpuMeter();
  const t0 = performance.now();
  const end = t0 + p.durationS * 1000;
  const onAck = (r: { code?: number }) => {
    acked++;
    if (r?.code !== 900) {
      const k = String(r?.code ?? 'none');
      ackErrors[k] = (ackErrors[k] ?? 0) + 1;
    }
  };
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      const due = Math.min(cap - 16, Math.floor(((Math.min(now, end) - t0) / 1000) * p.rate));
      while (sent < due) {
        const seq = sent++;
        const idx = seq % n;
        const s = sockets[idx];
        const t = performance.now();
        lags[seq] = t - (t0 + (seq / p.rate) * 1000);
        s.emit('message', { o_id: rooms[idx], content: `b:${step}:${seq}:${idx}:${t.toFixed(3)}`, client_id: `${process.pid}-${step}-${seq}` }, onAck);
      }
      if (now >= end) {
        clearInterval(timer);
        resolve();
      }
    };
    const timer = setInterval(tick, 1);
  });
  const sendEnd = performance.now();
  const loadCpu = cpu();
  // Drain: wait for the acks and the deliveries still in flight, while they keep coming (an
  // overloaded server may need a while to work off its backlog, and the next step must not
  // start on top of it), at most `graceMs` after the last one arrived.
  const refused = () => Object.values(ackErrors).reduce((a, b) => a + b, 0);
  const hardStop = performance.now() + 120_000;
  let progress = -1;
  let lastProgressAt = performance.now();
  while (acked < sent || delivered < sent - refused()) {
    const now = performance.now();
    if (acked + delivered !== progress) {
      progress = acked + delivered;
      lastProgressAt = now;
    }
    if (now - lastProgressAt > (p.graceMs ?? 5_000) || now > hardStop) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  const durationS = (sendEnd - t0) / 1000;
  return {
    rate: p.rate,
    durationS,
    sent,
    sendRate: sent / durationS,
    acked,
    lost: sent - acked,
    ackErrors,
    delivered,
    deliveredRate: delivered / durationS,
    dupes,
    selfEchoes,
    stale,
    latency: summarize(latencies.subarray(0, delivered)),
    sendLagP99: summarize(lags.subarray(0, sent)).p99,
    loadCpu,
    disconnects: disconnects - disc0,
    eventsPerMessage: Object.fromEntries(Object.entries(events).map(([k, v]) => [k, Math.round((100 * v) / Math.max(1, sent)) / 100])),
  };
}

async function closeAll() {
  for (const s of sockets) s?.close();
  sockets = [];
  rooms = [];
  return { ok: true };
}

serveChild({ connect, run, closeAll, count: () => sockets.filter((s) => s?.connected).length }, { kind: 'sockets' }, async () => void (await closeAll()));
