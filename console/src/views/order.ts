// One order: its detail (parties, price, status, every time as a timeline, payments,
// refunds, calls, the appeal), its chat (history, older pages on scroll, live messages,
// typing, read marks, staff replies) and the staff actions (cancel with refund, resolve the
// appeal). The refund runs after the cancel answers, so the page watches it until it settles.
import { admin, rest } from '../api';
import { errorBox, h, replace, time, yuan } from '../dom';
import { CALL_LABELS, label, PAYMENT_LABELS, ROLE_LABELS, STATUS_LABELS, TIME_FIELDS } from '../labels';
import type { View } from '../main';

const PAGE = 30;
const TYPING_SHOWN_MS = 3000;
const TYPING_SENT_EVERY_MS = 2000;
const REFUND_POLL_MS = 1000;
/** A refund left with the provider longer than this is left to the page's next load. */
const REFUND_WATCH_MS = 5 * 60_000;

interface Profile {
  userID: string;
  nick: string;
  name: string;
  avatar: string;
  title: string;
}
interface Detail {
  order: Record<string, any> & { o_id: string; status: string; price: number; userID: string; expert_id: string; appeal: null | { by: 'buyer' | 'seller'; userID: string; reason: string; at: string } };
  buyer: Profile;
  seller: Profile;
  topic: { topic_id: string; title: string; category: string; price: number };
  payments: { pay_id: string; provider: string; channel: string; amount: number; status: string; createdAt: string; paidAt: string }[];
  refunds: { pay_id: string; refund_id: string; amount: number; status: string; attempts: number; error: string; refundedAt: string }[];
  calls: { callSid: string; status: string; from: string; to: string; duration: number; createdAt: string; endedAt: string }[];
}
interface Message {
  msgid: string;
  o_id: string;
  seq: number;
  from: string;
  to: string;
  type: 'text' | 'system';
  content: string;
  text: string;
  is_read: boolean;
  createdAt: string;
}

/** A refund still on its way: the page keeps looking until it is refunded or failed. */
function refundInFlight(d: Detail): boolean {
  if (d.refunds.some((r) => r.status === 'refunding')) return true;
  // Canceled with money still held: the refund is owed and starts shortly.
  return d.order.status === 'canceled' && d.payments.some((p) => p.status === 'paid');
}

export const orderView: View = (root, ctx, _params, o_id) => {
  const id = o_id!;
  const error = errorBox();
  const detailBox = h('section', { class: 'detail', 'data-test': 'detail' }, h('p', { class: 'muted' }, '加载中…'));
  const chat = chatPanel(ctx, id);
  replace(root, h('p', {}, h('a', { href: '#/orders' }, '← 返回订单列表')), h('h2', {}, '订单 ', h('span', { class: 'mono' }, id)), error, h('div', { class: 'order-page' }, detailBox, chat.el));

  let detail: Detail | undefined;
  let closed = false;
  let watchTimer: ReturnType<typeof setTimeout> | undefined;
  let watchUntil = 0;

  const load = async () => {
    try {
      detail = await admin<Detail>('GET', `/orders/${id}`);
      if (closed) return;
      chat.setParties(detail.order.userID, detail.order.expert_id);
      renderDetail();
      watchRefund();
    } catch (err) {
      error.show((err as Error).message);
    }
  };

  const watchRefund = () => {
    clearTimeout(watchTimer);
    if (!detail || !refundInFlight(detail) || Date.now() > watchUntil) return;
    watchTimer = setTimeout(load, REFUND_POLL_MS);
  };

  const renderDetail = () => {
    const d = detail!;
    const o = d.order;
    const actionError = errorBox();
    const party = (role: 'buyer' | 'seller', p: Profile) =>
      h(
        'div',
        { class: 'party', 'data-test': role },
        p.avatar ? h('img', { src: p.avatar, alt: '', class: 'avatar', referrerPolicy: 'no-referrer' }) : h('span', { class: 'avatar blank' }, (p.nick || '?').slice(0, 1)),
        h('div', {}, h('strong', {}, ROLE_LABELS[role], '：', p.nick || '（未设置昵称）'), p.title ? h('div', { class: 'muted' }, p.title) : null, h('div', { class: 'mono small' }, p.userID)),
      );

    const reason = h('input', { placeholder: '取消原因（选填，用户可见）', maxLength: 500, 'data-test': 'cancel-reason' });
    const confirmRow = h('div', { class: 'confirm', hidden: true });
    const cancelButton = h('button', { type: 'button', class: 'danger', 'data-test': 'cancel', onclick: () => (confirmRow.hidden = false) }, o.status === 'paid' || o.status === 'toBeFinished' ? '取消订单并退款' : '取消订单');
    replace(
      confirmRow,
      h('span', {}, '确定取消此订单？已支付的款项将原路退回。'),
      h(
        'button',
        {
          type: 'button',
          class: 'danger',
          'data-test': 'cancel-confirm',
          onclick: async (e: Event) => {
            (e.target as HTMLButtonElement).disabled = true;
            actionError.clear();
            try {
              await admin('POST', `/orders/${id}/cancel`, { reason: reason.value.trim() });
              watchUntil = Date.now() + REFUND_WATCH_MS;
              await load();
            } catch (err) {
              actionError.show((err as Error).message);
              (e.target as HTMLButtonElement).disabled = false;
            }
          },
        },
        '确定取消',
      ),
      h('button', { type: 'button', onclick: () => (confirmRow.hidden = true) }, '再想想'),
    );

    const resolveButton = h(
      'button',
      {
        type: 'button',
        'data-test': 'resolve-appeal',
        onclick: async () => {
          resolveButton.disabled = true;
          actionError.clear();
          try {
            await rest('POST', `/order/${id}/appeal/resolve`);
            await load();
          } catch (err) {
            actionError.show((err as Error).message);
            resolveButton.disabled = false;
          }
        },
      },
      '申诉已处理',
    );

    const times = TIME_FIELDS.filter(([f]) => o[f]).map(([f, l]) => ({ f, l, at: o[f] as string }));
    times.sort((a, b) => (a.f === 'updatedAt' ? 1 : b.f === 'updatedAt' ? -1 : a.at.localeCompare(b.at)));

    replace(
      detailBox,
      h(
        'div',
        { class: 'card' },
        h('div', { class: 'row' }, h('span', { class: `status big s-${o.status}`, 'data-test': 'order-status' }, label(STATUS_LABELS, o.status)), h('span', { class: 'price' }, yuan(o.price)), o.called ? h('span', { class: 'badge' }, '已通话') : null),
        h('p', {}, h('strong', {}, '话题：'), d.topic.title || d.topic.topic_id, d.topic.category ? ` · ${d.topic.category}` : ''),
        h('div', { class: 'parties' }, party('buyer', d.buyer), party('seller', d.seller)),
        h('p', {}, h('strong', {}, '问题：'), o.question),
        h('p', {}, h('strong', {}, '自我介绍：'), o.self_desc),
        o.reason ? h('p', {}, h('strong', {}, '取消/拒绝原因：'), o.reason) : null,
        o.comment ? h('p', {}, h('strong', {}, `评价（${o.rating} 星）：`), o.comment) : null,
      ),
      h('div', { class: 'card' }, h('h3', {}, '时间线'), h('ol', { class: 'timeline', 'data-test': 'timeline' }, times.map((t) => h('li', {}, h('span', { class: 'when' }, time(t.at)), ' ', t.l)))),
      h(
        'div',
        { class: `card${o.appeal ? ' warn' : ''}`, 'data-test': 'appeal' },
        h('h3', {}, '申诉'),
        o.appeal
          ? [h('p', {}, `${ROLE_LABELS[o.appeal.by]}于 ${time(o.appeal.at)} 申诉：`, h('q', {}, o.appeal.reason)), resolveButton]
          : h('p', { class: 'muted' }, '没有进行中的申诉'),
      ),
      h(
        'div',
        { class: 'card' },
        h('h3', {}, '支付'),
        d.payments.length
          ? table(['支付单号', '渠道', '金额', '状态', '支付时间'], d.payments.map((p) => [p.pay_id, `${p.provider} / ${p.channel}`, yuan(p.amount), label(PAYMENT_LABELS, p.status), time(p.paidAt)]), 'payments')
          : h('p', { class: 'muted' }, '没有支付记录'),
        h('h3', {}, '退款'),
        d.refunds.length
          ? table(['支付单号', '退款单号', '金额', '状态', '次数', '说明', '退款时间'], d.refunds.map((r) => [r.pay_id, r.refund_id, yuan(r.amount), label(PAYMENT_LABELS, r.status), r.attempts, r.error, time(r.refundedAt)]), 'refunds')
          : h('p', { class: 'muted', 'data-test': 'refunds' }, refundInFlight(d) ? '待退款' : '没有退款'),
      ),
      h(
        'div',
        { class: 'card' },
        h('h3', {}, '通话'),
        d.calls.length
          ? table(['通话号', '状态', '发起方', '时长（秒）', '开始', '结束'], d.calls.map((c) => [c.callSid, label(CALL_LABELS, c.status), c.from === o.userID ? '买家' : '专家', c.duration, time(c.createdAt), time(c.endedAt)]), 'calls')
          : h('p', { class: 'muted' }, '没有通话'),
      ),
      h(
        'div',
        { class: 'card actions' },
        h('h3', {}, '操作'),
        ['finished', 'rejected', 'canceled'].includes(o.status) ? h('p', { class: 'muted' }, '订单已结束') : [reason, cancelButton, confirmRow],
        actionError,
      ),
    );
  };

  const onOrder = (p: { o_id: string }) => {
    if (p.o_id === id) void load();
  };
  const onCall = (p: { o_id: string }) => {
    if (p.o_id === id) void load();
  };
  ctx.socket.on('order', onOrder);
  ctx.socket.on('call', onCall);
  ctx.onReconnect(() => {
    void load();
    void chat.rejoin();
  });
  void load();
  void chat.start();
  return () => {
    closed = true;
    clearTimeout(watchTimer);
    ctx.socket.off('order', onOrder);
    ctx.socket.off('call', onCall);
    chat.stop();
  };
};

function table(head: string[], rows: (string | number)[][], test: string) {
  return h('table', { 'data-test': test }, h('thead', {}, h('tr', {}, head.map((c) => h('th', {}, c)))), h('tbody', {}, rows.map((r) => h('tr', {}, r.map((c) => h('td', {}, String(c)))))));
}

/** The order's chat as staff see it: admin texts of system messages, both parties' read marks. */
function chatPanel(ctx: Parameters<View>[1], o_id: string) {
  const error = errorBox();
  const list = h('ol', { class: 'messages', 'data-test': 'messages' });
  const scroller = h('div', { class: 'scroller' }, h('p', { class: 'muted older', 'data-test': 'older' }, ''), list);
  const typing = h('div', { class: 'typing muted', 'data-test': 'typing' });
  const marks = h('div', { class: 'marks muted', 'data-test': 'read-marks' });
  const input = h('textarea', { rows: 3, maxLength: 2000, placeholder: '以客服身份回复（双方都能看到）', 'data-test': 'reply' });
  const send = h('button', { type: 'submit', 'data-test': 'send' }, '发送');
  const el = h(
    'section',
    { class: 'chat card' },
    h('h3', {}, '聊天记录'),
    scroller,
    typing,
    marks,
    h('form', { class: 'reply', onsubmit: (e: Event) => (e.preventDefault(), void reply()) }, input, send),
    error,
  );

  const messages = new Map<string, { m: Message; li: HTMLLIElement }>();
  let firstSeq = Infinity;
  let lastSeq = 0;
  let hasOlder = true;
  let loadingOlder = false;
  let buyer = '';
  let seller = '';
  /** the highest seq each party has read */
  const readUpTo: Record<string, number> = {};
  let typingTimer: ReturnType<typeof setTimeout> | undefined;
  let lastTypingSent = 0;

  const who = (m: Message) => (m.type === 'system' ? '系统' : m.from === buyer ? '买家' : m.from === seller ? '专家' : '客服');
  /** A party's text is for the other party; anything else (system, staff) for both. */
  const receivers = (m: Message) => (m.from === buyer ? [seller] : m.from === seller ? [buyer] : [buyer, seller]);
  const markRead = (userID: string, seq: number) => {
    if (userID) readUpTo[userID] = Math.max(readUpTo[userID] ?? 0, seq);
  };
  /** Writing reads what came before (protocol v2); a message read by its receivers marks their cursors. */
  const learnReads = (m: Message) => {
    if (m.type === 'text' && (m.from === buyer || m.from === seller)) markRead(m.from, m.seq);
    if (m.is_read) for (const u of receivers(m)) markRead(u, m.seq);
  };
  const isRead = (m: Message) => m.is_read || receivers(m).every((u) => u && (readUpTo[u] ?? 0) >= m.seq);
  const render = (m: Message) =>
    h(
      'li',
      { class: `msg ${m.type === 'system' ? 'system' : m.from === buyer ? 'buyer' : m.from === seller ? 'seller' : 'staff'}`, 'data-seq': m.seq, 'data-msgid': m.msgid },
      h('div', { class: 'meta' }, h('span', {}, `#${m.seq} ${who(m)}`), ' ', h('span', { class: 'when' }, time(m.createdAt)), ' ', h('span', { class: 'read', 'data-test': 'read' }, isRead(m) ? '已读' : '未读')),
      h('div', { class: 'text' }, m.text),
    );
  const refreshMarks = () => {
    for (const { m, li } of messages.values()) li.querySelector('.read')!.textContent = isRead(m) ? '已读' : '未读';
    marks.textContent = `买家已读至 #${readUpTo[buyer] ?? 0} · 专家已读至 #${readUpTo[seller] ?? 0}`;
  };

  /** Adds messages in seq order wherever they belong; a message already shown is skipped. */
  const add = (batch: Message[]) => {
    const atBottom = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 40;
    const heightBefore = scroller.scrollHeight;
    let prepended = false;
    for (const m of batch) {
      if (m.o_id !== o_id || messages.has(m.msgid)) continue;
      const li = render(m);
      messages.set(m.msgid, { m, li });
      learnReads(m);
      const after = [...list.children].find((c) => Number((c as HTMLElement).dataset.seq) > m.seq);
      list.insertBefore(li, after ?? null);
      if (after) prepended = true;
      firstSeq = Math.min(firstSeq, m.seq);
      lastSeq = Math.max(lastSeq, m.seq);
    }
    refreshMarks();
    if (prepended && !atBottom) scroller.scrollTop += scroller.scrollHeight - heightBefore;
    else if (atBottom || !prepended) scroller.scrollTop = scroller.scrollHeight;
  };

  const ask = async (event: string, payload: object) => {
    const r = await ctx.socket.timeout(10_000).emitWithAck(event, payload);
    if (r.code !== 900) throw new Error(r.msg ?? `code ${r.code}`);
    return r;
  };

  const older = async () => {
    if (!hasOlder || loadingOlder) return;
    loadingOlder = true;
    const note = scroller.querySelector('.older')!;
    note.textContent = '加载更早的消息…';
    try {
      const before = Number.isFinite(firstSeq) ? firstSeq : undefined;
      const { list: page } = await ask('history', { o_id, before, limit: PAGE });
      hasOlder = page.length === PAGE;
      add(page);
      note.textContent = hasOlder ? '向上滚动加载更早的消息' : '没有更早的消息了';
    } catch (err) {
      error.show((err as Error).message);
    } finally {
      loadingOlder = false;
    }
  };

  /** After a reconnect: everything after the last message shown. */
  const catchUp = async () => {
    for (;;) {
      const { list: page } = await ask('history', { o_id, after: lastSeq, limit: 100 });
      add(page);
      if (page.length < 100) return;
    }
  };

  const join = () => ask('join', { o_id });

  const reply = async () => {
    const content = input.value;
    if (!content.trim()) return;
    send.disabled = true;
    error.clear();
    try {
      const { message } = await ask('message', { o_id, content, client_id: crypto.randomUUID() });
      add([message]);
      input.value = '';
    } catch (err) {
      error.show((err as Error).message);
    } finally {
      send.disabled = false;
    }
  };

  const onMessage = (m: Message) => add([m]);
  const onTyping = (p: { o_id: string; userID: string }) => {
    if (p.o_id !== o_id) return;
    typing.textContent = `${p.userID === buyer ? '买家' : p.userID === seller ? '专家' : '客服'}正在输入…`;
    clearTimeout(typingTimer);
    typingTimer = setTimeout(() => (typing.textContent = ''), TYPING_SHOWN_MS);
  };
  const onRead = (p: { o_id: string; userID: string; msgid: string }) => {
    if (p.o_id !== o_id) return;
    markRead(p.userID, messages.get(p.msgid)?.m.seq ?? lastSeq);
    refreshMarks();
  };
  const onInput = () => {
    if (Date.now() - lastTypingSent < TYPING_SENT_EVERY_MS) return;
    lastTypingSent = Date.now();
    ctx.socket.emit('typing', { o_id });
  };
  input.addEventListener('input', onInput);
  scroller.addEventListener('scroll', () => {
    if (scroller.scrollTop < 40) void older();
  });

  return {
    el,
    setParties(b: string, s: string) {
      if (buyer === b && seller === s) return;
      buyer = b;
      seller = s;
      // Messages shown before the parties were known: learn their reads and render them again.
      for (const { m } of messages.values()) learnReads(m);
      for (const { m, li } of messages.values()) {
        const fresh = render(m);
        li.replaceWith(fresh);
        messages.set(m.msgid, { m, li: fresh });
      }
      refreshMarks();
    },
    async start() {
      ctx.socket.on('message', onMessage);
      ctx.socket.on('typing', onTyping);
      ctx.socket.on('read', onRead);
      try {
        await join();
        await older();
      } catch (err) {
        error.show((err as Error).message);
      }
    },
    async rejoin() {
      try {
        await join();
        await catchUp();
      } catch (err) {
        error.show((err as Error).message);
      }
    },
    stop() {
      clearTimeout(typingTimer);
      ctx.socket.off('message', onMessage);
      ctx.socket.off('typing', onTyping);
      ctx.socket.off('read', onRead);
      if (ctx.socket.connected) ctx.socket.emit('leave', { o_id });
    },
  };
}
