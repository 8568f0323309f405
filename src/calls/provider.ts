// The call port: a provider rings `from` first, then bridges to `to`, and later
// reports how the call ended. Adapters: SimulatedCallProvider and CloopenClient.

export type CallStatus = 'calling' | 'finished' | 'busy' | 'failed' | 'no_answer';

export interface StartCallInput {
  /** phone of the party rung first */
  from: string;
  to: string;
  /** echoed back in status updates; we pass our call id */
  userData: string;
  /** where the provider POSTs the hang-up record */
  hangupCdrUrl?: string;
  /** seconds */
  maxCallTime?: number;
}

export interface CallStatusUpdate {
  callSid: string;
  status: CallStatus;
  /** seconds the two parties talked */
  duration?: number;
  userData?: string;
}

export interface CallProvider {
  readonly name: 'simulated' | 'cloopen';
  startCall(input: StartCallInput): Promise<{ callSid: string }>;
  /** simulated only: the provider reports status changes itself; the app registers a listener. */
  onStatus?(listener: (u: CallStatusUpdate) => void): void;
  /** clears timers */
  close?(): void;
}

/**
 * The provider refused or could not be reached. `busy` says it is worth trying
 * again later (rate limit / concurrency), which the app reports as status `busy`
 * rather than `failed`.
 */
export class CallProviderError extends Error {
  constructor(
    message: string,
    readonly provider: string,
    readonly busy: boolean,
    readonly providerCode?: string,
  ) {
    super(message);
    this.name = 'CallProviderError';
  }
}
