// The order chat: messages are stored (with the order's next seq) before anything is
// acknowledged or pushed; read state is a cursor per party; system messages follow every
// order event (system-messages.listener.ts). Pushes go through the Push interface, so this
// file never imports socket.io.
import type { Identity } from '../auth/token';
import { BoundedMap } from '../bounded-map';
import { badStatus, forbidden, notFound } from '../errors';
import { newId } from '../ids';
import type { OrderEvent } from '../orders/order.events';
import { roleOf } from '../orders/order.rules';
import { OPEN_STATUSES, type OrderParties } from '../orders/order.types';
import type { OrdersService } from '../orders/orders.service';
import { orderAudience, rooms, type Delivery, type Push } from '../realtime/push';
import type { AppendResult, ChatRepo } from './chat.repo';
import { CHAT_LIMITS, type HistoryInput, type MessageInput, type ReadInput } from './chat.schema';
import { NOBODY, type ChatMember, type ChatMessage, type ChatParties, type UnreadCount, type Viewer } from './chat.types';
import { OrderQueue } from './order-queue';
import { messageView, unreadItem, unreadNumbersView, type MessageView } from './chat.view';
import type { SystemMessagesService, TextsByKey } from './system-messages.service';

/** Most messages per order one `unreadchat` call returns (and marks read); the rest stay unread. */
const UNREAD_CHAT_MAX = 200;
const NO_TEXTS: TextsByKey = new Map();
/** Most orders whose parties one process remembers; forgetting only costs a read. */
const KNOWN_PARTIES_MAX = 100_000;

/** Who is in an order's chat. Unlike its status, an order's parties never change. */
type Parties = Omit<OrderParties, 'status'>;

const toChatParties = (o: Parties): ChatParties => ({ o_id: o.o_id, buyer: o.userID, seller: o.expert_id });

/** A user's unread messages: in one order, and across all its orders. */
export interface UnreadNumbers {
  count: number;
  total: number;
}

/** What the sender's ack carries: the message as the sender sees it, and the sender's numbers after it. */
export interface Sent {
  message: MessageView;
  unread: UnreadNumbers;
}

export class ChatService {
  private knownParties = new BoundedMap<Parties>(KNOWN_PARTIES_MAX);
  /** Each order's appends in turn: a socket's messages keep their order in seqs and pushes. */
  private appends = new OrderQueue();
  constructor(
    private repo: ChatRepo,
    private orders: OrdersService,
    private system: SystemMessagesService,
    private push: Push,
    private now: () => Date = () => new Date(),
  ) {}

  /** The caller's side of the order (staff: admin); 904 when missing, 903 for a stranger. */
  async access(who: Identity, o_id: string): Promise<{ order: Parties; viewer: Viewer }> {
    const order = await this.partiesOf(o_id);
    return { order, viewer: viewerOf(order, who) };
  }

  private async partiesOf(o_id: string): Promise<Parties> {
    return this.knownParties.get(o_id) ?? this.remember(await this.orders.mustGetParties(o_id));
  }

  /** Parties are remembered per process, status never: whoever needs it reads it. */
  private remember(o: OrderParties): Parties {
    return this.knownParties.set(o.o_id, { o_id: o.o_id, userID: o.userID, expert_id: o.expert_id });
  }

  async join(who: Identity, o_id: string) {
    const order = await this.orders.mustGetParties(o_id);
    this.remember(order);
    const viewer = viewerOf(order, who);
    const unread = viewer === 'admin' ? 0 : ((await this.repo.listMembers(o_id)).find((m) => m.userID === who.userID)?.unread ?? 0);
    return { viewer, order: { o_id, status: order.status }, unread };
  }

  /**
   * Stores a text message (or finds the one with the same client_id) and returns it as the
   * sender sees it, with the sender's numbers. `origin`, the sending socket's id, gets no
   * `message` frame: its ack carries the message. Queued on its order before anything is
   * awaited, so calls made in order are stored and pushed in that order.
   */
  send(who: Identity, input: MessageInput, origin?: string): Promise<Sent> {
    return this.appends.run(input.o_id, () => this.storeText(who, input, origin));
  }

  private async storeText(who: Identity, input: MessageInput, origin?: string): Promise<Sent> {
    const { order, viewer } = who.staff ? await this.access(who, input.o_id) : await this.openForParty(who, input.o_id);
    const to = viewer === 'buyer' ? order.expert_id : viewer === 'seller' ? order.userID : NOBODY;
    const draft = { msgid: newId(), from: who.userID, to, type: 'text' as const, content: input.content, client_id: input.client_id ?? null, createdAt: this.now() };
    // A message racing the order's close may still be stored: the status is read just before the append.
    const r = await this.repo.append(toChatParties(order), draft);
    // A resend stores nothing and pushes nothing: the clients already have the original.
    if (!r.duplicate) this.announce(order, r, NO_TEXTS, origin);
    return { message: messageView(r.message, viewer, NO_TEXTS, r.members), unread: await this.numbersOf(who, r) };
  }

  /** Like access, for a party about to write: the order's current status must take messages (905 otherwise). */
  private async openForParty(who: Identity, o_id: string): Promise<{ order: Parties; viewer: Viewer }> {
    const current = await this.orders.mustGetParties(o_id);
    const order = this.remember(current);
    const viewer = viewerOf(order, who);
    if (!OPEN_STATUSES.includes(current.status)) throw badStatus(`status: the order is ${current.status}; messages need ${OPEN_STATUSES.join(', ')}`);
    return { order, viewer };
  }

  /** The sender's numbers after an append; staff have none in the order, only their total elsewhere. */
  private async numbersOf(who: Identity, r: AppendResult): Promise<UnreadNumbers> {
    const member = r.members.find((m) => m.userID === who.userID);
    if (member) return { count: member.unread, total: r.unreadTotals[who.userID] ?? 0 };
    return { count: 0, total: sum(await this.repo.unreadCounts(who.userID)) };
  }

  /** Posts the system message of an order event (content = its key). */
  postSystem(e: OrderEvent): Promise<void> {
    return this.appends.run(e.order.o_id, () => this.storeSystem(e));
  }

  private async storeSystem(e: OrderEvent) {
    const order = e.order;
    const r = await this.repo.append(toChatParties(order), {
      msgid: newId(),
      from: NOBODY,
      to: NOBODY,
      type: 'system',
      content: e.key,
      client_id: null,
      createdAt: this.now(),
    });
    this.announce(order, r, await this.system.textsFor([e.key]));
  }

  async read(who: Identity, input: ReadInput) {
    const { order, viewer } = await this.access(who, input.o_id);
    // Staff read without a cursor: the parties' read receipts are about each other.
    if (viewer === 'admin') return { unread: 0 };
    let upTo: ChatMessage | null = null;
    if (input.msgid) {
      upTo = await this.repo.getMessage(order.o_id, input.msgid);
      if (!upTo) throw notFound('msgid: no such message in this order');
    }
    const r = await this.repo.markRead(order.o_id, who.userID, upTo?.seq ?? Number.MAX_SAFE_INTEGER);
    if (r.moved && r.member) {
      // Without a msgid the cursor went to the last message, which only the store knows.
      const last = upTo ?? (await this.repo.getMessageAt(order.o_id, r.member.read_seq));
      this.pushRead(order, r.member.userID, last?.msgid ?? '');
      await this.pushUnread(r.member.userID, [order.o_id]);
    }
    return { unread: r.member?.unread ?? 0 };
  }

  async history(who: Identity, input: HistoryInput) {
    const { order, viewer } = await this.access(who, input.o_id);
    const limit = input.limit ?? CHAT_LIMITS.historyDefault;
    const list = await this.repo.history(order.o_id, { after: input.after, before: input.before, limit });
    const [members, texts] = await Promise.all([this.repo.listMembers(order.o_id), this.textsOf(list)]);
    return list.map((m) => messageView(m, viewer, texts, members));
  }

  /** `GET /rest/order/unreadnum`: what the caller has not read, per order. */
  async unreadNumbers(userID: string) {
    const counts = await this.repo.unreadCounts(userID);
    return unreadNumbersView(sum(counts), counts);
  }

  /**
   * `GET /rest/order/unreadchat`: the unread messages per order, marked read (up to what is
   * returned) as they are listed; at most `maxOrders` orders, oldest unread first, the rest
   * left for the next call.
   */
  async unreadChat(userID: string, maxOrders: number) {
    const out: { o_id: string; list: ReturnType<typeof unreadItem>[] }[] = [];
    const moved: { order: Parties; msgid: string }[] = [];
    for (const member of await this.repo.unreadMembers(userID, maxOrders)) {
      const list = await this.repo.history(member.o_id, { after: member.read_seq, limit: Math.min(member.unread, UNREAD_CHAT_MAX) });
      if (list.length === 0) continue;
      // Only up to the last one returned: a message that arrives meanwhile stays unread.
      const last = list[list.length - 1];
      const r = await this.repo.markRead(member.o_id, userID, last.seq);
      const texts = await this.textsOf(list);
      out.push({ o_id: member.o_id, list: list.map((m) => unreadItem(m, member.role, texts)) });
      if (r.moved) moved.push({ order: await this.partiesOf(member.o_id), msgid: last.msgid });
    }
    for (const m of moved) this.pushRead(m.order, userID, m.msgid);
    if (moved.length) await this.pushUnread(userID, moved.map((m) => m.order.o_id));
    return out;
  }

  /** One page of an order's messages, oldest first, for the customer-service console (docs/system-messages.md). */
  async adminPage(who: Identity, o_id: string, skip: number, limit: number) {
    const { order } = await this.access(who, o_id);
    const [{ list, total }, members] = await Promise.all([this.repo.listPage(order.o_id, skip, limit), this.repo.listMembers(order.o_id)]);
    return { list, total, members, texts: await this.textsOf(list) };
  }

  /**
   * After an append, one `message` frame per socket: each party's devices get its own side's
   * text and its numbers after this message (no `unread` or `read` of their own: a message
   * from a party says it has read everything before it); staff who joined the order get the
   * admin text in the order's staff room, which holds no party (a party joins as a party).
   * No emit goes to the order's room, so a socket in it gets the message once; `origin` (the
   * sending socket) gets none.
   */
  private announce(order: Parties, r: AppendResult, texts: TextsByKey, origin?: string) {
    const m = r.message;
    const sender = origin ? [origin] : [];
    const copies: Delivery[] = r.members.map((member) => ({
      to: [rooms.user(member.userID)],
      event: 'message',
      payload: { ...messageView(m, member.role, texts, r.members), unread: { count: member.unread, total: r.unreadTotals[member.userID] ?? 0 } },
      except: member.userID === m.from ? sender : [],
    }));
    copies.push({ to: [rooms.orderStaff(order.o_id)], event: 'message', payload: messageView(m, 'admin', texts, r.members), except: sender });
    this.push.send(copies);
  }

  private pushRead(order: Parties, userID: string, msgid: string) {
    this.push.send([{ to: orderAudience(order), event: 'read', payload: { o_id: order.o_id, userID, msgid } }]);
  }

  /** `unread` {total, o_id, count} for each order given, with the user's current numbers. */
  private async pushUnread(userID: string, o_ids: string[]) {
    const counts = await this.repo.unreadCounts(userID);
    const total = sum(counts);
    this.push.send(o_ids.map((o_id) => ({ to: [rooms.user(userID)], event: 'unread', payload: { total, o_id, count: counts.find((c) => c.o_id === o_id)?.unread ?? 0 } })));
  }

  private textsOf(list: ChatMessage[]): Promise<TextsByKey> {
    const keys = list.filter((m) => m.type === 'system').map((m) => m.content);
    return keys.length ? this.system.textsFor(keys) : Promise.resolve(NO_TEXTS);
  }
}

function viewerOf(order: Parties, who: Identity): Viewer {
  const viewer = roleOf(order, who);
  if (!viewer) throw forbidden('o_id: you are not a party to this order');
  return viewer;
}

const sum = (counts: UnreadCount[]) => counts.reduce((n, c) => n + c.unread, 0);
