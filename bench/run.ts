// `npm run bench`: starts what it measures on loopback (our server, and a bare baseline
// beside it), drives it from separate load-generator processes, prints a table and writes
// the same figures to bench/results/latest.json. See BENCHMARKS.md.
//
//   npm run bench                        all scenarios, defaults for a 2-core machine
//   npm run bench -- --quick             a small smoke run
//   npm run bench -- --only chat,rest    chosen scenarios: chat, adapter, conns, rest, growth, nodes
//   npm run bench -- --rooms 2000 --rate 4000 --duration 60 --conns 20000 --runs 3
//   npm run bench -- --mongodb mongodb://127.0.0.1:27017   store-backed scenarios on MongoDB
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { signToken } from '../src/auth/token';
import { newId } from '../src/ids';
import { startRedisServer, type RedisServer } from '../test/helpers/redis-server';
import { spawnChild, type Child } from './lib/ipc';
import { cpuMeter, machine, rssOf, rssSampler } from './lib/proc';
import { median, ratio } from './lib/stats';
import { markdownTable, medianRows, textTable, type Row } from './lib/table';
import type { LoadResult, LoadSpec } from './load/http';
import type { StepResult } from './load/sockets';
import type { ChatRoom, OrdersSeed } from './seed';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const SECRET = 'bench-secret-0123456789abcdef-0123456789';
const SCENARIOS = ['chat', 'adapter', 'conns', 'rest', 'growth', 'nodes'] as const;
type Scenario = (typeof SCENARIOS)[number];

// ---------------------------------------------------------------- flags

const { values: flags } = parseArgs({
  options: {
    only: { type: 'string' },
    quick: { type: 'boolean', default: false },
    rooms: { type: 'string' },
    rate: { type: 'string' },
    duration: { type: 'string' },
    'step-duration': { type: 'string' },
    warmup: { type: 'string' },
    'max-rate': { type: 'string' },
    'no-search': { type: 'boolean', default: false },
    'frames-baseline': { type: 'boolean', default: false },
    'store-free-chat': { type: 'boolean', default: false },
    conns: { type: 'string' },
    'idle-cpu-seconds': { type: 'string' },
    connections: { type: 'string' },
    'rest-duration': { type: 'string' },
    'rest-slices': { type: 'string' },
    'rest-endpoints': { type: 'string' },
    'growth-duration': { type: 'string' },
    'growth-size': { type: 'string' },
    'nodes-duration': { type: 'string' },
    runs: { type: 'string' },
    mongodb: { type: 'string' },
    profile: { type: 'boolean', default: false },
    'heap-profile': { type: 'boolean', default: false },
    out: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
  allowPositionals: false,
});

if (flags.help) {
  process.stdout.write(`npm run bench -- [flags]
  --only LIST           scenarios to run (default all): ${SCENARIOS.join(',')}
  --quick               small sizes for a smoke run
  --rooms N             chat rooms (2 sockets each)            default 500
  --rate N              offered chat messages/s                default 1000
  --duration S          chat run length (s)                    default 30
  --step-duration S     length of each rate-search step (s)    default 3
  --warmup S            discarded chat warm-up before measuring default 3
  --max-rate N          stop the rate search here              default 64000
  --no-search           skip the search for the highest rate with p99 < 100 ms
  --frames-baseline     chat: also bare Socket.IO sending the frames ours sends per message
                        (no auth, no storage), to split the gap into the frames and our own work
  --store-free-chat     chat (with --only chat): our server with its chat messages appended in
                        memory, not stored; an upper bound, not the server as shipped, so its
                        rows carry no targets
  --conns N             idle sockets for the memory figure     default 10000
  --idle-cpu-seconds S  server CPU with those sockets idle, over S s (one ping round: 25)
  --connections N       HTTP concurrency                       default 32
  --rest-duration S     each REST measurement (s)              default 3
  --rest-slices N       ...taken in N slices per side, ours and bare in turns A B B A A B B A
                        (a change in the machine's speed then reaches both sides; 1 with
                        --profile or --heap-profile)                       default 4
  --rest-endpoints LIST REST endpoints to measure: orders,order,unreadnum,create (default all)
  --growth-size N       the large store: orders and messages   default 100000
  --growth-duration S   each growth measurement (s)            default 1.25
  --nodes-duration S    two-node chat run length (s)           default 6
  --runs N              repeat every scenario N times, report medians   default 1
  --mongodb URI         store-backed scenarios on MongoDB (a database per server, dropped at the end)
  --profile             CPU-profile every server during each measured chat step and REST run
                        (bench/results/profiles/; summarize with npx tsx bench/profile-top.ts FILE)
  --heap-profile        the same windows, sampling allocations instead, garbage included
                        (summarize with npx tsx bench/heap-top.ts FILE --per N)
  --out FILE            JSON results                          default bench/results/latest.json
`);
  process.exit(0);
}

const num = (v: string | undefined, d: number) => {
  if (v === undefined) return d;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`bad number: ${v}`);
  return n;
};
const Q = flags.quick;
const opts = {
  only: (flags.only ? flags.only.split(',').map((s) => s.trim()) : [...SCENARIOS]) as Scenario[],
  rooms: num(flags.rooms, Q ? 100 : 500),
  rate: num(flags.rate, Q ? 500 : 1000),
  durationS: num(flags.duration, Q ? 5 : 30),
  stepS: num(flags['step-duration'], Q ? 2 : 3),
  warmS: num(flags.warmup, Q ? 1 : 3),
  maxRate: num(flags['max-rate'], Q ? 8000 : 64000),
  search: !flags['no-search'],
  framesBaseline: flags['frames-baseline'],
  storeFreeChat: flags['store-free-chat'],
  conns: num(flags.conns, Q ? 1000 : 10000),
  idleCpuS: num(flags['idle-cpu-seconds'], Q ? 5 : 25),
  connections: num(flags.connections, 32),
  restS: num(flags['rest-duration'], Q ? 2 : 3),
  restWarmS: 0.5,
  restSlices: flags.profile || flags['heap-profile'] ? 1 : Math.round(num(flags['rest-slices'], Q ? 2 : 4)),
  restEndpoints: flags['rest-endpoints']?.split(',').map((x) => x.trim()),
  growthSize: num(flags['growth-size'], Q ? 20000 : 100000),
  growthS: num(flags['growth-duration'], 1.25),
  nodesS: num(flags['nodes-duration'], Q ? 5 : 6),
  runs: num(flags.runs, 1),
  mongodb: flags.mongodb,
  profile: flags.profile,
  heapProfile: flags['heap-profile'],
  out: flags.out ?? path.join(BENCH_DIR, 'results', 'latest.json'),
};
for (const s of opts.only) if (!(SCENARIOS as readonly string[]).includes(s)) throw new Error(`unknown scenario ${s}; choose from ${SCENARIOS.join(',')}`);
if (opts.storeFreeChat && opts.only.join() !== 'chat') throw new Error('--store-free-chat measures the chat alone: add --only chat');

// ---------------------------------------------------------------- processes

const log = (...a: unknown[]) => process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${a.join(' ')}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'order-chat-bench-'));
const children = new Set<Child<any>>();
const redisServers = new Set<RedisServer>();
const mongoDbs = new Set<string>();
const profileDir = path.join(BENCH_DIR, 'results', 'profiles');

interface ServerInfo {
  url: string;
  kind: string;
  engine?: string;
}

async function start<I = ServerInfo>(rel: string, env: Record<string, string | undefined> = {}, nodeArgs: string[] = []): Promise<Child<I>> {
  const c = await spawnChild<I>(rel, { env: { NODE_ENV: 'production', AUTH_SECRET: SECRET, PAYMENT_PROVIDER: 'sandbox', CALL_PROVIDER: 'simulated', ALLOW_TEST_PROVIDERS: 'true', ...env }, nodeArgs: ['--expose-gc', ...nodeArgs] });
  children.add(c);
  return c;
}

async function stop(...cs: (Child<any> | undefined)[]) {
  await Promise.all(
    cs.map(async (c) => {
      if (!c) return;
      children.delete(c);
      await c.stop();
    }),
  );
}

let serverSeq = 0;
/** Our server in its own process; `shared` names a store several nodes share; `env` adds settings. */
async function startOurs(opts2: { shared?: string; redisUrl?: string; env?: Record<string, string> } = {}) {
  const name = opts2.shared ?? `s${++serverSeq}`;
  const env: Record<string, string | undefined> = { REDIS_URL: opts2.redisUrl, ...opts2.env };
  if (opts.mongodb) {
    const db = `order_chat_bench_${process.pid}_${name}`;
    mongoDbs.add(db);
    Object.assign(env, { MONGODB_URI: opts.mongodb, BENCH_MONGODB_DB: db });
  } else env.DATA_DIR = path.join(tmpRoot, name);
  // Experiments only (BENCH_OURS_NODE_ARGS="--max-semi-space-size=2"): V8 or Node flags for our server alone.
  return start('servers/ours.ts', env, process.env.BENCH_OURS_NODE_ARGS?.split(/\s+/).filter(Boolean) ?? []);
}

/** A client of the bench's own (5 s to find a server, not the driver's 30), closed after `use`. */
async function withMongo<T>(uri: string, use: (client: import('mongodb').MongoClient) => Promise<T>): Promise<T> {
  const { MongoClient } = await import('mongodb');
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 5000 }); // throws on a malformed URI
  try {
    await client.connect();
    return await use(client);
  } finally {
    await client.close().catch(() => {});
  }
}

async function cleanup() {
  for (const c of [...children]) await c.stop().catch(() => {});
  children.clear();
  for (const r of redisServers) await r.stop().catch(() => {});
  if (mongoDbs.size && opts.mongodb) {
    await withMongo(opts.mongodb, async (client) => {
      for (const db of mongoDbs) await client.db(db).dropDatabase();
    }).catch((err) => log('could not drop the benchmark databases:', (err as Error).message));
  }
  fs.rmSync(tmpRoot, { recursive: true, force: true });
}

let interrupted = false;
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    log(`${sig}: stopping children`);
    void cleanup().finally(() => process.exit(130));
  });
}

// ---------------------------------------------------------------- results

const rows: Row[] = [];
const raw: Record<string, unknown[]> = {};
const keep = (name: string, v: unknown) => (raw[name] ??= []).push(v);
const MB = 2 ** 20;

function row(r: Row) {
  rows.push(r);
}

/** Which goes first alternates between runs, so a drift in the machine does not always favour one side. */
let runIndex = 0;
const orderOf = (i: number) => ((i + runIndex) % 2 === 0 ? (['ours', 'bare'] as const) : (['bare', 'ours'] as const));

// ---------------------------------------------------------------- 1. chat fan-out

interface ChatStep extends StepResult {
  serverCpu: number;
  /** the kernel's part of serverCpu (syscalls: socket writes, WAL writes, fsync) */
  serverSysCpu: number;
  serverPeakRss: number;
}

type Target = 'ours' | 'bare';
/** `frames`: bare Socket.IO sending our frames per message (--frames-baseline) */
type ChatTarget = Target | 'frames';

interface ChatRig {
  targets: ChatTarget[];
  servers: Partial<Record<ChatTarget, Child<ServerInfo>[]>>;
  loads: Partial<Record<ChatTarget, Child>>;
  ok: Partial<Record<ChatTarget, boolean>>;
}

function peersFor(rooms: ChatRoom[], buyerUrl: string, sellerUrl: string) {
  return rooms.flatMap((r) => [
    { url: buyerUrl, userID: r.buyer, o_id: r.o_id },
    { url: sellerUrl, userID: r.seller, o_id: r.o_id },
  ]);
}

async function connectRig(rig: ChatRig, rooms: ChatRoom[]) {
  for (const t of rig.targets) {
    const servers = rig.servers[t]!;
    const [a, b] = [servers[0], servers[1] ?? servers[0]];
    const peers = peersFor(rooms, a.info.url, b.info.url);
    const r = await rig.loads[t]!.call<{ connected: number; failed: number; errors: Record<string, number>; ms: number }>('connect', { peers, secret: SECRET });
    log(`  ${t}: ${r.connected}/${peers.length} sockets connected and joined in ${(r.ms / 1000).toFixed(1)} s${r.failed ? `; failures: ${JSON.stringify(r.errors)}` : ''}`);
    rig.ok[t] = r.failed === 0;
    if (r.failed) await rig.loads[t]!.call('closeAll');
  }
  // Warm-up (JIT, statement caches, first writes): the same traffic for a few seconds, discarded.
  for (const t of rig.targets) {
    if (!rig.ok[t]) continue;
    const w = await rig.loads[t]!.call<StepResult>('run', { rate: opts.rate, durationS: opts.warmS, graceMs: 5_000 });
    log(`  ${t}: warm-up ${opts.rate}/s for ${opts.warmS} s: p99 ${w.latency.p99.toFixed(1)} ms (discarded)`);
    await sleep(300);
  }
}

/** Runs `fn` with the servers' CPU profiler (--profile) or allocation sampler (--heap-profile) on. */
async function profiled<T>(servers: Child[], name: string, fn: () => Promise<T>): Promise<T> {
  if (!opts.profile && !opts.heapProfile) return fn();
  await Promise.all(servers.map((s) => s.call('profileStart', { kind: opts.heapProfile ? 'heap' : 'cpu' })));
  try {
    return await fn();
  } finally {
    const files = await Promise.all(servers.map((s, i) => s.call<string>('profileStop', { dir: profileDir, name: `${name}${servers.length > 1 ? `-node${i + 1}` : ''}` })));
    log(`  profile: ${files.map((f) => path.relative(process.cwd(), f)).join(', ')}`);
  }
}

let stepNo = 0;
async function chatStep(rig: ChatRig, t: ChatTarget, rate: number, durationS: number): Promise<ChatStep> {
  const servers = rig.servers[t]!;
  const pids = servers.map((s) => s.pid);
  const cpus = pids.map((p) => cpuMeter(p));
  const rss = pids.map((p) => rssSampler(p));
  const r = await profiled(servers, `chat-${++stepNo}-${t}-${rate}`, () => rig.loads[t]!.call<StepResult>('run', { rate, durationS, graceMs: 5_000 }));
  const busiest = cpus.map((c) => [c(), c.sys()] as const).sort((a, b) => b[0] - a[0])[0];
  const step: ChatStep = { ...r, serverCpu: busiest[0], serverSysCpu: busiest[1], serverPeakRss: Math.max(...rss.map((s) => s.stop())) };
  const lat = step.latency;
  log(
    `  ${t.padEnd(6)} ${String(rate).padStart(6)}/s: delivered ${step.deliveredRate.toFixed(0)}/s, p50 ${lat.p50.toFixed(2)} p99 ${lat.p99.toFixed(2)} max ${lat.max.toFixed(1)} ms, lost ${step.lost}` +
      `${Object.keys(step.ackErrors).length ? ` errors ${JSON.stringify(step.ackErrors)}` : ''}, server cpu ${step.serverCpu.toFixed(0)}% (sys ${step.serverSysCpu.toFixed(0)}%), load cpu ${step.loadCpu.toFixed(0)}%, send lag p99 ${step.sendLagP99.toFixed(1)} ms; received per message: ${JSON.stringify(step.eventsPerMessage)} + ack`,
  );
  await sleep(300);
  return step;
}

const NA_STEP = (rate: number): ChatStep => ({
  rate,
  durationS: NaN,
  sent: 0,
  sendRate: NaN,
  acked: 0,
  lost: NaN,
  ackErrors: {},
  delivered: 0,
  deliveredRate: NaN,
  dupes: 0,
  selfEchoes: 0,
  stale: 0,
  latency: { count: 0, p50: NaN, p95: NaN, p99: NaN, max: NaN, mean: NaN },
  sendLagP99: NaN,
  loadCpu: NaN,
  disconnects: 0,
  eventsPerMessage: {},
  serverCpu: NaN,
  serverSysCpu: NaN,
  serverPeakRss: NaN,
});

/** A step is sustainable when p99 < 100 ms, nothing is lost or refused and (almost) everything arrives. */
const sustainable = (s: ChatStep) => s.latency.p99 < 100 && s.lost === 0 && Object.keys(s.ackErrors).length === 0 && s.delivered >= 0.999 * s.sent && s.sent >= 0.98 * s.rate * s.durationS;

/** Two significant figures: 23,456 → 23,000. */
const roundRate = (x: number) => {
  const e = 10 ** Math.max(0, Math.floor(Math.log10(x)) - 1);
  return Math.round(x / e) * e;
};

/** A failed step with a p99 above this was overloaded, not stalled (see RateSearch). */
const OVERLOADED_P99_MS = 500;

/** Steps the rate up by doubling (down by halving while nothing is sustainable), then bisects; keeps the best sustainable step. */
class RateSearch {
  lo: ChatStep | null = null;
  hiRate = Infinity;
  steps: ChatStep[] = [];
  done = false;
  /**
   * While the rate is still doubling, a rate that failed once is tried again before it
   * counts: one stall of this shared machine during a short step would otherwise end the
   * climb for whichever side it hit. Once bisecting, a stall costs only precision, and no
   * time is spent. A step whose p99 passed half a second is not retried: that is a backlog
   * grown over the step (a server offered far more than it can do), not a stall, and retrying
   * it only makes the run longer.
   */
  private failedOnce = new Set<number>();
  private retry: number | null = null;
  constructor(
    private start: number,
    private max: number,
  ) {}
  next(): number | null {
    if (this.done) return null;
    if (!this.lo && this.steps.length === 0) return this.start;
    if (this.steps.length >= 20) return ((this.done = true), null);
    if (this.retry !== null) {
      const r = this.retry;
      this.retry = null;
      return r;
    }
    if (!this.lo) return this.hiRate / 2 < 100 ? ((this.done = true), null) : roundRate(this.hiRate / 2);
    const lo = this.lo.rate;
    if (this.hiRate === Infinity) return lo * 2 > this.max ? ((this.done = true), null) : lo * 2;
    if (this.hiRate / lo <= 1.15) return ((this.done = true), null);
    const mid = roundRate((lo + this.hiRate) / 2);
    if (mid <= lo || mid >= this.hiRate) return ((this.done = true), null);
    return mid;
  }
  record(s: ChatStep) {
    this.steps.push(s);
    if (sustainable(s)) {
      if (!this.lo || s.rate > this.lo.rate) this.lo = s;
      // A pass at or above an earlier failure: that failure was noise; search upwards again.
      if (s.rate >= this.hiRate) this.hiRate = Infinity;
    } else if (this.hiRate === Infinity && s.latency.p99 < OVERLOADED_P99_MS && !this.failedOnce.has(s.rate)) {
      this.failedOnce.add(s.rate);
      this.retry = s.rate;
    } else this.hiRate = Math.min(this.hiRate, s.rate);
  }
}

/**
 * The fixed-rate rows. With `withTargets`, none lost; with `p99VsBare`, p99 within that
 * multiple of bare Socket.IO's in the same run.
 */
function chatRows(scenario: string, label: string, o: ChatStep, b: ChatStep, withTargets: boolean, p99VsBare?: number) {
  const t = withTargets;
  row({ scenario, metric: `${label} delivered`, unit: 'msg/s', ours: o.deliveredRate, baseline: b.deliveredRate, ratio: ratio(o.deliveredRate, b.deliveredRate) });
  row({ scenario, metric: `${label} latency p50`, unit: 'ms', ours: o.latency.p50, baseline: b.latency.p50, ratio: ratio(o.latency.p50, b.latency.p50) });
  row({ scenario, metric: `${label} latency p95`, unit: 'ms', ours: o.latency.p95, baseline: b.latency.p95, ratio: ratio(o.latency.p95, b.latency.p95) });
  row({
    scenario,
    metric: `${label} latency p99`,
    unit: 'ms',
    ours: o.latency.p99,
    baseline: b.latency.p99,
    ratio: ratio(o.latency.p99, b.latency.p99),
    ...(t && p99VsBare ? { target: `≤ ${p99VsBare}× bare`, met: ratio(o.latency.p99, b.latency.p99) <= p99VsBare } : {}),
  });
  row({ scenario, metric: `${label} latency max`, unit: 'ms', ours: o.latency.max, baseline: b.latency.max, ratio: ratio(o.latency.max, b.latency.max) });
  row({ scenario, metric: `${label} acks lost`, unit: '', ours: o.lost, baseline: b.lost, ...(t ? { target: '0', met: o.lost === 0 } : {}), note: Object.keys(o.ackErrors).length ? `refused: ${JSON.stringify(o.ackErrors)}` : undefined });
  row({ scenario, metric: `${label} server peak RSS`, unit: 'MB', ours: o.serverPeakRss / MB, baseline: b.serverPeakRss / MB, ratio: ratio(o.serverPeakRss, b.serverPeakRss) });
  row({ scenario, metric: `${label} server CPU`, unit: '% core', ours: o.serverCpu, baseline: b.serverCpu });
  row({ scenario, metric: `${label} load-generator CPU`, unit: '% core', ours: o.loadCpu, baseline: b.loadCpu });
}

/** The chat on one node, plain (`chat`) or with REDIS_URL set, the Redis adapter on, on both sides (`adapter`). */
interface ChatVariant {
  scenario: string;
  /** each side gets a Redis of its own (a shared one would deliver each side's broadcasts to the other) */
  redis: boolean;
  /** the sustainable rate's target against bare Socket.IO */
  rateTarget: number;
  /** the fixed-rate p99's target against bare Socket.IO, if any */
  p99Target?: number;
  /** --frames-baseline applies */
  frames: boolean;
}

async function newRedis(): Promise<RedisServer> {
  const r = await startRedisServer();
  redisServers.add(r);
  return r;
}

async function stopRedis(...rs: (RedisServer | undefined)[]) {
  for (const r of rs) {
    if (!r) continue;
    await r.stop();
    redisServers.delete(r);
  }
}

async function scenarioChat(v: ChatVariant) {
  log(`${v.scenario}: ${opts.rooms} rooms (${opts.rooms * 2} sockets), ${opts.rate} msg/s for ${opts.durationS} s${v.redis ? ', REDIS_URL set on both sides' : ''}`);
  const redisOurs = v.redis ? await newRedis() : undefined;
  const redisBare = v.redis ? await newRedis() : undefined;
  const ours = await startOurs({ redisUrl: redisOurs?.url, ...(opts.storeFreeChat ? { env: { BENCH_CHAT_APPEND: 'memory' } } : {}) });
  const rooms = await ours.call<ChatRoom[]>('seedRooms', { rooms: opts.rooms });
  const bare = await start('servers/bare-socketio.ts', { REDIS_URL: redisBare?.url });
  const frames = opts.framesBaseline && v.frames ? await start('servers/bare-socketio.ts', { BARE_FRAMES: 'ours' }) : undefined;
  const CHAT = v.scenario;
  const targets: ChatTarget[] = frames ? ['ours', 'bare', 'frames'] : ['ours', 'bare'];
  const loads: ChatRig['loads'] = {};
  for (const t of targets) loads[t] = await start('load/sockets.ts');
  const rig: ChatRig = { targets, servers: { ours: [ours], bare: [bare], ...(frames ? { frames: [frames] } : {}) }, loads, ok: {} };
  try {
    await connectRig(rig, rooms);
    const fixed: Record<ChatTarget, ChatStep> = { ours: NA_STEP(opts.rate), bare: NA_STEP(opts.rate), frames: NA_STEP(opts.rate) };
    for (const t of [...orderOf(0), ...targets.slice(2)]) if (rig.ok[t]) fixed[t] = await chatStep(rig, t, opts.rate, opts.durationS);
    keep('chat.fixed', fixed);
    chatRows(CHAT, `${opts.rate}/s ×${opts.rooms * 2}:`, fixed.ours, fixed.bare, !opts.storeFreeChat, v.p99Target);
    if (frames) framesRows(`${opts.rate}/s:`, fixed.ours, fixed.frames);

    if (!opts.search) return;
    log(`${v.scenario}: highest rate with p99 < 100 ms (steps of ${opts.stepS} s)`);
    const searches = Object.fromEntries(targets.map((t) => [t, new RateSearch(opts.rate, opts.maxRate)])) as Record<ChatTarget, RateSearch>;
    // The fixed-rate run is the search's first step.
    for (const t of targets) if (rig.ok[t]) searches[t].record(fixed[t]);
    for (;;) {
      let any = false;
      for (const t of targets) {
        if (!rig.ok[t]) continue;
        const rate = searches[t].next();
        if (rate === null) continue;
        any = true;
        searches[t].record(await chatStep(rig, t, rate, opts.stepS));
      }
      if (!any) break;
    }
    keep('chat.search', Object.fromEntries(targets.map((t) => [t, searches[t].steps])));
    const best = { ours: searches.ours.lo ?? NA_STEP(NaN), bare: searches.bare.lo ?? NA_STEP(NaN) };
    const capped = (t: ChatTarget) => (searches[t].hiRate === Infinity ? ' (search cap reached)' : '');
    // A failing step after the best one tells which side ran out first.
    const firstBad = (t: ChatTarget) => searches[t].steps.find((s) => s.rate === searches[t].hiRate);
    const why = (t: ChatTarget) => {
      const s = firstBad(t);
      return s ? `${t} fails at ${s.rate}/s: p99 ${s.latency.p99.toFixed(0)} ms, server ${s.serverCpu.toFixed(0)}% / load ${s.loadCpu.toFixed(0)}% cpu` : '';
    };
    row({
      scenario: CHAT,
      metric: 'highest rate with p99 < 100 ms',
      unit: 'msg/s',
      ours: best.ours.rate,
      baseline: best.bare.rate,
      ratio: ratio(best.ours.rate, best.bare.rate),
      ...(opts.storeFreeChat ? {} : { target: `≥ ${v.rateTarget}× bare`, met: ratio(best.ours.rate, best.bare.rate) >= v.rateTarget }),
      note: [capped('ours'), capped('bare'), why('ours'), why('bare')].filter(Boolean).join('; '),
    });
    row({ scenario: CHAT, metric: 'at that rate: delivered', unit: 'msg/s', ours: best.ours.deliveredRate, baseline: best.bare.deliveredRate, ratio: ratio(best.ours.deliveredRate, best.bare.deliveredRate) });
    row({ scenario: CHAT, metric: 'at that rate: latency p50', unit: 'ms', ours: best.ours.latency.p50, baseline: best.bare.latency.p50, ratio: ratio(best.ours.latency.p50, best.bare.latency.p50) });
    row({ scenario: CHAT, metric: 'at that rate: latency p99', unit: 'ms', ours: best.ours.latency.p99, baseline: best.bare.latency.p99, ratio: ratio(best.ours.latency.p99, best.bare.latency.p99) });
    row({ scenario: CHAT, metric: 'at that rate: latency max', unit: 'ms', ours: best.ours.latency.max, baseline: best.bare.latency.max });
    row({ scenario: CHAT, metric: 'at that rate: acks lost', unit: '', ours: best.ours.lost, baseline: best.bare.lost });
    row({ scenario: CHAT, metric: 'at that rate: server peak RSS', unit: 'MB', ours: best.ours.serverPeakRss / MB, baseline: best.bare.serverPeakRss / MB, ratio: ratio(best.ours.serverPeakRss, best.bare.serverPeakRss) });
    row({ scenario: CHAT, metric: 'at that rate: server CPU', unit: '% core', ours: best.ours.serverCpu, baseline: best.bare.serverCpu });
    row({ scenario: CHAT, metric: 'at that rate: load-generator CPU', unit: '% core', ours: best.ours.loadCpu, baseline: best.bare.loadCpu });
    if (frames) {
      const f = searches.frames.lo ?? NA_STEP(NaN);
      row({ scenario: FRAMES, metric: 'highest rate with p99 < 100 ms', unit: 'msg/s', ours: best.ours.rate, baseline: f.rate, ratio: ratio(best.ours.rate, f.rate), note: [capped('frames'), why('frames')].filter(Boolean).join('; ') });
      row({ scenario: FRAMES, metric: 'at that rate: server CPU', unit: '% core', ours: best.ours.serverCpu, baseline: f.serverCpu });
    }
  } finally {
    await stop(...Object.values(loads), ours, bare, frames);
    await stopRedis(redisOurs, redisBare);
  }
}

/** With --store-free-chat the rows say so: they are an upper bound, not our server. */
const STORE_FREE = ' (ours storing nothing)';
const FRAMES = `1. chat, same frames${opts.storeFreeChat ? STORE_FREE : ''}`;
/** Ours against bare Socket.IO sending the same frames: what our own work per message costs. */
function framesRows(label: string, o: ChatStep, f: ChatStep) {
  row({ scenario: FRAMES, metric: `${label} latency p50`, unit: 'ms', ours: o.latency.p50, baseline: f.latency.p50, ratio: ratio(o.latency.p50, f.latency.p50) });
  row({ scenario: FRAMES, metric: `${label} latency p99`, unit: 'ms', ours: o.latency.p99, baseline: f.latency.p99, ratio: ratio(o.latency.p99, f.latency.p99) });
  row({ scenario: FRAMES, metric: `${label} server CPU`, unit: '% core', ours: o.serverCpu, baseline: f.serverCpu, ratio: ratio(o.serverCpu, f.serverCpu) });
  row({ scenario: FRAMES, metric: `${label} frames received per message`, unit: '', ours: framesOf(o), baseline: framesOf(f) });
}
/** Events received per message sent, the ack included. */
const framesOf = (s: ChatStep) => Object.values(s.eventsPerMessage).reduce((a, b) => a + b, 0) + 1;

// ---------------------------------------------------------------- 2. connections

/** Memory per idle authenticated socket, and the server's CPU while they only answer pings. */
async function idleSockets(t: Target, n: number): Promise<{ bytes: number; cpu: number }> {
  const server = t === 'ours' ? await startOurs() : await start('servers/bare-socketio.ts');
  const load = await start('load/sockets.ts');
  try {
    await sleep(1000);
    await server.call('gc');
    await sleep(300);
    const before = rssOf(server.pid);
    const peers = Array.from({ length: n }, () => ({ url: server.info.url, userID: newId() }));
    const r = await load.call<{ connected: number; failed: number; errors: Record<string, number> }>('connect', { peers, secret: SECRET, concurrency: 50 });
    if (r.failed) {
      log(`  ${t}: ${r.failed} of ${n} sockets failed: ${JSON.stringify(r.errors)}`);
      if (r.connected === 0) return { bytes: NaN, cpu: NaN };
    }
    await sleep(2000);
    await server.call('gc');
    await sleep(500);
    const after = rssOf(server.pid);
    const bytes = (after - before) / r.connected;
    // Both servers ping every 25 s: a window that long sees one heartbeat of every socket.
    const cpu = cpuMeter(server.pid);
    await sleep(opts.idleCpuS * 1000);
    const idleCpu = cpu();
    log(`  ${t}: RSS ${(before / MB).toFixed(1)} → ${(after / MB).toFixed(1)} MB with ${r.connected} idle sockets: ${(bytes / 1024).toFixed(1)} KB/socket; idle CPU ${idleCpu.toFixed(2)}% over ${opts.idleCpuS} s`);
    return { bytes, cpu: idleCpu };
  } finally {
    await stop(load, server);
  }
}

/** Target: memory per idle socket within this multiple of bare Socket.IO's. */
const IDLE_MEMORY_VS_BARE = 1.2;

async function scenarioConns() {
  log(`connections: memory per idle authenticated socket at ${opts.conns} sockets, and the server's CPU for their heartbeats`);
  const idle: Record<Target, { bytes: number; cpu: number }> = { ours: { bytes: NaN, cpu: NaN }, bare: { bytes: NaN, cpu: NaN } };
  for (const t of orderOf(0)) idle[t] = await idleSockets(t, opts.conns);
  keep('conns', idle);
  const r = ratio(idle.ours.bytes, idle.bare.bytes);
  const s = '2. connections';
  row({ scenario: s, metric: `memory per idle socket at ${opts.conns}`, unit: 'KB', ours: idle.ours.bytes / 1024, baseline: idle.bare.bytes / 1024, ratio: r, target: `≤ ${IDLE_MEMORY_VS_BARE}× bare`, met: r <= IDLE_MEMORY_VS_BARE });
  row({ scenario: s, metric: `server CPU, ${opts.conns} idle sockets, ${opts.idleCpuS} s`, unit: '% core', ours: idle.ours.cpu, baseline: idle.bare.cpu, ratio: ratio(idle.ours.cpu, idle.bare.cpu), note: 'heartbeats only: reported, no target' });
}

// ---------------------------------------------------------------- 3. REST

interface Endpoint {
  name: string;
  method: 'GET' | 'POST';
  path: string;
  token: string;
  body?: unknown;
  /** reads carry the ≥ 0.35× bare Koa target */
  read: boolean;
  /** rotate over these requests instead (ours only) */
  variants?: { path: string; headers: Record<string, string> }[];
}

async function fetchJson(url: string, e: Endpoint) {
  const res = await fetch(url + e.path, {
    method: e.method,
    headers: { auth: e.token, ...(e.body ? { 'content-type': 'application/json' } : {}) },
    body: e.body ? JSON.stringify(e.body) : undefined,
  });
  const text = await res.text();
  let body: any = text;
  try {
    body = JSON.parse(text);
  } catch {}
  return { status: res.status, body, bytes: Buffer.byteLength(text) };
}

function spec(url: string, e: Endpoint, connections: number, durationS: number): LoadSpec {
  return {
    variants: e.variants,
    url: url + e.path,
    method: e.method,
    headers: { auth: e.token, ...(e.body ? { 'content-type': 'application/json' } : {}) },
    body: e.body ? JSON.stringify(e.body) : undefined,
    connections,
    durationS,
  };
}

function restEndpoints(seed: OrdersSeed): Endpoint[] {
  const focus = signToken(SECRET, seed.focus);
  const other = signToken(SECRET, seed.users[1]);
  // Orders are created by 1,000 buyers over 200 topics in turn, as in life: one buyer placing
  // thousands of orders a second would measure that buyer's growing unread list instead.
  const variants = seed.users.slice(1).map((u, i) => ({
    path: `/rest/topic/${seed.topics[i % seed.topics.length].topic_id}/order`,
    headers: { auth: signToken(SECRET, u) },
    expert: seed.topics[i % seed.topics.length].expert_id,
    buyer: u,
  }));
  const orderVariants = variants.filter((v) => v.expert !== v.buyer).map(({ path, headers }) => ({ path, headers }));
  return [
    { name: 'orders', method: 'GET', path: '/rest/orders', token: focus, read: true },
    { name: 'order', method: 'GET', path: `/rest/order/${seed.focusOrders[seed.focusOrders.length - 1]}`, token: focus, read: true },
    { name: 'unreadnum', method: 'GET', path: '/rest/order/unreadnum', token: focus, read: true },
    {
      name: 'create',
      method: 'POST',
      path: `/rest/topic/${seed.topic_id}/order`,
      token: other,
      body: { question: '我想了解申请美国计算机专业研究生需要准备哪些材料？', self_desc: '本科大三，GPA 3.6，托福 100。' },
      read: false,
      variants: orderVariants,
    },
  ];
}

async function seedUnread(server: Child, seed: OrdersSeed, messages: number) {
  const rooms = [...seed.focusRooms, ...seed.otherRooms];
  // Half of the messages in the caller's own orders, half in orders the caller is no party to.
  const mine = Math.floor(messages / 2);
  try {
    const t0 = performance.now();
    await server.call('seedMessages', { rooms: seed.focusRooms, total: mine });
    await server.call('seedMessages', { rooms: seed.otherRooms.length ? seed.otherRooms : rooms, total: messages - mine });
    log(`  seeded ${messages} messages in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    return true;
  } catch (err) {
    log(`  no messages seeded: ${String((err as Error).message).split('\n')[0].slice(0, 200)}`);
    return false;
  }
}

/**
 * `n` turns each for two sides in the order A B B A A B B A ...: a steady change in the
 * machine's speed over the measurement then weighs the same on both sides.
 */
function turns<T>([a, b]: readonly [T, T], n: number): T[] {
  const out: T[] = [];
  for (let k = 0; k < n; k++) out.push(...(k % 2 === 0 ? [a, b] : [b, a]));
  return out;
}

/**
 * One side's slices (equal lengths) as one measurement: requests/s and CPU are the means of
 * the slices; p50 and p99 the medians of the slices' own (autocannon reports percentiles,
 * not the histogram that would merge exactly), max the largest.
 */
function mergeSlices(rs: LoadResult[]): LoadResult {
  if (rs.length === 1) return rs[0];
  const mean = (f: (r: LoadResult) => number) => rs.reduce((n, r) => n + f(r), 0) / rs.length;
  return {
    rps: mean((r) => r.rps),
    requests: rs.reduce((n, r) => n + r.requests, 0),
    non2xx: rs.reduce((n, r) => n + r.non2xx, 0),
    errors: rs.reduce((n, r) => n + r.errors, 0),
    latency: {
      count: rs.reduce((n, r) => n + r.latency.count, 0),
      p50: median(rs.map((r) => r.latency.p50)),
      p95: NaN,
      p99: median(rs.map((r) => r.latency.p99)),
      max: Math.max(...rs.map((r) => r.latency.max)),
      mean: mean((r) => r.latency.mean),
    },
    loadCpu: mean((r) => r.loadCpu),
    serverCpu: mean((r) => r.serverCpu ?? NaN),
    serverSysCpu: mean((r) => r.serverSysCpu ?? NaN),
  };
}

async function scenarioRest() {
  log(`REST: 10,000 orders over 1,000 users; ${opts.connections} connections, ${opts.restS} s per measurement`);
  const ours = await startOurs();
  const bare = await start('servers/bare-koa.ts');
  const load = await start('load/http.ts');
  try {
    const t0 = performance.now();
    const seed = await ours.call<OrdersSeed>('seedOrders', { users: 1000, orders: 10_000, focusOrders: 200 });
    log(`  seeded ${seed.orders} orders in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    // Without them unreadnum would measure an empty answer: stop rather than report that.
    if (!(await seedUnread(ours, seed, 2000))) throw new Error('REST: the unread messages could not be seeded');
    await ours.call('settle');
    const endpoints = restEndpoints(seed).filter((e) => !opts.restEndpoints || opts.restEndpoints.includes(e.name));
    for (const [i, e] of endpoints.entries()) {
      const server = ours;
      const probe = await fetchJson(server.info.url, e);
      const okay = probe.status === 200 && probe.body?.code === 900;
      let o: LoadResult | undefined;
      let b: LoadResult | undefined;
      if (!okay) log(`  ${e.method} ${e.path}: ours answers ${probe.status} ${JSON.stringify(probe.body).slice(0, 160)}; skipped`);
      const size = await bare.call<number>('set', { name: e.name, body: okay ? probe.body : { code: 900 } });
      const specFor = (t: Target, seconds: number) =>
        t === 'ours' ? spec(server.info.url, e, opts.connections, seconds) : spec(bare.info.url, { ...e, path: `/b/${e.name}`, variants: undefined }, opts.connections, seconds);
      // Each side serves the endpoint for a moment first, unmeasured: compiled code, the load
      // generator's connections and the store's caches are then as warm for the first slice
      // as for the last.
      for (const t of orderOf(i)) {
        if (t === 'ours' && !okay) continue;
        await load.call<LoadResult>('cannon', specFor(t, opts.restWarmS));
      }
      const slices: Record<Target, LoadResult[]> = { ours: [], bare: [] };
      for (const t of turns(orderOf(i), opts.restSlices)) {
        if (t === 'ours' && !okay) continue;
        const measured = t === 'ours' ? server : bare;
        const cpu = cpuMeter(measured.pid);
        const r = await profiled([measured], `rest-${e.name}-${t}`, () =>
          load.call<LoadResult>('cannon', specFor(t, opts.restS / opts.restSlices)),
        );
        r.serverCpu = cpu();
        r.serverSysCpu = cpu.sys();
        slices[t].push(r);
      }
      for (const t of orderOf(i)) {
        if (!slices[t].length) continue;
        const r = mergeSlices(slices[t]);
        const each = slices[t].length > 1 ? ` (slices ${slices[t].map((x) => x.rps.toFixed(0)).join(' / ')})` : '';
        log(
          `  ${t.padEnd(4)} ${e.method} ${e.name}: ${r.rps.toFixed(0)} req/s${each}, p50 ${r.latency.p50} p99 ${r.latency.p99} ms${r.non2xx ? `, ${r.non2xx} non-2xx` : ''}${r.errors ? `, ${r.errors} errors` : ''}, server cpu ${r.serverCpu!.toFixed(0)}% (sys ${r.serverSysCpu!.toFixed(0)}%), load cpu ${r.loadCpu.toFixed(0)}%`,
        );
        if (t === 'ours') o = r;
        else b = r;
      }
      keep(`rest.${e.name}`, { ours: o, bare: b, bytes: probe.bytes });
      const label = `${e.method} ${e.path.replace(/[0-9a-f]{24}/g, ':id')}`;
      const rr = ratio(o?.rps ?? NaN, b?.rps ?? NaN);
      row({
        scenario: '3. REST',
        metric: `${label} (${size} B)`,
        unit: 'req/s',
        ours: o?.rps ?? NaN,
        baseline: b?.rps ?? NaN,
        ratio: rr,
        ...(e.read ? { target: '≥ 0.35× bare', met: rr >= 0.35 } : {}),
        note: okay ? undefined : `ours answered ${probe.status}`,
      });
      row({ scenario: '3. REST', metric: `${label} p99`, unit: 'ms', ours: o?.latency.p99 ?? NaN, baseline: b?.latency.p99 ?? NaN, ratio: ratio(o?.latency.p99 ?? NaN, b?.latency.p99 ?? NaN) });
    }
  } finally {
    await stop(load, ours, bare);
  }
}

// ---------------------------------------------------------------- 4. growth

async function scenarioGrowth() {
  const big = opts.growthSize;
  log(`growth: 1,000 vs ${big} messages and 1,000 vs ${big} orders; one connection, ${opts.growthS} s per measurement`);
  const stores = { small: await startOurs(), messages: await startOurs(), orders: await startOurs() };
  const load = await start('load/http.ts');
  try {
    const seeds: Record<string, OrdersSeed> = {};
    let haveMessages = true;
    for (const [k, s] of Object.entries(stores)) {
      const t0 = performance.now();
      seeds[k] = await s.call<OrdersSeed>('seedOrders', { users: 1000, orders: k === 'orders' ? big : 1000, focusOrders: 200 });
      log(`  ${k}: seeded ${seeds[k].orders} orders in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      haveMessages = (await seedUnread(s, seeds[k], k === 'messages' ? big : 1000)) && haveMessages;
      // A WAL of 100,000 seeded rows that the background checkpoint has not copied yet makes
      // every page read search its index: the data's size would show through the WAL's.
      await s.call('settle');
    }
    const endpoints = restEndpoints(seeds.small).filter((e) => e.name === 'orders' || e.name === 'unreadnum');
    for (const e of endpoints) {
      const lat: Record<string, number[]> = { small: [], messages: [], orders: [] };
      const skip = (await fetchJson(stores.small.info.url, { ...e, token: signToken(SECRET, seeds.small.focus) })).status !== 200;
      if (skip) log(`  ${e.method} ${e.path}: not available; skipped`);
      // Three rounds, each visiting the three stores in a rotated order, so drift hits all alike,
      // after a discarded warm-up of each (JIT, statement caches, page cache).
      const keys = ['small', 'messages', 'orders'] as const;
      if (!skip) for (const k of keys) await load.call<LoadResult>('closedLoop', spec(stores[k].info.url, { ...e, token: signToken(SECRET, seeds[k].focus) }, 1, 1));
      for (let round = 0; round < 3 && !skip; round++) {
        for (let i = 0; i < 3; i++) {
          const k = keys[(i + round) % 3];
          const ep = { ...e, token: signToken(SECRET, seeds[k].focus) };
          const r = await load.call<LoadResult>('closedLoop', spec(stores[k].info.url, ep, 1, opts.growthS));
          lat[k].push(r.latency.p50);
          keep(`growth.${e.name}.${k}`, r);
        }
      }
      const p50 = (k: string) => median(lat[k]);
      log(`  ${e.name}: p50 small ${p50('small').toFixed(3)} ms, ${big} messages ${p50('messages').toFixed(3)} ms, ${big} orders ${p50('orders').toFixed(3)} ms`);
      const mr = ratio(p50('messages'), p50('small'));
      const or = ratio(p50('orders'), p50('small'));
      row({
        scenario: '4. growth',
        metric: `${e.method} ${e.path} p50, 1k → ${big / 1000}k messages`,
        unit: 'ms',
        ours: p50('messages'),
        baseline: p50('small'),
        ratio: mr,
        target: '≤ 1.5',
        met: mr <= 1.5,
        note: haveMessages ? 'baseline = the same server with 1k' : 'messages could not be seeded',
      });
      row({ scenario: '4. growth', metric: `${e.method} ${e.path} p50, 1k → ${big / 1000}k orders`, unit: 'ms', ours: p50('orders'), baseline: p50('small'), ratio: or, target: '≤ 1.5', met: or <= 1.5, note: 'baseline = the same server with 1k' });
    }
  } finally {
    await stop(load, stores.small, stores.messages, stores.orders);
  }
}

// ---------------------------------------------------------------- 5. two nodes

/** Target: two nodes' p99 within this multiple of the bare pair's. */
const NODES_P99_VS_BARE = 3;

async function scenarioNodes() {
  log(`two nodes over Redis: ${opts.rooms} rooms, buyer on node A and seller on node B, ${opts.rate} msg/s for ${opts.nodesS} s`);
  const redisOurs = await newRedis();
  const redisBare = await newRedis();
  const shared = `nodes${++serverSeq}`;
  const oursA = await startOurs({ shared, redisUrl: redisOurs.url });
  const oursB = await startOurs({ shared, redisUrl: redisOurs.url });
  const rooms = await oursA.call<ChatRoom[]>('seedRooms', { rooms: opts.rooms });
  const bareA = await start('servers/bare-socketio.ts', { REDIS_URL: redisBare.url });
  const bareB = await start('servers/bare-socketio.ts', { REDIS_URL: redisBare.url });
  const loads = { ours: await start('load/sockets.ts'), bare: await start('load/sockets.ts') };
  const rig: ChatRig = { targets: ['ours', 'bare'], servers: { ours: [oursA, oursB], bare: [bareA, bareB] }, loads, ok: {} };
  try {
    await connectRig(rig, rooms);
    const r: Record<Target, ChatStep> = { ours: NA_STEP(opts.rate), bare: NA_STEP(opts.rate) };
    for (const t of orderOf(0)) if (rig.ok[t]) r[t] = await chatStep(rig, t, opts.rate, opts.nodesS);
    keep('nodes', r);
    const s = '5. two nodes';
    row({ scenario: s, metric: `${opts.rate}/s ×${opts.rooms * 2}: delivered`, unit: 'msg/s', ours: r.ours.deliveredRate, baseline: r.bare.deliveredRate, ratio: ratio(r.ours.deliveredRate, r.bare.deliveredRate) });
    row({ scenario: s, metric: `${opts.rate}/s ×${opts.rooms * 2}: latency p50`, unit: 'ms', ours: r.ours.latency.p50, baseline: r.bare.latency.p50, ratio: ratio(r.ours.latency.p50, r.bare.latency.p50) });
    const p99 = ratio(r.ours.latency.p99, r.bare.latency.p99);
    row({ scenario: s, metric: `${opts.rate}/s ×${opts.rooms * 2}: latency p99`, unit: 'ms', ours: r.ours.latency.p99, baseline: r.bare.latency.p99, ratio: p99, target: `≤ ${NODES_P99_VS_BARE}× bare`, met: p99 <= NODES_P99_VS_BARE });
    row({ scenario: s, metric: `${opts.rate}/s ×${opts.rooms * 2}: acks lost`, unit: '', ours: r.ours.lost, baseline: r.bare.lost, target: '0', met: r.ours.lost === 0 });
    row({ scenario: s, metric: `${opts.rate}/s ×${opts.rooms * 2}: busiest node CPU`, unit: '% core', ours: r.ours.serverCpu, baseline: r.bare.serverCpu });
  } finally {
    await stop(loads.ours, loads.bare, oursA, oursB, bareA, bareB);
    await stopRedis(redisOurs, redisBare);
  }
}

// ---------------------------------------------------------------- main

const RUNNERS: Record<Scenario, () => Promise<void>> = {
  chat: () => scenarioChat({ scenario: `1. chat fan-out${opts.storeFreeChat ? STORE_FREE : ''}`, redis: false, rateTarget: 0.6, p99Target: 2, frames: true }),
  adapter: () => scenarioChat({ scenario: '1b. chat, Redis adapter on', redis: true, rateTarget: 0.5, frames: false }),
  conns: scenarioConns,
  rest: scenarioRest,
  growth: scenarioGrowth,
  nodes: scenarioNodes,
};

// With --mongodb, one ping before anything starts: a URI where nothing answers would
// otherwise surface as each server's start-up failing after the driver's 30 s wait.
if (opts.mongodb) {
  const why = await withMongo(opts.mongodb, (client) => client.db('admin').command({ ping: 1 })).then(
    () => null,
    (err: Error) => err.message.split('\n')[0],
  );
  if (why) {
    process.stderr.write(`--mongodb: cannot reach MongoDB at that URI (${why}); nothing was run\n`);
    process.exit(2);
  }
}

const startedAt = new Date();
const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
const perRun: Row[][] = [];
let failed = false;
try {
  if (opts.profile || opts.heapProfile) fs.mkdirSync(profileDir, { recursive: true });
  log(`order-chat-server benchmarks: ${opts.only.join(', ')}; store: ${opts.mongodb ? 'MongoDB' : 'embedded (SQLite)'}${opts.storeFreeChat ? ', but our chat messages appended in memory (--store-free-chat)' : ''}; ${opts.runs} run(s)`);
  for (let run = 0; run < opts.runs; run++) {
    runIndex = run;
    rows.length = 0;
    for (const s of opts.only) {
      try {
        await RUNNERS[s]();
      } catch (err) {
        failed = true;
        log(`${s} failed: ${(err as Error).stack}`);
        row({ scenario: s, metric: 'failed', unit: '', ours: NaN, note: String((err as Error).message).split('\n')[0].slice(0, 120) });
      }
      if (interrupted) break;
    }
    perRun.push([...rows]);
  }
} finally {
  await cleanup();
}

const finalRows = medianRows(perRun);
const finishedAt = new Date();
const result = {
  command,
  machine: machine(),
  store: opts.mongodb ? 'mongodb' : 'sqlite',
  options: { ...opts, mongodb: opts.mongodb ? '(set)' : undefined },
  startedAt: startedAt.toISOString(),
  seconds: Math.round((finishedAt.getTime() - startedAt.getTime()) / 1000),
  rows: finalRows,
  runs: perRun,
  raw,
  markdown: markdownTable(finalRows),
};
fs.mkdirSync(path.dirname(opts.out), { recursive: true });
fs.writeFileSync(opts.out, JSON.stringify(result, (_, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2));
const m = result.machine;
process.stdout.write(`\n${command}\n${m.cpu}, ${m.cores} cores, ${m.memGB} GB, ${m.os}, Node ${m.node}; ${result.store} store; ${result.seconds} s\n\n`);
process.stdout.write(textTable(finalRows) + '\n\n');
process.stdout.write(`written to ${path.relative(process.cwd(), opts.out)}\n`);
process.exit(failed ? 1 : 0);
