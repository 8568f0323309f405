// A small element builder: text always goes in as text nodes, never as HTML, so what users
// wrote (messages, nicks, reasons) cannot become markup.
type Child = Node | string | number | null | undefined | false;
type Props = Record<string, unknown>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: (Child | Child[])[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') el.className = String(value);
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value as EventListener);
    else if (key.startsWith('data-') || key.startsWith('aria-') || key === 'for' || key === 'role') el.setAttribute(key, String(value));
    else (el as unknown as Record<string, unknown>)[key] = value;
  }
  append(el, children);
  return el;
}

export function append(el: Node, children: (Child | Child[])[]) {
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
}

export function replace(el: Element, ...children: (Child | Child[])[]) {
  el.replaceChildren();
  append(el, children);
}

/** `2024-07-25T03:12:05.601Z` → local `2024-07-25 11:12:05`; '' stays ''. */
export function time(iso: string | number): string {
  if (iso === '' || iso === 0) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** fen → `¥199.00` */
export const yuan = (fen: number) => `¥${(fen / 100).toFixed(2)}`;

/** An element that shows a refusal's message (the server's words) or nothing. */
export function errorBox(): HTMLDivElement & { show(msg: string): void; clear(): void } {
  const box = h('div', { class: 'error', role: 'alert', 'data-test': 'error' }) as HTMLDivElement & { show(msg: string): void; clear(): void };
  box.hidden = true;
  box.show = (msg) => {
    box.textContent = msg;
    box.hidden = false;
  };
  box.clear = () => {
    box.textContent = '';
    box.hidden = true;
  };
  return box;
}
