// HTTP load generator (a child process of bench/run.ts): autocannon for throughput at a
// fixed concurrency, and a closed-loop client with sub-millisecond latencies for the
// growth ratios (autocannon's latency histogram has a resolution of 1 ms).
import autocannon from 'autocannon';
import http from 'node:http';
import { serveChild } from '../lib/ipc';
import { selfCpuMeter } from '../lib/proc';
import { summarize, type Summary } from '../lib/stats';

export interface LoadSpec {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  connections: number;
  durationS: number;
  /** requests rotate over these (path and extra headers), e.g. many buyers ordering many topics */
  variants?: { path: string; headers?: Record<string, string> }[];
}

export interface LoadResult {
  rps: number;
  requests: number;
  non2xx: number;
  errors: number;
  latency: Summary;
  loadCpu: number;
  /** filled in by the orchestrator */
  serverCpu?: number;
  /** the kernel's part of serverCpu */
  serverSysCpu?: number;
}

async function cannon(p: LoadSpec): Promise<LoadResult> {
  const cpu = selfCpuMeter();
  let next = 0;
  const variants = p.variants;
  const r = await autocannon({
    url: p.url,
    method: p.method ?? 'GET',
    headers: p.headers,
    body: p.body,
    connections: p.connections,
    duration: p.durationS,
    timeout: 10,
    ...(variants?.length
      ? {
          requests: [
            {
              setupRequest: (req: { path: string; headers: Record<string, string> }) => {
                const v = variants[next++ % variants.length];
                return { ...req, path: v.path, headers: { ...req.headers, ...v.headers } };
              },
            },
          ],
        }
      : {}),
  });
  const ok = Object.entries(r.statusCodeStats ?? {}).reduce((n, [code, s]) => n + (code.startsWith('2') ? Number(s.count) : 0), 0);
  return {
    rps: ok / r.duration,
    requests: r.requests.total,
    non2xx: r.non2xx,
    errors: r.errors,
    latency: { count: r.requests.total, p50: r.latency.p50, p95: NaN, p99: r.latency.p99, max: r.latency.max, mean: r.latency.mean },
    loadCpu: cpu(),
  };
}

/** `connections` workers, each sending the next request when the last one is answered. */
async function closedLoop(p: LoadSpec): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: p.connections });
  const u = new URL(p.url);
  const samples: number[] = [];
  let non2xx = 0;
  let errors = 0;
  const cpu = selfCpuMeter();
  const once = () =>
    new Promise<void>((resolve) => {
      const start = performance.now();
      const req = http.request(
        { host: u.hostname, port: u.port, path: u.pathname + u.search, method: p.method ?? 'GET', headers: { ...p.headers, ...(p.body ? { 'content-type': 'application/json' } : {}) }, agent },
        (res) => {
          res.on('data', () => {});
          res.on('end', () => {
            samples.push(performance.now() - start);
            if ((res.statusCode ?? 0) >= 300) non2xx++;
            resolve();
          });
        },
      );
      req.on('error', () => {
        errors++;
        resolve();
      });
      req.end(p.body);
    });
  // A short warm-up that is not recorded.
  const warm = performance.now() + Math.min(500, p.durationS * 100);
  while (performance.now() < warm) await once();
  samples.length = 0;
  non2xx = errors = 0;
  const t1 = performance.now();
  const end = t1 + p.durationS * 1000;
  await Promise.all(
    Array.from({ length: p.connections }, async () => {
      while (performance.now() < end) await once();
    }),
  );
  const secs = (performance.now() - t1) / 1000;
  agent.destroy();
  return { rps: samples.length / secs, requests: samples.length, non2xx, errors, latency: summarize(samples), loadCpu: cpu() };
}

serveChild({ cannon, closedLoop }, { kind: 'http' });
