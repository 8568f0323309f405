// Where a chat message's CPU goes: a .cpuprofile's busy time split into the stages of our chat
// path, per message (`npx tsx bench/profile-top.ts FILE --messages N`).

import { indexProfile, type CpuProfile } from './cpu-profile';

/**
 * A sample belongs to the first stage (in this order) that any frame of its stack matches:
 * the store's commit and the status read inside a handler count as theirs, not the
 * handler's. A bare server's samples fall in Socket.IO's own stage or in "other".
 */
export const CHAT_STAGES: readonly [string, (fn: string, url: string) => boolean][] = [
  ['the store: the group commit (append, COMMIT)', (fn, url) => url.includes('/src/db/group-commit') && fn === 'flush'],
  ["the order's status and parties read", (fn) => fn === 'mustGetParties' || fn === 'getParties'],
  ['the pushes: views and frames to the recipients', (fn, url) => url.includes('/src/chat/chat.service') && fn === 'announce'],
  ['validation (zod)', (_fn, url) => url.includes('/node_modules/zod/')],
  ['the ack: built and sent', (fn, url) => url.includes('/src/chat/chat.sockets') && fn === 'run'],
  ['Socket.IO: frames read, decoded, written', (_fn, url) => /\/node_modules\/(socket\.io|engine\.io|ws)\//.test(url)],
];

const UNATTRIBUTED = ['(garbage collector)', '(program)'];

/** µs of busy CPU per message in each stage (idle left out), largest first, then 'in all'. */
export function chatStages(p: CpuProfile, messages: number): [string, number][] {
  const { byId, parent, self } = indexProfile(p);
  const stages = new Map<string, number>();
  for (const [id, t] of self) {
    const leaf = byId.get(id)!.callFrame.functionName;
    if (leaf === '(idle)') continue;
    let stage = UNATTRIBUTED.includes(leaf) ? leaf : 'other';
    find: for (const [name, matches] of CHAT_STAGES)
      for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
        const f = byId.get(cur)!.callFrame;
        if (matches(f.functionName, f.url)) {
          stage = name;
          break find;
        }
      }
    stages.set(stage, (stages.get(stage) ?? 0) + t);
  }
  const busy = [...stages.values()].reduce((a, b) => a + b, 0);
  const rows: [string, number][] = [...stages].sort((a, b) => b[1] - a[1]).map(([k, t]) => [k, t / messages]);
  return [...rows, ['in all', busy / messages]];
}
