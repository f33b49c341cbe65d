// The forms of the memo and channel actions: a titled panel with its
// fields, one button that shows its progress, and errors that say what to
// do; and the two-step form that first shows who a handle names (with
// the key fingerprint, checked against the log) and only then acts.
import * as mc from './memoclient.js';
import { report, ROLE_NAMES } from './names.js';
import { announce, busy, facts, field, h, messageBox, section } from './ui.js';

// A panel titled `title` whose form runs `run(msg)` on submit.
export function actionForm({ title, intro, fields = [], button, busyText, run, expired, danger = false }) {
  const msg = messageBox();
  const btn = h('button', { type: 'submit', class: danger ? 'danger' : 'primary' }, button);
  const form = h('form', { novalidate: true, autocomplete: 'off' },
    intro ? h('p', {}, intro) : null, fields, msg.el, btn);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    msg.clear();
    await busy(form, btn, busyText, async () => {
      try {
        await run(msg);
      } catch (e) {
        if (e instanceof RangeError) {
          msg.show(e.message);
          msg.el.focus();
          return;
        }
        report(e, msg, expired);
      }
    });
  });
  return { panel: section(title, form), form, msg, button: btn };
}

// The facts shown of a member found by handle, with its keys' check.
function memberCard(who, keys) {
  return facts([
    ['Name', who.display_name],
    ['Handle', who.handle],
    ['Organisation', who.org],
    ['Roles', (who.roles ?? []).map((r) => ROLE_NAMES[r] ?? r).join(', ')],
    ['Key fingerprint', h('code', {}, keys.fingerprint)],
    ['Keys', `published in the channel log, entry ${keys.check.index} (checked in this browser)`],
  ]);
}

// A panel that looks a member up by handle, shows who it is, and on the
// second submit runs `run(target, msg)` with target = {id, pub,
// fingerprint, check, member}.  `verb` names the action ("Invite").
export function lookupForm({ title, intro, extra = [], verb, run, expired, hint }) {
  const handleF = field('Handle', { name: 'handle', autocapitalize: 'none', spellcheck: 'false', required: true }, hint);
  const card = h('div', { class: 'card', hidden: true, tabindex: '-1' });
  let target = null;
  const f = actionForm({
    title,
    intro,
    fields: [handleF.wrap, ...extra, card],
    button: 'Look up',
    busyText: 'Working…',
    expired,
    run: async (msg) => {
      handleF.setError(null);
      const handle = handleF.input.value.trim().toLowerCase();
      if (!/^[a-z0-9][a-z0-9.@-]{0,63}$/.test(handle) && !/^m_[0-9a-f]{24}$/.test(handle)) {
        handleF.setError('Enter a handle: lower-case letters, digits, dots, @ and hyphens.');
        handleF.input.focus();
        return;
      }
      if (!target) {
        let who;
        try {
          who = await mc.member(handle);
        } catch (e) {
          if (e.code === 'not_found') {
            handleF.setError('No member has this handle. Check the spelling.');
            handleF.input.focus();
            return;
          }
          throw e;
        }
        const keys = await mc.memberKeys(who.id);
        target = { ...keys, member: who };
        card.replaceChildren(memberCard(who, keys));
        card.hidden = false;
        f.button.dataset.next = `${verb} ${who.display_name}`;
        announce(`${who.display_name}, ${who.org}. Check the name, then choose ${verb} ${who.display_name}.`);
        card.focus();
        return;
      }
      await run(target, msg);
    },
  });
  handleF.input.addEventListener('input', () => {
    target = null;
    card.hidden = true;
    f.button.textContent = 'Look up';
  });
  return f;
}
