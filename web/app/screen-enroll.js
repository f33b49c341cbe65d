// Enrollment: the code from the administrator, the member it belongs to,
// a new password, then the recovery code, shown once (docs/API.md,
// "Enrollment").
import * as account from './account.js';
import { advice } from './api.js';
import { busy, field, h, messageBox, show } from './ui.js';

const ROLE_NAMES = {
  member: 'member',
  coordinator: 'coordinator',
  director: 'director',
  principal: 'principal',
  auditor: 'auditor',
  admin: 'administrator',
};

// Step 1: the enrollment code.  `done(handle)` runs when the member has
// written the recovery code down and goes on to log in.
export function render({ instance, done }) {
  const msg = messageBox();
  const codeF = field(
    'Enrollment code',
    { name: 'code', autocomplete: 'off', autocapitalize: 'characters', spellcheck: 'false', required: true },
    'Eight groups of four letters and digits, such as ABCD-EFGH-…. Case, spaces and dashes do not matter.',
  );
  const button = h('button', { type: 'submit', class: 'primary' }, 'Continue');
  const form = h('form', { novalidate: true, 'aria-labelledby': 'enroll-title' }, codeF.wrap, msg.el, button);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    msg.clear();
    codeF.setError(null);
    const code = codeF.input.value.trim();
    if (!code) {
      codeF.setError('Enter the enrollment code.');
      codeF.input.focus();
      return;
    }
    await busy(form, button, 'Looking up the code…', async () => {
      try {
        const member = await account.lookup(code);
        passwordStep({ instance, done, code, member });
      } catch (e) {
        const text =
          e.code === 'not_found'
            ? 'This code is unknown or was already used. Check it, or ask your administrator for a new one.'
            : e.code === 'invalid_field'
              ? 'That is not an enrollment code: it has eight groups of four letters and digits. Check what you typed.'
              : advice(e);
        codeF.setError(text);
        codeF.input.focus();
      }
    });
  });
  show(
    'Enroll',
    h('h1', { id: 'enroll-title' }, 'Enroll'),
    h('p', {}, 'Your administrator gave you an enrollment code. With it you choose a password; your keys are made in this browser and never leave it unencrypted.'),
    form,
    h('p', {}, 'Already enrolled? ', h('a', { href: '#/login' }, 'Log in'), '.'),
  );
}

// Step 2: who the code is for, and the new password.
function passwordStep({ instance, done, code, member }) {
  const msg = messageBox();
  const pwF = field('New password', { name: 'new-password', type: 'password', autocomplete: 'new-password', required: true },
    `At least ${account.PASSWORD_MIN_CHARS} characters. A few unrelated words are easy to remember and hard to guess.`);
  const againF = field('Repeat the new password', { name: 'new-password-again', type: 'password', autocomplete: 'new-password', required: true });
  const button = h('button', { type: 'submit', class: 'primary' }, 'Enroll');
  const form = h('form', { novalidate: true, 'aria-labelledby': 'pw-title' }, pwF.wrap, againF.wrap, msg.el, button);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    msg.clear();
    pwF.setError(null);
    againF.setError(null);
    const problem = account.newPasswordProblem(pwF.input.value, againF.input.value);
    if (problem) {
      const target = problem.includes('differ') ? againF : pwF;
      target.setError(problem);
      target.input.focus();
      return;
    }
    await busy(form, button, 'Making your keys… this takes a few seconds', async () => {
      try {
        const r = await account.enroll(code, member, pwF.input.value, instance?.kdf_min);
        pwF.input.value = '';
        againF.input.value = '';
        recoveryStep({ done, member: r.member, recoveryCode: r.recoveryCode });
      } catch (e) {
        msg.show(e.code === 'not_found' ? 'This code was used or withdrawn meanwhile. Ask your administrator for a new one.' : advice(e));
        msg.el.focus();
      }
    });
  });
  const roles = (member.roles ?? []).map((r) => ROLE_NAMES[r] ?? r).join(', ');
  show(
    'Choose a password',
    h('h1', { id: 'pw-title' }, 'Choose a password'),
    h('p', {}, 'This code is for:'),
    h('dl', { class: 'facts' },
      h('dt', {}, 'Name'), h('dd', {}, member.display_name ?? ''),
      h('dt', {}, 'Handle'), h('dd', {}, member.handle ?? ''),
      h('dt', {}, 'Organisation'), h('dd', {}, member.org ?? ''),
      h('dt', {}, 'Roles'), h('dd', {}, roles)),
    h('p', {}, 'If this is not you, stop here and tell your administrator.'),
    form,
  );
}

// Step 3: the recovery code, shown once.
function recoveryStep({ done, member, recoveryCode }) {
  const msg = messageBox();
  const codeEl = h('p', { class: 'recovery-code', id: 'recovery-code' }, recoveryCode);
  const check = h('input', { type: 'checkbox', id: 'recovery-kept', name: 'recovery-kept' });
  const button = h('button', { type: 'submit', class: 'primary' }, 'Continue to log in');
  const form = h('form', { novalidate: true, 'aria-labelledby': 'rec-title' },
    h('div', { class: 'check' }, check, h('label', { for: 'recovery-kept' }, 'I have written down my recovery code and put it somewhere safe.')),
    msg.el, button);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    if (!check.checked) {
      msg.show('Write the recovery code down first, then tick the box. It will not be shown again.');
      check.focus();
      return;
    }
    codeEl.textContent = '';
    done(member.handle);
  });
  show(
    'Your recovery code',
    h('h1', { id: 'rec-title' }, 'Your recovery code'),
    h('p', { class: 'message success', role: 'status' }, `You are enrolled as ${member.handle}.`),
    h('p', {}, 'If you forget your password, this code is the only way back into your account. Write it down now and keep it apart from your devices: it is shown only this once, and nobody, your administrator included, can show it again.'),
    h('figure', { class: 'recovery' }, h('figcaption', { class: 'visually-hidden' }, 'Recovery code'), codeEl),
    form,
  );
}
