// CPU profiling of a window (a measured step), not of the whole process: the server
// children start and stop the V8 profiler on the orchestrator's command.
import fs from 'node:fs';
import { Session } from 'node:inspector/promises';
import path from 'node:path';

let session: Session | undefined;

export async function profileStart() {
  session ??= new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  return { ok: true };
}

/** Stops the profiler and writes `<dir>/<name>.cpuprofile`; returns the file. */
export async function profileStop(p: { dir: string; name: string }) {
  if (!session) throw new Error('profiler not started');
  const { profile } = await session.post('Profiler.stop');
  session.disconnect();
  fs.mkdirSync(p.dir, { recursive: true });
  const file = path.join(p.dir, `${p.name}.cpuprofile`);
  fs.writeFileSync(file, JSON.stringify(profile));
  return file;
}
