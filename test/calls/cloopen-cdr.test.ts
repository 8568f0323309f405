import test from 'ava';
import { parseCloopenCdr } from '../../src/calls/cloopen-cdr.js';

const SID = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
const leg = (duration: string | number) => ({
  callSid: SID,
  caller: '13800000001',
  called: '13900000002',
  beginCallTime: '20240305090203',
  starttime: '20240305090210',
  endtime: '20240305091210',
  duration,
  userData: 'o5f1c2b3a4d5e6f708192a3b4',
});

test('a called leg with duration > 0 is finished, with duration and userData', (t) => {
  const body = { callerCdr: leg('620'), calledCdr: leg('600'), orderid: 'x', recordurl: '' };
  t.deepEqual(parseCloopenCdr(body), { callSid: SID, status: 'finished', duration: 600, userData: 'o5f1c2b3a4d5e6f708192a3b4' });
});

test('duration 0 is no_answer; numbers and raw JSON text are accepted', (t) => {
  t.like(parseCloopenCdr({ calledCdr: leg(0) }), { status: 'no_answer', duration: 0 });
  t.like(parseCloopenCdr(JSON.stringify({ calledCdr: leg('0') })), { callSid: SID, status: 'no_answer' });
});

test('only a caller leg means the callee was never bridged: no_answer', (t) => {
  t.like(parseCloopenCdr({ callerCdr: leg('30') }), { callSid: SID, status: 'no_answer', duration: 0 });
});

test('malformed bodies throw a TypeError naming the field', (t) => {
  const cases: Array<[unknown, RegExp]> = [
    [null, /body/],
    ['{not json', /JSON/],
    [[], /body/],
    [{}, /calledCdr/],
    [{ calledCdr: 'x' }, /calledCdr/],
    [{ calledCdr: { ...leg('5'), callSid: '' } }, /calledCdr\.callSid/],
    [{ calledCdr: { ...leg('5'), duration: 'abc' } }, /calledCdr\.duration/],
    [{ calledCdr: { ...leg('5'), duration: -3 } }, /calledCdr\.duration/],
    [{ calledCdr: { callSid: SID } }, /calledCdr\.duration/],
  ];
  for (const [body, field] of cases) {
    t.throws(() => parseCloopenCdr(body), { instanceOf: TypeError, message: field }, JSON.stringify(body));
  }
});
