// Profiling of a window (a measured step), not of the whole process: the server children
// start and stop the V8 profiler on the orchestrator's command. `cpu`: where the time goes;
// `heap`: where the allocations come from, garbage included (what the scavenges collect is
// what makes them frequent), sampled every 4 KB.
import fs from 'node:fs';
import { Session } from 'node:inspector/promises';
import path from 'node:path';

export type ProfileKind = 'cpu' | 'heap';

let session: Session | undefined;
let running: ProfileKind | undefined;

export async function profileStart(p: { kind?: ProfileKind } = {}) {
  const kind = p.kind ?? 'cpu';
  session ??= new Session();
  session.connect();
  if (kind === 'cpu') {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 200 });
    await session.post('Profiler.start');
  } else {
    await session.post('HeapProfiler.enable');
    // The two include… flags keep the samples of objects the GC has since collected (V8 ≥ 11).
    await session.post('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true } as never);
  }
  running = kind;
  return { ok: true };
}

/** Stops the profiler and writes `<dir>/<name>.cpuprofile` (or `.heapprofile`); returns the file. */
export async function profileStop(p: { dir: string; name: string }) {
  if (!session || !running) throw new Error('profiler not started');
  const kind = running;
  running = undefined;
  const { profile } = kind === 'cpu' ? await session.post('Profiler.stop') : await session.post('HeapProfiler.stopSampling');
  session.disconnect();
  fs.mkdirSync(p.dir, { recursive: true });
  const file = path.join(p.dir, `${p.name}.${kind}profile`);
  fs.writeFileSync(file, JSON.stringify(profile));
  return file;
}
