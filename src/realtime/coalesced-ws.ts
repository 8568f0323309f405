// The WebSocket server under Socket.IO (engine.io's `wsEngine` option): ws's own server,
// except that the frames one turn of the event loop writes to a connection leave it in
// one system call. A chat message sends each party several frames at once (the message,
// `read`, `unread`, the sender's ack); ws writes every frame with its own writev, and on
// a virtual machine that system call was the largest single cost of a message (a third
// of the server's busy time at 1,000 msg/s; BENCHMARKS.md). Corking the TCP socket on
// the first write of a turn and uncorking it once the turn's callbacks and promises have
// run sends the same bytes in the same order, a few microseconds later, in one writev.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';

export class CoalescedWebSocketServer extends WebSocketServer {
  override handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer, callback: (client: WebSocket, request: IncomingMessage) => void) {
    coalesceWrites(socket);
    super.handleUpgrade(request, socket, head, callback);
  }
}

/**
 * Holds `socket`'s writes from the first one in a turn until the turn's process.nextTick
 * queue runs, which is after every promise reaction queued so far. Nested cork()s (ws
 * corks around a frame's header and payload) only count up; end() uncorks by itself.
 */
export function coalesceWrites(socket: Duplex) {
  let held = false;
  const release = () => {
    held = false;
    socket.uncork();
  };
  const write = socket.write;
  socket.write = function (this: Duplex, ...args: unknown[]) {
    if (!held && !socket.destroyed) {
      held = true;
      socket.cork();
      process.nextTick(release);
    }
    return (write as (...a: unknown[]) => boolean).apply(this, args);
  } as Duplex['write'];
}
