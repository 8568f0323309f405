// The customer-service console in a real browser: Debian's chromium driven by
// playwright-core (no browser download). Staff sign in, find an appealed order by filter,
// watch a buyer's message arrive, reply, edit a system text, cancel with refund and see the
// refund complete and the edited text in the chat. Each screen is saved under test-results/.
import test from 'ava';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { Socket } from 'socket.io-client';
import { signToken } from '../../src/auth/token';
import { rooms } from '../../src/realtime/push';
import { api, makeUser, startApp, TEST_SECRET, type TestApp } from '../helpers/app';
import { advance, buildOrder } from '../helpers/factories';
import { closeAll, collect, connect, emitAck } from '../helpers/socket';

const CHROMIUM = '/usr/bin/chromium';
const SHOTS = path.resolve('test-results/console');
const WAIT_MS = 15_000;
/** A one-pixel avatar, so the page loads nothing from outside. */
const AVATAR = 'data:image/svg+xml;base64,' + Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"><circle cx="20" cy="20" r="20" fill="#60a5fa"/></svg>').toString('base64');
/** Page-side expressions as strings: this file is type-checked without the DOM's types. */
const SAVED_TOKEN = "sessionStorage.getItem('staffToken')";
const EDITED = '客服已取消订单并全额退款（测试文本）';

let t0: TestApp;
let browser: BrowserContext;
let page: Page;
let profileDir: string;
const sockets: Socket[] = [];
const staff = makeUser({ staff: true });

test.before(async () => {
  const consoleDir = fs.mkdtempSync(path.join(os.tmpdir(), 'console-build-'));
  execFileSync(process.execPath, ['scripts/build.mjs', '--console-only', '--out', consoleDir]);
  t0 = await startApp({}, { consoleDir });
  profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chromium-profile-'));
  browser = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    viewport: { width: 1400, height: 900 },
    locale: 'zh-CN',
  });
  page = browser.pages()[0] ?? (await browser.newPage());
  page.setDefaultTimeout(WAIT_MS);
  fs.mkdirSync(SHOTS, { recursive: true });
});

test.after.always(async () => {
  closeAll(sockets);
  await browser?.close();
  await t0?.close();
  if (profileDir) fs.rmSync(profileDir, { recursive: true, force: true });
});

const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
const $ = (test: string) => page.locator(`[data-test=${test}]`);

test.serial('staff work an appealed order from sign-in to refund', async (t) => {
  const c = api(t0.url);
  // Two orders that the filter must hide, and the appealed, paid one.
  await buildOrder(c);
  await buildOrder(c);
  const o = await buildOrder(c);
  await c.put('/rest/user/profile', { nick: '小李', avatar: AVATAR }, o.buyer.token);
  await c.put('/rest/user/profile', { nick: '王老师', title: '留学顾问', avatar: AVATAR }, o.expert.token);
  await advance(c, o, 'paid');
  await c.post(`/rest/order/${o.o_id}/appeal`, { reason: '专家一直不回复' }, o.buyer.token);
  const buyer = await connect(t0.url, o.buyer.token);
  const seller = await connect(t0.url, o.expert.token);
  sockets.push(buyer, seller);

  // Sign in: a user's token and an expired staff token are refused in words.
  await page.goto(`${t0.url}/console`);
  await shot('1-sign-in');
  await $('token').fill(o.buyer.token);
  await $('sign-in').click();
  await $('error').getByText('不是客服令牌').waitFor();
  await $('token').fill(signToken(TEST_SECRET, staff.userID, { staff: true, expiresIn: -10 }));
  await $('sign-in').click();
  await $('error').getByText('令牌已过期').waitFor();
  await $('token').fill(signToken('another-secret-0123456789', staff.userID, { staff: true }));
  await $('sign-in').click();
  await $('error').getByText('令牌无效或已过期').waitFor();
  await $('token').fill(staff.token);
  await $('sign-in').click();
  await $('connection').getByText('已连接').waitFor();
  t.is(await page.evaluate(SAVED_TOKEN), staff.token);

  // Orders: the filter finds the appealed order alone.
  await $('orders').locator('tbody tr').nth(2).waitFor();
  t.is(await $('orders').locator('tbody tr').count(), 3);
  await $('filter-appealed').selectOption('true');
  await $('search').click();
  await page.waitForFunction("document.querySelectorAll('[data-test=orders] tbody tr').length === 1 && location.hash.includes('appealed=true')");
  const row = $('orders').locator(`tr[data-o_id="${o.o_id}"]`);
  t.is(await row.locator('[data-test=appealed]').innerText(), '申诉中');
  t.is(await row.locator('[data-test=status]').innerText(), '已支付');
  await shot('2-orders');

  // One order: parties, appeal, payment, timeline, and the chat with the admin texts.
  await row.click();
  await $('buyer').getByText('小李').waitFor();
  t.regex(await $('seller').innerText(), /王老师[\s\S]*留学顾问/);
  t.regex(await $('appeal').innerText(), /买家于 .* 申诉：[\s\S]*专家一直不回复/);
  t.is(await $('order-status').innerText(), '已支付');
  t.regex(await $('payments').innerText(), /¥10\.00[\s\S]*已支付/);
  t.regex(await $('timeline').innerText(), /下单[\s\S]*专家确认[\s\S]*支付/);
  await $('messages').getByText('用户已提交咨询，等待专家确认。').waitFor();

  // A buyer's message arrives live; typing and the seller's read mark show.
  await emitAck(buyer, 'join', { o_id: o.o_id });
  buyer.emit('typing', { o_id: o.o_id });
  await $('typing').getByText('买家正在输入').waitFor();
  const sent = await emitAck(buyer, 'message', { o_id: o.o_id, content: '专家在吗？我已经付款了' });
  t.is(sent.code, 900);
  await $('messages').locator(`li[data-msgid="${sent.message.msgid}"]`).getByText('专家在吗？我已经付款了').waitFor();
  await emitAck(seller, 'read', { o_id: o.o_id, msgid: sent.message.msgid });
  await $('read-marks').getByText(`专家已读至 #${sent.message.seq}`).waitFor();
  t.is(await $('messages').locator(`li[data-msgid="${sent.message.msgid}"] [data-test=read]`).innerText(), '已读');

  // Staff reply; the buyer's socket gets it.
  const toBuyer = collect(buyer, 'message');
  await $('reply').fill('您好，客服已介入，正在联系专家');
  await $('send').click();
  const reply = await toBuyer.waitFor((m) => m.content === '您好，客服已介入，正在联系专家');
  t.is(reply.from, staff.userID);
  await $('messages').getByText('您好，客服已介入，正在联系专家').waitFor();
  t.is(await $('reply').inputValue(), '');
  await shot('3-order-chat');

  // System messages: a refusal shows the server's message; the admin text of admin_canceled is edited.
  await page.goto(`${t0.url}/console/#/system`);
  const canceledRow = $('definitions').locator('tr[data-key="admin_canceled"]');
  await canceledRow.waitFor();
  await $('new-key').fill('admin_canceled');
  for (const r of ['buyer', 'seller', 'admin']) await $(`new-${r}`).fill('重复');
  await $('create').click();
  await page.locator('.create [data-test=error]').getByText('key: a system message for admin_canceled already exists').waitFor();
  await canceledRow.locator('[data-test=edit]').click();
  await canceledRow.locator('[data-test=edit-admin]').fill(EDITED);
  await canceledRow.locator('[data-test=save]').click();
  await canceledRow.locator('td[data-role=admin] [data-test=text]').getByText(EDITED).waitFor();
  t.regex(await canceledRow.locator('td[data-role=admin]').innerText(), /内置：/);
  // A deleted definition shows the built-in text it falls back to.
  const resolvedRow = $('definitions').locator('tr[data-key="seller_appeal_resolved"]');
  await resolvedRow.locator('[data-test=delete]').click();
  await resolvedRow.locator('[data-test=delete-confirm]').click();
  await resolvedRow.getByText('（已删除，使用内置文本）').first().waitFor();
  t.regex(await resolvedRow.locator('td[data-role=buyer]').innerText(), /内置：专家的申诉已解决/);
  await resolvedRow.locator('[data-test=restore]').waitFor();
  await shot('4-system-messages');

  // Cancel with refund: the order is canceled at once, the refund shows as it completes,
  // and the chat's next system message uses the edited text.
  await page.goto(`${t0.url}/console/#/orders/${o.o_id}`);
  await $('order-status').getByText('已支付').waitFor();
  const toBuyerOrder = collect(buyer, 'message');
  // The refund runs after the cancel answers: the page is shown it still refunding (as a provider
  // that takes its time leaves it) until it has shown that; then it must look again by itself.
  let stillRefunding = true;
  await page.route(`**/v1/admin/orders/${o.o_id}`, async (route) => {
    const res = await route.fetch();
    const body = await res.json();
    if (stillRefunding && body.data.refunds.length) {
      body.data.refunds[0].status = 'refunding';
      body.data.payments[0].status = 'refunding';
    }
    await route.fulfill({ response: res, json: body });
  });
  await $('cancel-reason').fill('专家无法服务，客服取消');
  await $('cancel').click();
  await $('cancel-confirm').click();
  await $('order-status').getByText('已取消').waitFor();
  await $('refunds').getByText('退款中').waitFor();
  stillRefunding = false;
  await $('refunds').getByText('已退款').waitFor();
  await page.unroute(`**/v1/admin/orders/${o.o_id}`);
  await $('messages').getByText(EDITED).waitFor();
  // The chat loaded afresh still knows how far the seller has read.
  t.regex(await $('read-marks').innerText(), new RegExp(`专家已读至 #${sent.message.seq}`));
  const system = await toBuyerOrder.waitFor((m) => m.content === 'admin_canceled');
  t.not(system.text, EDITED, 'the buyer reads the buyer text');
  const stored = await t0.app.store.payments.listByOrder(o.o_id);
  t.is(stored[0].status, 'refunded');
  await shot('5-order-refunded');

  // A refusal: the order is over, so cancelling through the API again is refused in the server's words.
  const again = await c.post(`/v1/admin/orders/${o.o_id}/cancel`, {}, staff.token);
  t.is(again.status, 409);

  // The socket reports the token expired: the page signs out and says why.
  t0.app.push.send([{ to: [rooms.user(staff.userID)], event: 'auth_expired', payload: { reason: 'token_expired' } }]);
  await $('error').getByText('令牌已过期，请重新登录').waitFor();
  t.is(await page.evaluate(SAVED_TOKEN), null);
});

test.serial('a saved token the server refuses on the socket signs the page out', async (t) => {
  // Signed with another secret: the page only learns it is bad from the socket's connect_error.
  const forged = signToken('another-secret-0123456789', staff.userID, { staff: true });
  await page.goto(`${t0.url}/console`);
  await page.evaluate(`sessionStorage.setItem('staffToken', ${JSON.stringify(forged)})`);
  await page.reload();
  await $('error').getByText('登录已失效，请重新登录').waitFor();
  t.is(await page.evaluate(SAVED_TOKEN), null);
});
