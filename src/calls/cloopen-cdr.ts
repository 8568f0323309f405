// Cloopen's hang-up record (POSTed to hangupCdrUrl) → our call status.
// The called leg decides: duration > 0 means the two talked.
import type { CallStatusUpdate } from './provider.js';

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

// Cloopen sends numbers as strings ("35"); accept both, nothing else.
function seconds(v: unknown, field: string): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : NaN;
  if (!Number.isInteger(n) || n < 0) throw new TypeError(`Cloopen CDR: ${field} must be a non-negative integer of seconds`);
  return n;
}

function sid(v: unknown, field: string): string {
  if (typeof v !== 'string' || v.trim() === '') throw new TypeError(`Cloopen CDR: ${field} is required`);
  return v.trim();
}

/**
 * Parses a hang-up record (object, or its raw JSON text). Throws a TypeError
 * naming the field when the body is not a record, so the route can answer 400.
 */
export function parseCloopenCdr(body: unknown): CallStatusUpdate {
  let b = body;
  if (typeof b === 'string' || Buffer.isBuffer(b)) {
    try {
      b = JSON.parse(b.toString());
    } catch {
      throw new TypeError('Cloopen CDR: body is not JSON');
    }
  }
  if (!isObj(b)) throw new TypeError('Cloopen CDR: body must be an object');

  const userDataOf = (...vs: unknown[]): string | undefined => vs.find((v): v is string => typeof v === 'string' && v !== '');

  if (isObj(b.calledCdr)) {
    const called = b.calledCdr;
    const callSid = sid(called.callSid, 'calledCdr.callSid');
    const duration = seconds(called.duration, 'calledCdr.duration');
    const callerUserData = isObj(b.callerCdr) ? b.callerCdr.userData : undefined;
    const userData = userDataOf(called.userData, callerUserData, b.userData);
    return { callSid, status: duration > 0 ? 'finished' : 'no_answer', duration, ...(userData ? { userData } : {}) };
  }
  // Only the caller's leg: the called party was never bridged, so nobody talked.
  if (isObj(b.callerCdr)) {
    const caller = b.callerCdr;
    const callSid = sid(caller.callSid, 'callerCdr.callSid');
    const userData = userDataOf(caller.userData, b.userData);
    return { callSid, status: 'no_answer', duration: 0, ...(userData ? { userData } : {}) };
  }
  if (b.calledCdr !== undefined) throw new TypeError('Cloopen CDR: calledCdr must be an object');
  throw new TypeError('Cloopen CDR: calledCdr is required');
}
