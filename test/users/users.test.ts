// PUT /rest/user/profile and GET /rest/user/:userID (README.md, "Users").
import test from 'ava';
import { makeUser, useApp } from '../helpers/app';

const t0 = useApp(test);
const c = t0.api;

test('a profile is created, read back with exactly the public fields, and updated', async (t) => {
  const u = makeUser();
  const put = await c.put('/rest/user/profile', { nick: '昵称', name: '姓名', avatar: 'https://x/a.png', title: '职位', phone: '+8613800000000' }, u.token);
  t.deepEqual(put.body, { code: 900 });
  const res = await c.get(`/rest/user/${u.userID}`);
  t.is(res.status, 200);
  t.deepEqual(res.body, { code: 900, info: { userID: u.userID, nick: '昵称', name: '姓名', avatar: 'https://x/a.png', title: '职位' } });

  // An update keeps the fields it does not name.
  t.is((await c.put('/rest/user/profile', { nick: '新昵称' }, u.token)).body.code, 900);
  t.deepEqual((await c.get(`/rest/user/${u.userID}`, makeUser().token)).body.info, {
    userID: u.userID,
    nick: '新昵称',
    name: '姓名',
    avatar: 'https://x/a.png',
    title: '职位',
  });
  t.is((await t0.app.store.users.get(u.userID))?.phone, '+8613800000000');
});

test('only nick is required; the other fields default to empty strings', async (t) => {
  const u = makeUser();
  t.is((await c.put('/rest/user/profile', { nick: 'n' }, u.token)).body.code, 900);
  t.deepEqual((await c.get(`/rest/user/${u.userID}`)).body.info, { userID: u.userID, nick: 'n', name: '', avatar: '', title: '' });
});

test('ids are case-insensitive and answered in lower case', async (t) => {
  const u = makeUser();
  await c.put('/rest/user/profile', { nick: 'n' }, u.token);
  t.is((await c.get(`/rest/user/${u.userID.toUpperCase()}`)).body.info.userID, u.userID);
});

test('an unknown user is 904; a bad id is 901', async (t) => {
  const missing = await c.get(`/rest/user/${makeUser().userID}`);
  t.is(missing.status, 404);
  t.is(missing.body.code, 904);
  for (const id of ['abc', '0123456789abcdef0123456', '0123456789abcdef012345678', 'zzzzzzzzzzzzzzzzzzzzzzzz']) {
    const res = await c.get(`/rest/user/${id}`);
    t.is(res.status, 400, id);
    t.is(res.body.code, 901);
    t.regex(res.body.msg, /^userID/);
  }
});

const BAD_PROFILES: [string, unknown, string][] = [
  ['no nick', { name: 'x' }, 'nick'],
  ['an empty nick', { nick: '  ' }, 'nick'],
  ['an operator object for nick', { nick: { $gt: '' } }, 'nick'],
  ['a number for nick', { nick: 5 }, 'nick'],
  ['a too long nick', { nick: 'n'.repeat(65) }, 'nick'],
  ['a number for avatar', { nick: 'n', avatar: 1 }, 'avatar'],
  ['an array for title', { nick: 'n', title: ['t'] }, 'title'],
  ['a bad phone', { nick: 'n', phone: 'call me' }, 'phone'],
];
for (const [label, body, field] of BAD_PROFILES) {
  test(`a profile with ${label} is refused (901 naming ${field}) and nothing is stored`, async (t) => {
    const u = makeUser();
    await c.put('/rest/user/profile', { nick: 'before' }, u.token);
    const res = await c.put('/rest/user/profile', body, u.token);
    t.is(res.status, 400);
    t.is(res.body.code, 901);
    t.true(res.body.msg.startsWith(field), res.body.msg);
    t.is((await c.get(`/rest/user/${u.userID}`)).body.info.nick, 'before');
  });
}

test('a profile is always the caller’s: a userID in the body is ignored', async (t) => {
  const me = makeUser();
  const victim = makeUser();
  await c.put('/rest/user/profile', { nick: 'victim' }, victim.token);
  t.is((await c.put('/rest/user/profile', { nick: 'me', userID: victim.userID }, me.token)).body.code, 900);
  t.is((await c.get(`/rest/user/${victim.userID}`)).body.info.nick, 'victim');
  t.is((await c.get(`/rest/user/${me.userID}`)).body.info.nick, 'me');
});
