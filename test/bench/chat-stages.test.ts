// `bench/profile-top.ts --messages N` splits a CPU profile's busy time into the chat path's
// stages (BENCHMARKS.md, "Where a chat message's time goes"). A sample counts once, for the
// first stage its stack shows: the commit and the status read are not the handler's.
import test from 'ava';
import { chatStages } from '../../bench/lib/chat-stages';
import type { CpuProfile } from '../../bench/lib/cpu-profile';

const frame = (id: number, functionName: string, url: string, children: number[] = []) => ({ id, callFrame: { functionName, url, lineNumber: 0 }, children });
const SRC = 'file:///app/src';
const MODULES = 'file:///app/node_modules';

// root ─ (idle)
//      ─ run (chat.sockets) ─ mustGetParties (orders.service) ─ get (native)
//                            ─ _parse (zod)
//                            ─ sendPacket (engine.io)
//      ─ flush (group-commit) ─ run (native)
//      ─ announce (chat.service) ─ emit (socket.io)
//      ─ (garbage collector)
const profile: CpuProfile = {
  nodes: [
    frame(1, '(root)', '', [2, 3, 8, 10, 12]),
    frame(2, '(idle)', ''),
    frame(3, 'run', `${SRC}/chat/chat.sockets.ts`, [4, 6, 7]),
    frame(4, 'mustGetParties', `${SRC}/orders/orders.service.ts`, [5]),
    frame(5, 'get', ''),
    frame(6, '_parse', `${MODULES}/zod/lib/types.js`),
    frame(7, 'sendPacket', `${MODULES}/engine.io/build/socket.js`),
    frame(8, 'flush', `${SRC}/db/group-commit.ts`, [9]),
    frame(9, 'run', ''),
    frame(10, 'announce', `${SRC}/chat/chat.service.ts`, [11]),
    frame(11, 'emit', `${MODULES}/socket.io/dist/broadcast-operator.js`),
    frame(12, '(garbage collector)', ''),
  ],
  samples: [2, 5, 6, 7, 7, 9, 9, 9, 11, 11, 12, 3],
  timeDeltas: [1000, 10, 20, 30, 30, 100, 100, 100, 40, 40, 15, 5],
};

test('the busy time of a profile is split per message into the first stage each stack shows', (t) => {
  const rows = new Map(chatStages(profile, 10));
  t.is(rows.get('the store: the group commit (append, COMMIT)'), 30);
  t.is(rows.get("the order's status and parties read"), 1);
  t.is(rows.get('validation (zod)'), 2);
  // The engine.io frames written from the handler belong to the ack, as does its own time.
  t.is(rows.get('the ack: built and sent'), 6.5);
  t.is(rows.get('the pushes: views and frames to the recipients'), 8);
  t.is(rows.get('(garbage collector)'), 1.5);
  t.false(rows.has('(idle)'));
  t.is(rows.get('in all'), 49);
});
