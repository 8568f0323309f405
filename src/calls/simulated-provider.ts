// A call provider without phones: every call "connects" and ends `simMs` later
// as finished, reported through the onStatus listeners (the real provider
// would POST a hang-up record instead).
import { randomBytes } from 'node:crypto';
import { CallProviderError, type CallProvider, type CallStatusUpdate, type StartCallInput } from './provider.js';

interface SimulatedCallOptions {
  /** ms from start to `finished`; default 3000 (CALL_SIM_MS) */
  simMs?: number;
  /** reported talk time in s; default simMs rounded, at least 1 (finished means they talked) */
  durationS?: number;
}

type Listener = (u: CallStatusUpdate) => void;

export class SimulatedCallProvider implements CallProvider {
  readonly name = 'simulated' as const;
  private readonly simMs: number;
  private readonly durationS: number;
  private readonly listeners = new Set<Listener>();
  private readonly pending = new Map<string, NodeJS.Timeout>();

  constructor(opts: SimulatedCallOptions = {}) {
    this.simMs = opts.simMs ?? 3000;
    if (!Number.isFinite(this.simMs) || this.simMs < 0) throw new TypeError('SimulatedCallProvider: simMs must be >= 0');
    this.durationS = opts.durationS ?? Math.max(1, Math.round(this.simMs / 1000));
  }

  onStatus(listener: Listener): void {
    this.listeners.add(listener);
  }

  async startCall(input: StartCallInput): Promise<{ callSid: string }> {
    if (!input.from || !input.to) throw new CallProviderError('from and to are required', this.name, false, 'invalid_input');
    const callSid = randomBytes(16).toString('hex'); // 32 lowercase hex, like Cloopen's
    const timer = setTimeout(() => {
      this.pending.delete(callSid);
      this.emit({ callSid, status: 'finished', duration: this.durationS, userData: input.userData });
    }, this.simMs);
    this.pending.set(callSid, timer);
    return { callSid };
  }

  close(): void {
    for (const timer of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
  }

  // A listener's failure must not escape into a timer callback and kill the process.
  private emit(update: CallStatusUpdate): void {
    for (const listener of this.listeners) {
      try {
        const r = listener(update) as unknown;
        if (r instanceof Promise) r.catch((err) => console.error('call status listener failed', err));
      } catch (err) {
        console.error('call status listener failed', err);
      }
    }
  }
}
