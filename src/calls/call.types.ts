import type { CallStatus } from './provider';

/** `starting`: stored before the provider is asked, so a status report can always find the row. */
export const CALL_ROW_STATUSES = ['starting', 'calling', 'finished', 'busy', 'failed', 'no_answer'] as const satisfies readonly ('starting' | CallStatus)[];
export type CallRowStatus = (typeof CALL_ROW_STATUSES)[number];
/** A call in these statuses is active: the store allows one active call per order. */
export const ACTIVE_CALL_STATUSES: CallRowStatus[] = ['starting', 'calling'];

export interface Call {
  /** our id; passed to the provider as userData and echoed back in its reports */
  id: string;
  /** the provider's id, known once it accepted the call */
  callSid: string | null;
  o_id: string;
  provider: 'simulated' | 'cloopen';
  /** the party who asked for the call (rung first) */
  fromUser: string;
  toUser: string;
  status: CallRowStatus;
  /** true while starting or calling; the store allows one active call per order */
  active: boolean;
  /** seconds the parties talked */
  duration: number;
  error: string;
  createdAt: Date;
  updatedAt: Date;
  endedAt: Date | null;
}
