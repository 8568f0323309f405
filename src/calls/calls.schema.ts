// Answers of the call endpoints and the `call` push (README.md, "Calls").
import { z } from 'zod';
import { answer, count, hexId, isoTime, isoTimeOrEmpty } from '../http/answers';
import { CALL_ROW_STATUSES } from './call.types';

const callSid = z.string().describe("the provider's call id");
const status = z.enum(CALL_ROW_STATUSES);

export const callStartedSchema = answer({ callSid });

export const callInfoSchema = answer({
  status,
  callSid,
  o_id: hexId,
  from: hexId.describe('the party who asked for the call, rung first'),
  to: hexId,
  duration: count.describe('seconds the parties talked'),
  createdAt: isoTime,
  endedAt: isoTimeOrEmpty,
});

/** The `call` push on every change of a call's status. */
export const callEventSchema = answer({ o_id: hexId, callSid, status });

export type CallInfo = z.infer<typeof callInfoSchema>;
