// Summarizes a .cpuprofile (node --cpu-prof): self time by function and by package/file.
//   npx tsx bench/profile-top.ts bench/results/profiles/CPU.*.cpuprofile [--top 30]
// With --messages N (the chat messages sent while the profile ran): the busy time per
// message, split into the stages of our chat path (bench/lib/chat-stages.ts).
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { chatStages } from './lib/chat-stages';
import { indexProfile, type CpuProfile, type CpuProfileNode } from './lib/cpu-profile';

const { values, positionals } = parseArgs({
  options: { top: { type: 'string', default: '30' }, busy: { type: 'boolean', default: false }, messages: { type: 'string' } },
  allowPositionals: true,
});
const top = Number(values.top);

for (const file of positionals) {
  const p = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const { byId, parent, self } = indexProfile(p);
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const idle = [...self.entries()].filter(([id]) => ['(idle)', '(program)', '(garbage collector)'].includes(byId.get(id)!.callFrame.functionName));
  const where = (n: CpuProfileNode) => {
    const u = n.callFrame.url.replace(/^file:\/\//, '');
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(u);
    if (m) return m[1];
    if (u.includes('/src/')) return u.slice(u.indexOf('/src/') + 1);
    if (u.includes('/bench/')) return u.slice(u.indexOf('/bench/') + 1);
    return u.startsWith('node:') ? u : u ? 'other' : '(native)';
  };
  const fn = new Map<string, number>();
  const pkg = new Map<string, number>();
  for (const [id, t] of self) {
    const n = byId.get(id)!;
    const k = `${n.callFrame.functionName || '(anonymous)'}  ${where(n)}:${n.callFrame.lineNumber + 1}`;
    fn.set(k, (fn.get(k) ?? 0) + t);
    const w = ['(idle)', '(program)', '(garbage collector)'].includes(n.callFrame.functionName) ? n.callFrame.functionName : where(n);
    pkg.set(w, (pkg.get(w) ?? 0) + t);
  }
  // --busy: percentages of the time the thread was not idle (what a saturated server would spend).
  const idleT = [...self.entries()].filter(([id]) => byId.get(id)!.callFrame.functionName === '(idle)').reduce((a, [, t]) => a + t, 0);
  const base = values.busy ? total - idleT : total;
  const pct = (t: number) => `${((100 * t) / base).toFixed(1).padStart(5)}%`;
  console.log(`\n${file}: ${(total / 1e6).toFixed(1)} s sampled; ${idle.map(([id, t]) => `${byId.get(id)!.callFrame.functionName} ${pct(t)}`).join(', ')}`);
  console.log('\nself time by package / file:');
  for (const [k, t] of [...pkg].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${pct(t)}  ${k}`);
  console.log('\nself time by function:');
  for (const [k, t] of [...fn].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${pct(t)}  ${k}`);

  // Inclusive time: a function's own samples plus its callees', counted once per stack.
  const incl = new Map<string, number>();
  for (const [id, t] of self) {
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const n = byId.get(cur)!;
      if (!n.callFrame.url.includes('/src/') && !n.callFrame.url.includes('node_modules')) continue;
      const k = `${n.callFrame.functionName || '(anonymous)'}  ${where(n)}:${n.callFrame.lineNumber + 1}`;
      if (seen.has(k)) continue;
      seen.add(k);
      incl.set(k, (incl.get(k) ?? 0) + t);
    }
  }
  console.log('\ninclusive time by function (src/ and packages):');
  for (const [k, t] of [...incl].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${pct(t)}  ${k}`);

  if (values.messages) {
    console.log(`\nbusy CPU per chat message (${values.messages} messages):`);
    for (const [stage, us] of chatStages(p, Number(values.messages))) console.log(`  ${us.toFixed(0).padStart(5)} µs  ${stage}`);
  }
}
