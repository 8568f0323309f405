// The customer-service console: sign in with a staff token, then the orders, one order
// (detail, chat, actions) and the system messages, by the URL's hash.
import type { Socket } from 'socket.io-client';
import { checkStaffToken, useToken } from './api';
import { h, replace } from './dom';
import { forgetToken, openSocket, savedToken, saveToken, tokenProblem } from './session';
import { orderView } from './views/order';
import { ordersView } from './views/orders';
import { signInView } from './views/signin';
import { systemMessagesView } from './views/system-messages';

export interface ViewContext {
  socket: Socket;
  /** re-joins and catches up after a reconnect */
  onReconnect(fn: () => void): void;
  go(hash: string): void;
}
/** A view renders into `root` and returns what undoes its listeners and timers. */
export type View = (root: HTMLElement, ctx: ViewContext, params: URLSearchParams, id?: string) => () => void;

const app = document.getElementById('app')!;
let socket: Socket | undefined;
let cleanup: (() => void) | undefined;
let reconnectHandlers: (() => void)[] = [];
let wasConnected = false;

function signOut(message = '') {
  forgetToken();
  cleanup?.();
  cleanup = undefined;
  socket?.close();
  socket = undefined;
  window.removeEventListener('hashchange', route);
  replace(app, signInView(signIn, message));
}

async function signIn(token: string): Promise<void> {
  const problem = tokenProblem(token);
  if (problem) throw new Error(problem);
  await checkStaffToken(token);
  saveToken(token);
  start(token);
}

function start(token: string) {
  useToken(token, signOut);
  const status = h('span', { class: 'conn', 'data-test': 'connection' }, '连接中…');
  const main = h('main', { id: 'view' });
  replace(
    app,
    h(
      'header',
      {},
      h('h1', {}, '客服工作台'),
      h('nav', {}, h('a', { href: '#/orders' }, '订单'), h('a', { href: '#/system' }, '系统消息')),
      status,
      h('button', { type: 'button', class: 'link', 'data-test': 'sign-out', onclick: () => signOut('已退出登录') }, '退出登录'),
    ),
    main,
  );
  wasConnected = false;
  socket = openSocket(token, {
    expired: (message) => signOut(message),
    connected: () => {
      status.textContent = '已连接';
      status.className = 'conn ok';
      if (wasConnected) for (const fn of reconnectHandlers) fn();
      wasConnected = true;
    },
    disconnected: () => {
      status.textContent = '连接断开，正在重连…';
      status.className = 'conn';
    },
  });
  window.addEventListener('hashchange', route);
  route();
}

function route() {
  const main = document.getElementById('view');
  if (!main || !socket) return;
  cleanup?.();
  reconnectHandlers = [];
  const [path, query = ''] = location.hash.replace(/^#/, '').split('?');
  const params = new URLSearchParams(query);
  const ctx: ViewContext = {
    socket,
    onReconnect: (fn) => reconnectHandlers.push(fn),
    go: (hash) => {
      location.hash = hash;
    },
  };
  const orderMatch = /^\/orders\/([0-9a-fA-F]{24})$/.exec(path);
  main.replaceChildren();
  if (orderMatch) cleanup = orderView(main, ctx, params, orderMatch[1]);
  else if (path === '/system') cleanup = systemMessagesView(main, ctx, params);
  else cleanup = ordersView(main, ctx, params);
}

const saved = savedToken();
if (saved && !tokenProblem(saved)) start(saved);
else signOut(saved ? tokenProblem(saved) : '');
