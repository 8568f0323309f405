// The system-message definitions: listed with the built-in text each key falls back to,
// edited per role, created, deleted.
import { admin } from '../api';
import { errorBox, h, replace, time } from '../dom';
import { ROLE_LABELS } from '../labels';
import type { View } from '../main';

const ROLES = ['buyer', 'seller', 'admin'] as const;
type Role = (typeof ROLES)[number];
type Texts = Record<Role, string>;
interface Definition extends Texts {
  id: string;
  key: string;
  ctime: number;
  utime: number;
  dtime: number;
}

async function allDefinitions(): Promise<Definition[]> {
  const out: Definition[] = [];
  for (let page = 1; ; page++) {
    const data = await admin<{ list: Definition[] }>('GET', `/systemmessages?page=${page}&per_page=100`);
    out.push(...data.list);
    if (data.list.length < 100) return out;
  }
}

export const systemMessagesView: View = (root) => {
  const error = errorBox();
  const tbody = h('tbody', {});
  let closed = false;

  const textareas = (texts: Partial<Texts>, test: string) =>
    Object.fromEntries(ROLES.map((r) => [r, h('textarea', { rows: 2, maxLength: 500, value: texts[r] ?? '', 'data-test': `${test}-${r}` })])) as Record<Role, HTMLTextAreaElement>;

  const createKey = h('input', { placeholder: 'key，如 remind_pay', 'data-test': 'new-key' });
  const createTexts = textareas({}, 'new');
  const createError = errorBox();
  const createForm = h(
    'form',
    {
      class: 'card create',
      onsubmit: async (e: Event) => {
        e.preventDefault();
        createError.clear();
        try {
          await admin('POST', '/systemmessages', { key: createKey.value.trim(), ...Object.fromEntries(ROLES.map((r) => [r, createTexts[r].value])) });
          createKey.value = '';
          for (const r of ROLES) createTexts[r].value = '';
          await load();
        } catch (err) {
          createError.show((err as Error).message);
        }
      },
    },
    h('h3', {}, '新建系统消息'),
    h('label', {}, 'key ', createKey),
    ROLES.map((r) => h('label', {}, `${ROLE_LABELS[r]}看到的文本`, createTexts[r])),
    createError,
    h('button', { type: 'submit', 'data-test': 'create' }, '新建'),
  );

  replace(
    root,
    h('h2', {}, '系统消息'),
    h('p', { class: 'muted' }, '订单每次变化都会在聊天中发出一条系统消息，买家、专家和客服各自看到自己的文本。删除后使用内置文本。'),
    error,
    h('table', { class: 'defs', 'data-test': 'definitions' }, h('thead', {}, h('tr', {}, ['key', '买家', '专家', '客服', '更新时间', ''].map((c) => h('th', {}, c)))), tbody),
    createForm,
  );

  const row = (key: string, def: Definition | undefined, builtin: Texts | undefined) => {
    const tr = h('tr', { 'data-key': key });
    const rowError = errorBox();
    const cells = (content: (r: Role) => Node | string) => ROLES.map((r) => h('td', { 'data-role': r }, content(r)));
    const builtinLine = (r: Role) => (builtin ? h('div', { class: 'builtin muted small' }, '内置：', builtin[r]) : null);

    const show = () =>
      replace(
        tr,
        h('td', { class: 'mono' }, key),
        cells((r) => (def ? h('div', {}, h('div', { 'data-test': 'text' }, def[r]), builtin && builtin[r] !== def[r] ? builtinLine(r) : null) : h('div', {}, h('div', { class: 'muted' }, '（已删除，使用内置文本）'), builtinLine(r)))),
        h('td', {}, def ? time(def.utime) : ''),
        h(
          'td',
          { class: 'row-actions' },
          def ? h('button', { type: 'button', 'data-test': 'edit', onclick: edit }, '编辑') : null,
          def ? h('button', { type: 'button', class: 'danger', 'data-test': 'delete', onclick: askDelete }, '删除') : null,
          !def && builtin ? h('button', { type: 'button', 'data-test': 'restore', onclick: restore }, '按内置文本新建') : null,
          rowError,
        ),
      );

    const edit = () => {
      const inputs = textareas(def!, 'edit');
      replace(
        tr,
        h('td', { class: 'mono' }, key),
        cells((r) => h('div', {}, inputs[r], builtinLine(r))),
        h('td', {}, ''),
        h(
          'td',
          { class: 'row-actions' },
          h(
            'button',
            {
              type: 'button',
              'data-test': 'save',
              onclick: async () => {
                rowError.clear();
                const changed = Object.fromEntries(ROLES.filter((r) => inputs[r].value !== def![r]).map((r) => [r, inputs[r].value]));
                if (Object.keys(changed).length === 0) return show();
                try {
                  def = await admin<Definition>('PUT', `/systemmessages/${def!.id}`, changed);
                  show();
                } catch (err) {
                  rowError.show((err as Error).message);
                }
              },
            },
            '保存',
          ),
          h('button', { type: 'button', onclick: show }, '取消'),
          rowError,
        ),
      );
    };

    const askDelete = () => {
      const cell = tr.querySelector('.row-actions')!;
      replace(
        cell,
        h('span', {}, '确定删除？'),
        h(
          'button',
          {
            type: 'button',
            class: 'danger',
            'data-test': 'delete-confirm',
            onclick: async () => {
              rowError.clear();
              try {
                await admin('DELETE', `/systemmessages/${def!.id}`);
                def = undefined;
                show();
              } catch (err) {
                rowError.show((err as Error).message);
              }
            },
          },
          '删除',
        ),
        h('button', { type: 'button', onclick: show }, '取消'),
        rowError,
      );
    };

    const restore = async () => {
      rowError.clear();
      try {
        def = await admin<Definition>('POST', '/systemmessages', { key, ...builtin });
        show();
      } catch (err) {
        rowError.show((err as Error).message);
      }
    };

    show();
    return tr;
  };

  const load = async () => {
    error.clear();
    try {
      const [defs, builtins] = await Promise.all([allDefinitions(), admin<{ list: (Texts & { key: string })[] }>('GET', '/systemmessages/builtin')]);
      if (closed) return;
      const builtinByKey = new Map(builtins.list.map((b) => [b.key, b]));
      const defByKey = new Map(defs.map((d) => [d.key, d]));
      const keys = [...builtinByKey.keys(), ...defs.map((d) => d.key).filter((k) => !builtinByKey.has(k)).sort()];
      replace(tbody, keys.map((k) => row(k, defByKey.get(k), builtinByKey.get(k))));
    } catch (err) {
      error.show((err as Error).message);
    }
  };
  void load();
  return () => {
    closed = true;
  };
};
