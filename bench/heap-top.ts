// Summarizes a .heapprofile written with --heap-profile: bytes allocated (garbage included)
// by function and by package/file. `--per N` divides by N (the messages or requests of the
// window), e.g. 15000 for a 15 s chat step at 1,000 msg/s.
//   npx tsx bench/heap-top.ts bench/results/profiles/chat-1-ours-1000.heapprofile --per 15000
import fs from 'node:fs';
import { parseArgs } from 'node:util';

interface HeapNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: HeapNode[];
}

const { values, positionals } = parseArgs({ options: { top: { type: 'string', default: '30' }, per: { type: 'string' } }, allowPositionals: true });
const top = Number(values.top);
const per = values.per ? Number(values.per) : undefined;

/** The package (node_modules/<name>), our file (src/…), a node: module, or a built-in. */
function where(url: string, fn: string) {
  const pkg = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (pkg) return pkg[1];
  const i = url.indexOf('/src/');
  if (i >= 0) return url.slice(i + 1);
  return url || fn || '(native)';
}

for (const file of positionals) {
  const { head } = JSON.parse(fs.readFileSync(file, 'utf8')) as { head: HeapNode };
  const byFn = new Map<string, number>();
  const byWhere = new Map<string, number>();
  let total = 0;
  const stack = [head];
  while (stack.length) {
    const n = stack.pop()!;
    const { functionName, url, lineNumber } = n.callFrame;
    const w = where(url, functionName);
    const key = `${functionName || '(anonymous)'}  ${w}:${lineNumber + 1}`;
    total += n.selfSize;
    byFn.set(key, (byFn.get(key) ?? 0) + n.selfSize);
    byWhere.set(w, (byWhere.get(w) ?? 0) + n.selfSize);
    stack.push(...n.children);
  }
  const size = (b: number) => (per ? `${(b / per).toFixed(0).padStart(7)} B/unit` : `${(b / 1e6).toFixed(1).padStart(7)} MB`);
  const lines = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, v]) => `${((100 * v) / total).toFixed(1).padStart(6)}%  ${size(v)}  ${k}`)
      .join('\n');
  console.log(`\n${file}: ${(total / 1e6).toFixed(1)} MB allocated${per ? `, ${(total / per / 1024).toFixed(1)} KB per unit` : ''}`);
  console.log(`\nby package / file:\n${lines(byWhere)}`);
  console.log(`\nby function:\n${lines(byFn)}`);
}
