// The login screen: handle and password, then a TOTP code if the account
// asks for one (docs/API.md, "POST /auth/login").
import * as account from './account.js';
import { advice } from './api.js';
import { wipe } from './bytes.js';
import { busy, field, h, messageBox, show } from './ui.js';

// Show the login form; `notice` is a status message to show first,
// `handle` a handle to fill in; `done` runs after a successful login.
export function render({ instance, notice, handle, done }) {
  const msg = messageBox();
  const handleF = field('Handle', {
    name: 'handle',
    autocomplete: 'username',
    autocapitalize: 'none',
    spellcheck: 'false',
    required: true,
    value: handle ?? '',
  });
  const pwF = field('Password', { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const totpF = field(
    'Authentication code',
    { name: 'totp', inputmode: 'numeric', autocomplete: 'one-time-code', pattern: '[0-9]{6}', maxlength: '6' },
    'The 6-digit code your authenticator app shows now.',
  );
  totpF.wrap.hidden = true;
  const button = h('button', { type: 'submit', class: 'primary' }, 'Log in');
  const form = h('form', { novalidate: true, 'aria-labelledby': 'login-title' },
    handleF.wrap, pwF.wrap, totpF.wrap, msg.el, button);

  // Argon2id runs once per handle and password; a TOTP retry reuses it.
  let keys = null;
  let keysFor = null;

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    msg.clear();
    handleF.setError(null);
    pwF.setError(null);
    totpF.setError(null);
    const who = handleF.input.value.trim();
    const pw = pwF.input.value;
    const code = totpF.wrap.hidden ? '' : totpF.input.value.trim();
    if (!who) {
      handleF.setError('Enter your handle.');
      handleF.input.focus();
      return;
    }
    if (!pw) {
      pwF.setError('Enter your password.');
      pwF.input.focus();
      return;
    }
    if (!totpF.wrap.hidden && !/^[0-9]{6}$/.test(code)) {
      totpF.setError('Enter the 6 digits your authenticator app shows.');
      totpF.input.focus();
      return;
    }
    await busyLogin(who, pw, code);
  });

  async function busyLogin(who, pw, code) {
    await busy(form, button, 'Checking your password…', async () => {
      try {
        if (!keys || keysFor !== `${who}\n${pw}`) {
          forget();
          keys = await account.passwordKeysFor(who, pw, instance?.kdf_min);
          keysFor = `${who}\n${pw}`;
        }
        await account.login(who, keys, code || undefined);
        forget();
        pwF.input.value = '';
        done();
      } catch (e) {
        if (e.code === 'totp_required') {
          totpF.wrap.hidden = false;
          msg.show(advice(e), 'info');
          totpF.input.focus();
          return;
        }
        if (e.code === 'bad_totp') {
          totpF.setError(advice(e));
          totpF.input.select();
          totpF.input.focus();
          return;
        }
        forget();
        msg.show(advice(e));
        msg.el.focus();
      }
    });
  }

  function forget() {
    if (keys) {
      wipe(keys.authKey);
      wipe(keys.wrapKey);
    }
    keys = null;
    keysFor = null;
  }

  const intro = notice ? h('p', { class: 'message info', role: 'status' }, notice) : null;
  show(
    'Log in',
    h('h1', { id: 'login-title' }, 'Log in'),
    intro,
    form,
    h('p', {}, 'New here? ', h('a', { href: '#/enroll' }, 'Enroll with the code your administrator gave you'), '.'),
  );
  if (!handleF.input.value) handleF.input.focus({ preventScroll: true });
}
