// Chat traffic for the fault tests: the parties' sockets on chosen nodes, senders at a steady
// rate, and a record of every message sent, acknowledged and received, so a test counts what
// a fault cost instead of hoping it cost nothing.
import { io, type Socket } from 'socket.io-client';
import type { TestUser } from './app';

/**
 * The chat of the fault tests: ORDERS orders, two senders each (one per node) sending every
 * SEND_EVERY_MS (about 200 messages a second in all), and PER_PHASE messages per order
 * acknowledged in each phase before a test moves on (a count, not a time).
 */
export const LOAD = { orders: 4, sendEveryMs: 40, perPhase: 30 } as const;

/** Acks (and history pages) not answered in this long fail the send: a guard, not a measure. */
const ACK_GUARD_MS = 20_000;

export interface Sent {
  client_id: string;
  o_id: string;
  /** the node it was sent to */
  node: string;
  /** what the test was doing then (e.g. "redis down") */
  phase: string;
  ack?: { msgid: string; seq: number };
  /** what the test was doing when the ack arrived */
  ackPhase?: string;
  /** a refused or unanswered send */
  error?: string;
}

export interface StoredMessage {
  msgid: string;
  seq: number;
  type: string;
  client_id?: string | null;
  content: string;
}

/** One party's socket in one order's chat, recording every `message` of that order it receives. */
export class ChatSocket {
  socket!: Socket;
  node = '';
  /** msgid → seq of every message of the order received (pushed or fetched) */
  readonly received = new Map<string, number>();
  /** the order's last seq when this socket first connected: what it had already */
  startSeq = 0;

  constructor(
    readonly label: string,
    readonly o_id: string,
    readonly user: TestUser,
  ) {}

  /** Connects to `url` (no automatic reconnection: the test decides where a client goes). */
  async connect(node: string, url: string): Promise<void> {
    const socket = io(url, { auth: { token: this.user.token }, transports: ['websocket'], reconnection: false, forceNew: true, timeout: ACK_GUARD_MS });
    socket.on('message', (m: StoredMessage & { o_id: string }) => {
      if (m.o_id === this.o_id) this.received.set(m.msgid, m.seq);
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', (err) => (socket.close(), reject(err)));
    });
    this.socket = socket;
    this.node = node;
    if (this.received.size === 0 && this.startSeq === 0) {
      const latest = await this.history({ before: Number.MAX_SAFE_INTEGER, limit: 1 });
      this.startSeq = latest[0]?.seq ?? 0;
    }
  }

  get connected() {
    return this.socket?.connected ?? false;
  }

  async history(query: { after?: number; before?: number; limit?: number }): Promise<StoredMessage[]> {
    const ack = await this.socket.timeout(ACK_GUARD_MS).emitWithAck('history', { o_id: this.o_id, limit: 100, ...query });
    if (ack.code !== 900) throw new Error(`history: ${JSON.stringify(ack)}`);
    return ack.list;
  }

  /** The highest seq up to which this socket has every message since it started. */
  contiguousSeq(): number {
    const seqs = new Set(this.received.values());
    let s = this.startSeq;
    while (seqs.has(s + 1)) s++;
    return s;
  }

  /** Whether a message arrived past a hole in the seqs (docs/protocol.md: a client then catches up). */
  hasGap(): boolean {
    return Math.max(this.startSeq, ...this.received.values()) > this.contiguousSeq();
  }

  /** What a client does after a gap: `history` `after` its last contiguous seq, page by page. Returns how many it fetched. */
  async catchUp(): Promise<number> {
    let after = this.contiguousSeq();
    let fetched = 0;
    for (;;) {
      const page = await this.history({ after, limit: 100 });
      for (const m of page) {
        if (!this.received.has(m.msgid)) fetched++;
        this.received.set(m.msgid, m.seq);
      }
      if (page.length < 100) return fetched;
      after = page[page.length - 1].seq;
    }
  }

  close() {
    this.socket?.close();
  }
}

/** Every message sent by the senders, and the senders' timers. */
export class ChatTraffic {
  readonly sent: Sent[] = [];
  phase = 'start';
  private timers: NodeJS.Timeout[] = [];
  private n = 0;

  /** Sends one message now from `from`, recording what becomes of it. */
  send(from: ChatSocket, client_id = `${from.label}-${++this.n}`): Sent {
    const record: Sent = { client_id, o_id: from.o_id, node: from.node, phase: this.phase };
    this.sent.push(record);
    if (!from.connected) {
      record.error = 'not connected';
      return record;
    }
    from.socket.timeout(ACK_GUARD_MS).emit('message', { o_id: from.o_id, content: `m ${client_id}`, client_id }, (err: Error | null, ack: any) => {
      if (err) record.error = err.message;
      else if (ack?.code !== 900) record.error = JSON.stringify(ack);
      else {
        record.ack = { msgid: ack.message.msgid, seq: ack.message.seq };
        record.ackPhase = this.phase;
        // The ack is the sending socket's copy: no `message` frame comes back to it (docs/protocol.md).
        if (from.o_id === ack.message.o_id) from.received.set(ack.message.msgid, ack.message.seq);
      }
    });
    return record;
  }

  /** Sends from each socket every `everyMs` until stop(). */
  start(senders: ChatSocket[], everyMs: number) {
    for (const s of senders) this.timers.push(setInterval(() => this.send(s), everyMs));
  }

  stop() {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
  }

  /** Sends that have neither an ack nor an error yet. */
  outstanding(): Sent[] {
    return this.sent.filter((s) => !s.ack && !s.error);
  }

  acked(filter: (s: Sent) => boolean = () => true): Sent[] {
    return this.sent.filter((s) => s.ack && filter(s));
  }
}

/** Every message of an order as stored, oldest first, read through `history` `after` on any socket of it. */
export async function storedMessages(reader: ChatSocket): Promise<StoredMessage[]> {
  const all: StoredMessage[] = [];
  let after = 0;
  for (;;) {
    const page = await reader.history({ after, limit: 100 });
    all.push(...page);
    if (page.length < 100) return all;
    after = page[page.length - 1].seq;
  }
}
