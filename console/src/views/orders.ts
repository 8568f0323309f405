// The admin order list: filters (status, appealed, a user's id, an order id), newest first,
// paged; rows change as `order` events arrive on the staff room.
import { admin } from '../api';
import { errorBox, h, replace, time, yuan } from '../dom';
import { label, STATUS_LABELS } from '../labels';
import type { View } from '../main';

const PAGE_SIZE = 20;

interface OrderRow {
  o_id: string;
  status: string;
  price: number;
  userID: string;
  expert_id: string;
  appealed: boolean;
  createdAt: string;
  updatedAt: string;
}

export const ordersView: View = (root, ctx, params) => {
  const error = errorBox();
  const page = Math.max(1, Number(params.get('page')) || 1);

  const status = h(
    'select',
    { name: 'status', 'data-test': 'filter-status' },
    h('option', { value: '' }, '全部（不含已取消）'),
    Object.entries(STATUS_LABELS).map(([v, l]) => h('option', { value: v }, l)),
  );
  status.value = params.get('status') ?? '';
  const appealed = h('select', { name: 'appealed', 'data-test': 'filter-appealed' }, h('option', { value: '' }, '全部'), h('option', { value: 'true' }, '申诉中'), h('option', { value: 'false' }, '无申诉'));
  appealed.value = params.get('appealed') ?? '';
  const userID = h('input', { name: 'userID', placeholder: '买家或专家的用户ID', value: params.get('userID') ?? '', 'data-test': 'filter-user' });
  const o_id = h('input', { name: 'o_id', placeholder: '订单号', value: params.get('o_id') ?? '', 'data-test': 'filter-order' });

  const filters = h(
    'form',
    {
      class: 'filters',
      onsubmit: (e: Event) => {
        e.preventDefault();
        const q = new URLSearchParams();
        for (const [k, el] of [['status', status], ['appealed', appealed], ['userID', userID], ['o_id', o_id]] as const) if (el.value.trim()) q.set(k, el.value.trim());
        ctx.go(`#/orders?${q}`);
      },
    },
    h('label', {}, '状态 ', status),
    h('label', {}, '申诉 ', appealed),
    h('label', {}, '用户 ', userID),
    h('label', {}, '订单 ', o_id),
    h('button', { type: 'submit', 'data-test': 'search' }, '查询'),
  );

  const tbody = h('tbody', {});
  const summary = h('span', { class: 'muted', 'data-test': 'summary' });
  const pager = h('div', { class: 'pager' });
  const rows = new Map<string, HTMLTableRowElement>();
  replace(
    root,
    h('h2', {}, '订单'),
    filters,
    error,
    h(
      'table',
      { class: 'orders', 'data-test': 'orders' },
      h('thead', {}, h('tr', {}, ['订单号', '状态', '金额', '买家', '专家', '申诉', '下单时间'].map((c) => h('th', {}, c)))),
      tbody,
    ),
    h('div', { class: 'footer' }, summary, pager),
  );

  const query = () => {
    const q = new URLSearchParams(params);
    q.set('page', String(page));
    q.set('limit', String(PAGE_SIZE));
    return q;
  };

  const row = (o: OrderRow) => {
    const tr = h(
      'tr',
      { 'data-o_id': o.o_id, class: 'clickable', onclick: () => ctx.go(`#/orders/${o.o_id}`) },
      h('td', { class: 'mono' }, h('a', { href: `#/orders/${o.o_id}` }, o.o_id)),
      h('td', { class: `status s-${o.status}`, 'data-test': 'status' }, label(STATUS_LABELS, o.status)),
      h('td', {}, yuan(o.price)),
      h('td', { class: 'mono' }, o.userID),
      h('td', { class: 'mono' }, o.expert_id),
      h('td', { 'data-test': 'appealed' }, o.appealed ? h('span', { class: 'badge warn' }, '申诉中') : ''),
      h('td', {}, time(o.createdAt)),
    );
    rows.set(o.o_id, tr);
    return tr;
  };

  let loading = 0;
  const load = async () => {
    const mine = ++loading;
    error.clear();
    try {
      const data = await admin<{ list: OrderRow[]; meta: { page: number; limit: number; total: number } }>('GET', `/orders?${query()}`);
      if (mine !== loading) return;
      rows.clear();
      replace(tbody, data.list.length ? data.list.map(row) : h('tr', {}, h('td', { colSpan: 7, class: 'muted' }, '没有符合条件的订单')));
      const pages = Math.max(1, Math.ceil(data.meta.total / data.meta.limit));
      summary.textContent = `共 ${data.meta.total} 个订单，第 ${data.meta.page} / ${pages} 页`;
      const to = (p: number) => {
        const q = new URLSearchParams(params);
        q.set('page', String(p));
        return `#/orders?${q}`;
      };
      replace(
        pager,
        page > 1 ? h('a', { href: to(page - 1), 'data-test': 'prev' }, '上一页') : null,
        page < pages ? h('a', { href: to(page + 1), 'data-test': 'next' }, '下一页') : null,
      );
    } catch (err) {
      error.show((err as Error).message);
    }
  };

  // A shown order changes in place; anything else may reorder page 1, which loads again.
  let reloadTimer: ReturnType<typeof setTimeout> | undefined;
  const onOrder = (p: { o_id: string; status: string; appealed?: boolean }) => {
    const tr = rows.get(p.o_id);
    if (tr) {
      const cell = tr.querySelector<HTMLElement>('[data-test=status]')!;
      cell.textContent = label(STATUS_LABELS, p.status);
      cell.className = `status s-${p.status}`;
      if (p.appealed !== undefined) replace(tr.querySelector<HTMLElement>('[data-test=appealed]')!, p.appealed ? h('span', { class: 'badge warn' }, '申诉中') : '');
      tr.classList.remove('flash');
      void tr.offsetWidth;
      tr.classList.add('flash');
    } else if (page === 1) {
      clearTimeout(reloadTimer);
      reloadTimer = setTimeout(load, 300);
    }
  };
  ctx.socket.on('order', onOrder);
  ctx.onReconnect(load);
  void load();
  return () => {
    ctx.socket.off('order', onOrder);
    clearTimeout(reloadTimer);
    loading++;
  };
};
