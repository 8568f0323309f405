// Calls behind one port (simulated or Cloopen). A call row is stored (`starting`) before the
// provider is asked, and its id travels as userData, so a status report always finds it even
// when it beats the provider's answer. Each status change is one conditional update of the
// row, so a duplicate report changes nothing; the winner pushes `call` and posts the system
// message.
import type { CallInfo } from './calls.schema';
import type { Identity } from '../auth/token';
import type { Store } from '../db/store';
import { badInput, badStatus, duplicate, notFound, providerFailed } from '../errors';
import { ID_RE } from '../http/validate';
import { newId } from '../ids';
import type { Logger } from '../log/logger';
import { requireRole } from '../orders/order.rules';
import type { OrdersService } from '../orders/orders.service';
import { rooms, type Push } from '../realtime/push';
import { ACTIVE_CALL_STATUSES, type Call } from './call.types';
import { CallProviderError, type CallProvider, type CallStatusUpdate } from './provider';

interface CallsOptions {
  /** where the provider POSTs its hang-up record (cloopen) */
  hangupCdrUrl?: string;
  /** seconds; the provider hangs up after this */
  maxCallTime?: number;
}

/** An active call older than this is taken as lost (its record never came) and no longer blocks a new one. */
const STALE_ACTIVE_MS = 3 * 3600_000;

export class CallsService {
  /** Per call: the steps of one call run one after another in this process (see serial()). */
  private chains = new Map<string, Promise<unknown>>();

  constructor(
    private store: Store,
    private orders: OrdersService,
    private provider: CallProvider,
    private push: Push,
    private log: Logger,
    private opts: CallsOptions = {},
    private now: () => Date = () => new Date(),
  ) {}

  /** `POST /rest/order/:o_id/call`: rings the caller first, then the other party. */
  async start(actor: Identity, o_id: string): Promise<{ callSid: string }> {
    const order = await this.orders.mustGet(o_id);
    const role = requireRole(order, actor, ['buyer', 'seller'], 'call about');
    if (order.status !== 'paid') throw badStatus(`status: the order is ${order.status}; calls need paid`);
    const other = role === 'buyer' ? order.expert_id : order.userID;
    const [from, to] = await Promise.all([this.phoneOf(actor.userID, role === 'buyer' ? 'buyer' : 'seller'), this.phoneOf(other, role === 'buyer' ? 'seller' : 'buyer')]);

    const now = this.now();
    const call: Call = { id: newId(), callSid: null, o_id, provider: this.provider.name, fromUser: actor.userID, toUser: other, status: 'starting', active: true, duration: 0, error: '', createdAt: now, updatedAt: now, endedAt: null };
    if (!(await this.insert(call))) throw duplicate('o_id: a call is already in progress for this order');

    let callSid: string;
    try {
      ({ callSid } = await this.provider.startCall({ from, to, userData: call.id, hangupCdrUrl: this.opts.hangupCdrUrl, maxCallTime: this.opts.maxCallTime }));
    } catch (err) {
      const busy = err instanceof CallProviderError && err.busy;
      await this.store.calls.update(call.id, ['starting'], { status: busy ? 'busy' : 'failed', active: false, error: String((err as Error).message ?? err).slice(0, 500), updatedAt: this.now(), endedAt: this.now() });
      this.log.warn({ err: (err as Error).message, o_id, provider: this.provider.name }, 'call: provider refused the call');
      throw providerFailed(busy ? 'call: the call provider is busy; try again later' : 'call: the call provider could not start the call');
    }
    await this.serial(call.id, () => this.toCalling(call.id, callSid));
    return { callSid };
  }

  /**
   * Runs the status steps of one call in order, so a report that beats the provider's answer
   * (a simulated call of 0 ms) cannot push `finished` before `calling`. Reports from other
   * nodes (Cloopen's hang-up record) arrive long after the start and need no such help.
   */
  private serial<T>(id: string, fn: () => Promise<T>): Promise<T> {
    const run = (this.chains.get(id) ?? Promise.resolve()).then(fn, fn);
    const tail = run.catch(() => undefined);
    this.chains.set(id, tail);
    void tail.then(() => {
      if (this.chains.get(id) === tail) this.chains.delete(id);
    });
    return run;
  }

  /** The phone the provider rings; the simulated provider needs none, so it gets the userID. */
  private async phoneOf(userID: string, who: 'buyer' | 'seller'): Promise<string> {
    const phone = (await this.store.users.get(userID))?.phone ?? '';
    if (phone) return phone;
    if (this.provider.name === 'simulated') return userID;
    throw badInput(`phone: the ${who} has no phone number; set it with PUT /rest/user/profile`);
  }

  private async insert(call: Call): Promise<boolean> {
    if (await this.store.calls.insert(call)) return true;
    // A call whose end was never reported must not block the order forever.
    const active = await this.store.calls.getActive(call.o_id);
    if (!active || this.now().getTime() - active.updatedAt.getTime() < STALE_ACTIVE_MS) return false;
    await this.store.calls.update(active.id, ACTIVE_CALL_STATUSES, { status: 'failed', active: false, error: 'no status report arrived', updatedAt: this.now(), endedAt: this.now() });
    return this.store.calls.insert(call);
  }

  /** starting → calling, once: stamps the order `called`, pushes and posts call_started. */
  private async toCalling(id: string, callSid: string): Promise<void> {
    const call = await this.store.calls.update(id, ['starting'], { callSid, status: 'calling', updatedAt: this.now() });
    if (!call) return; // the other path (start or a status report) got there first
    this.pushCall(call, callSid);
    const order = await this.orders.markCalled(call.o_id);
    await this.orders.announce(order, 'call_started', { userID: call.fromUser, staff: false }, { callSid });
  }

  /** A provider's report (simulated timer or Cloopen hang-up record); false when it changed nothing. */
  async applyStatus(u: CallStatusUpdate): Promise<boolean> {
    const byId = u.userData && ID_RE.test(u.userData) ? await this.store.calls.get(u.userData.toLowerCase()) : null;
    const call = byId && (byId.callSid === null || byId.callSid === u.callSid) ? byId : await this.store.calls.getByCallSid(u.callSid);
    if (!call) {
      this.log.warn({ callSid: u.callSid }, 'call: status report for an unknown call');
      return false;
    }
    if (u.status === 'calling') return false;
    return this.serial(call.id, () => this.finish(call, u));
  }

  private async finish(call: Call, u: CallStatusUpdate): Promise<boolean> {
    if (call.status === 'starting') await this.toCalling(call.id, u.callSid);
    const now = this.now();
    const ended = await this.store.calls.update(call.id, ['calling'], { status: u.status, duration: u.duration ?? 0, active: false, updatedAt: now, endedAt: now });
    if (!ended) return false;
    this.pushCall(ended, u.callSid);
    const order = await this.orders.mustGet(ended.o_id);
    await this.orders.announce(order, 'call_finished', null, { callSid: ended.callSid, status: ended.status, duration: ended.duration });
    return true;
  }

  /** `GET /rest/call/:callSid`: for both parties and staff. */
  async get(actor: Identity, callSid: string): Promise<CallInfo> {
    const call = await this.store.calls.getByCallSid(callSid);
    if (!call) throw notFound('callSid: no such call');
    const order = await this.orders.mustGet(call.o_id);
    requireRole(order, actor, ['buyer', 'seller', 'admin'], 'see the call of');
    return {
      status: call.status,
      callSid,
      o_id: call.o_id,
      from: call.fromUser,
      to: call.toUser,
      duration: call.duration,
      createdAt: call.createdAt.toISOString(),
      endedAt: call.endedAt ? call.endedAt.toISOString() : '',
    };
  }

  /** `callSid` is the provider's id the call reached `calling` with (the row's own is typed nullable). */
  private pushCall(call: Call, callSid: string) {
    try {
      this.push.send([
        { to: [rooms.order(call.o_id), rooms.user(call.fromUser), rooms.user(call.toUser)], event: 'call', payload: { o_id: call.o_id, callSid, status: call.status } },
      ]);
    } catch (err) {
      this.log.warn({ err, o_id: call.o_id }, 'call: push failed');
    }
  }
}
