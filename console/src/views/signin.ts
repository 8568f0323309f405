import { errorBox, h } from '../dom';

/** The sign-in form: a pasted staff token. `message` says why the last session ended. */
export function signInView(signIn: (token: string) => Promise<void>, message: string) {
  const error = errorBox();
  if (message) error.show(message);
  const input = h('textarea', { id: 'token', rows: 4, placeholder: 'eyJhbGciOiJIUzI1NiIs…', 'data-test': 'token', spellcheck: false });
  const button = h('button', { type: 'submit', 'data-test': 'sign-in' }, '登录');
  const form = h(
    'form',
    {
      class: 'signin card',
      onsubmit: async (e: Event) => {
        e.preventDefault();
        error.clear();
        button.disabled = true;
        try {
          await signIn(input.value.trim());
        } catch (err) {
          error.show((err as Error).message);
        } finally {
          button.disabled = false;
        }
      },
    },
    h('h1', {}, '客服工作台'),
    h('label', { for: 'token' }, '客服令牌'),
    input,
    h('p', { class: 'muted' }, '粘贴客服账号的令牌（JWT）。令牌只保存在本标签页中，关闭即失效。'),
    error,
    button,
  );
  return form;
}
