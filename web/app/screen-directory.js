// The administrator's directory (docs/API.md, "Directory"): the
// organisations and members, a new organisation, a new member whose
// enrollment code is shown once, to be handed over in person, and for
// each member: roles, co-signing and display name, suspension and
// reinstatement (each confirmed by name), and a new enrollment code.
import { actionForm } from './actionform.js';
import * as api from './api.js';
import { report, ROLE_NAMES } from './names.js';
import * as session from './session.js';
import {
  announce, busy, checkField, checkGroup, facts, field, h, messageBox, section, selectField, setNotice, show, statusLine, table,
  takeNotice, when,
} from './ui.js';

const PAGE = 100;
const EXTRA_ROLES = ['coordinator', 'director', 'principal', 'auditor'];
const ALL_ROLES = ['member', ...EXTRA_ROLES, 'admin'];

function newOrgPanel(expired, go) {
  const idF = field('Organisation id', { name: 'org-id', autocapitalize: 'none', spellcheck: 'false', required: true },
    'Lower-case letters, digits and hyphens, starting with a letter; at most 32.');
  const nameF = field('Name', { name: 'org-name', required: true });
  return actionForm({
    title: 'New organisation',
    fields: [idF.wrap, nameF.wrap],
    button: 'Create the organisation',
    busyText: 'Creating…',
    expired,
    run: async (msg) => {
      idF.setError(null);
      nameF.setError(null);
      const id = idF.input.value.trim();
      const name = nameF.input.value.trim();
      if (!/^[a-z][a-z0-9-]{0,31}$/.test(id)) {
        idF.setError('Use lower-case letters, digits and hyphens, starting with a letter.');
        idF.input.focus();
        return;
      }
      if (!name) {
        nameF.setError('Give the organisation a name.');
        nameF.input.focus();
        return;
      }
      try {
        await api.post('/orgs', { id, name });
      } catch (e) {
        if (e.code === 'conflict') {
          idF.setError('An organisation with this id exists already.');
          idF.input.focus();
          return;
        }
        throw e;
      }
      setNotice(`The organisation ${name} exists.`);
      msg.clear();
      go('/directory');
    },
  }).panel;
}

function newMemberPanel(orgs, expired, created) {
  const handleF = field('Handle', { name: 'handle', autocapitalize: 'none', spellcheck: 'false', required: true },
    'Lower-case letters, digits, dots, @ and hyphens; how the member logs in.');
  const nameF = field('Display name', { name: 'display-name', required: true });
  const orgF = selectField('Organisation', orgs.map((o) => [o.id, `${o.name} (${o.id})`]), { name: 'org' });
  const kindF = selectField('Account', [['member', 'a member'], ['admin', 'an administrator (no other role, reads no memo)']], { name: 'kind' });
  const rolesG = checkGroup('Roles besides member', EXTRA_ROLES.map((r) => [r, ROLE_NAMES[r]]), 'A member with any of these roles is still a member.');
  const eligibleF = checkField('May co-sign memos', { checked: true });
  const codeOut = h('div', { tabindex: '-1' });
  const f = actionForm({
    title: 'New member',
    intro: 'The member enrolls with a one-time code that you hand over in person.',
    fields: [handleF.wrap, nameF.wrap, orgF.wrap, kindF.wrap, rolesG.wrap, eligibleF.wrap],
    button: 'Create the member',
    busyText: 'Creating…',
    expired,
    run: async () => {
      handleF.setError(null);
      nameF.setError(null);
      const handle = handleF.input.value.trim();
      const name = nameF.input.value.trim();
      if (!/^[a-z0-9][a-z0-9.@-]{0,63}$/.test(handle)) {
        handleF.setError('Use 1 to 64 lower-case letters, digits, dots, @ and hyphens, starting with a letter or digit.');
        handleF.input.focus();
        return;
      }
      if (!name) {
        nameF.setError('Give the member\'s name as colleagues know it.');
        nameF.input.focus();
        return;
      }
      const admin = kindF.input.value === 'admin';
      const roles = admin ? ['admin'] : ['member', ...rolesG.boxes.filter((b) => b.input.checked).map((b) => b.value)];
      let r;
      try {
        r = await api.post('/members', { handle, display_name: name, org: orgF.input.value, roles, eligible: !admin && eligibleF.input.checked });
      } catch (e) {
        if (e.code === 'conflict') {
          handleF.setError('This handle is taken. Choose another.');
          handleF.input.focus();
          return;
        }
        if (e.code === 'invalid_field' && /roles/.test(e.message)) {
          throw new RangeError('The server does not allow this combination of roles. Check the roles and try again.');
        }
        throw e;
      }
      handleF.input.value = '';
      nameF.input.value = '';
      created(r.member);
      codeOut.replaceChildren(codeBox('Enrollment code', r.member, r, 'enrollment-code', 'h2'));
      codeOut.focus();
    },
  });
  return h('div', {}, f.panel, codeOut);
}


// "Alice Adams (alice)".
function who(m) {
  return `${m.display_name} (${m.handle})`;
}

// The enrollment code of `r` ({enrollment_code, expires_at}) for member
// `m`, shown once under a heading of `level`, with the button that
// removes it; the paragraph holding the code has the id `id`.
function codeBox(title, m, r, id, level) {
  const box = h('div', { class: 'card' });
  const done = h('button', { type: 'button', class: 'secondary' }, 'I have handed over the code');
  done.addEventListener('click', () => {
    const gone = h('p', { role: 'status', tabindex: '-1' }, 'The code is no longer shown.');
    box.replaceWith(gone);
    gone.focus();
  });
  box.append(
    h(level, {}, title),
    h('p', {}, `Give this code to ${who(m)} in person. It is shown only now and works until ${when(r.expires_at)}.`),
    h('p', { class: 'recovery-code', id }, r.enrollment_code),
    done);
  return box;
}

let subSeq = 0;

// A form under a level-3 heading `title` (inside the member's panel)
// whose submit runs `run(msg)`; a RangeError's message is shown as it is,
// anything else through report().
function subForm({ title, intro, fields = [], button, busyText, run, expired, kind = 'primary' }) {
  const id = `sub${++subSeq}`;
  const msg = messageBox();
  const btn = h('button', { type: 'submit', class: kind }, button);
  const form = h('form', { novalidate: true, autocomplete: 'off', 'aria-labelledby': id },
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
  return { el: h('div', { class: 'subpanel' }, h('h3', { id }, title), form), form, msg, button: btn };
}

// What the server's refusal `e` of a change of roles means, with what to
// do; the server's own words are quoted.
function rolesRefusal(e) {
  const said = `The server refused these roles: “${e.message}”.`;
  if (/admin role/.test(e.message)) {
    return `${said} An account keeps the kind it was created as: untick “administrator”, and create a new account for an administrator.`;
  }
  if (/allowed set/.test(e.message)) {
    return `${said} The administrator role is held alone; every other account holds “member” with any of coordinator, director, principal and auditor. Correct the ticks and save again.`;
  }
  return `${said} Check the roles and save again.`;
}

// The roles `m` holds, in words.
function rolesText(m) {
  return (m.roles ?? []).map((r) => ROLE_NAMES[r] ?? r).join(', ');
}

// The status of `m` in words.
function statusText(m) {
  if (m.status === 'pending') return 'pending: not enrolled yet';
  if (m.status === 'suspended') return m.keys ? 'suspended' : 'suspended (never enrolled)';
  return m.status;
}

// The panel that manages member `m`: facts, suspension or reinstatement
// behind a confirmation naming the member, roles, co-signing and name,
// and a new enrollment code for a pending member.  `changed(member,
// note)` takes the server's new member object; `close()` closes the panel.
function managePanel(m, { expired, changed, close, note }) {
  const self = session.get()?.member?.id === m.id;
  const headId = `manage-${m.id}`;
  const heading = h('h2', { id: headId, tabindex: '-1' }, `Manage ${who(m)}`);
  const noteEl = note ? h('p', { class: 'message success', role: 'status', tabindex: '-1' }, note) : null;

  // Suspension and reinstatement, each confirmed.
  const statusBox = h('div', { class: 'subpanel' });
  const suspended = m.status === 'suspended';
  statusBox.append(h('h3', {}, suspended ? 'Reinstate' : 'Suspend'));
  if (self) {
    statusBox.append(h('p', {}, 'This is your own account: it cannot be suspended. Another administrator can suspend it.'));
  } else {
    const msg = messageBox();
    const verb = suspended ? 'Reinstate' : 'Suspend';
    const what = suspended
      ? (m.keys
        ? 'They can log in again with their password, with the same roles.'
        : 'They never enrolled: reinstated, they are pending again and need a new enrollment code.')
      : `Their sessions end at once and they cannot log in until reinstated${m.status === 'pending' ? '; their enrollment code stops working' : ''}. Their memos, signatures and keys stay.`;
    statusBox.append(h('p', {}, suspended
      ? 'The member is suspended. Reinstating gives them back their access.'
      : 'Suspending ends the member\'s sessions at once; they cannot log in until reinstated.'));
    const ask = h('button', { type: 'button', class: suspended ? 'primary' : 'danger' }, `${verb} ${who(m)}`);
    const confirmArea = h('div');
    ask.addEventListener('click', () => {
      msg.clear();
      const qId = `confirm-${m.id}`;
      const yes = h('button', { type: 'button', class: suspended ? 'primary' : 'danger' }, `Yes, ${verb.toLowerCase()} ${who(m)}`);
      const no = h('button', { type: 'button', class: 'secondary' }, 'Cancel');
      const card = h('div', { class: 'card', role: 'group', 'aria-labelledby': qId, tabindex: '-1' },
        h('p', { id: qId }, `${verb} ${who(m)}? ${what}`),
        h('div', { class: 'actions' }, yes, no));
      const cancel = () => {
        confirmArea.replaceChildren();
        ask.hidden = false;
        ask.focus();
      };
      no.addEventListener('click', cancel);
      card.addEventListener('keydown', (ev) => {
        if (ev.key === 'Escape') {
          ev.preventDefault();
          cancel();
        }
      });
      yes.addEventListener('click', async () => {
        no.disabled = true;
        await busy(card, yes, suspended ? 'Reinstating…' : 'Suspending…', async () => {
          try {
            const r = await api.post(`/members/${encodeURIComponent(m.id)}/${suspended ? 'reinstate' : 'suspend'}`);
            const n = r.member;
            changed(n, suspended
              ? (n.status === 'pending'
                ? `${who(n)} is reinstated and pending enrollment: issue a new enrollment code below.`
                : `${who(n)} is reinstated and can log in again.`)
              : `${who(n)} is suspended: their sessions have ended and they cannot log in.`);
          } catch (e) {
            no.disabled = false;
            if (e.code === 'conflict') {
              msg.show(`The server refused: “${e.message}”. Reload the directory to see the member as they are now.`);
              msg.el.focus();
              return;
            }
            report(e, msg, expired);
          }
        });
      });
      ask.hidden = true;
      confirmArea.replaceChildren(card);
      announce(`${verb} ${who(m)}? Choose yes or cancel.`);
      card.focus();
    });
    statusBox.append(msg.el, ask, confirmArea);
  }

  // Roles, co-signing and the display name.
  const nameF = field('Display name', { name: 'display-name', value: m.display_name, required: true },
    'As colleagues know the member; at most 128 bytes.');
  const rolesG = checkGroup('Roles', ALL_ROLES.map((r) => [r, ROLE_NAMES[r], (m.roles ?? []).includes(r)]),
    'Every account but an administrator\'s holds “member”, with any of the other roles. The administrator role is held alone, and an account never gains or loses it.');
  const eligibleF = checkField('May co-sign memos', { checked: m.eligible === true });
  const edit = subForm({
    title: 'Roles, co-signing and name',
    fields: [nameF.wrap, rolesG.wrap, eligibleF.wrap],
    button: 'Save the changes',
    busyText: 'Saving…',
    expired,
    run: async () => {
      nameF.setError(null);
      rolesG.setError(null);
      const name = nameF.input.value.trim();
      if (!name) {
        nameF.setError('Give the member\'s name as colleagues know it.');
        nameF.input.focus();
        return;
      }
      if (new TextEncoder().encode(name).length > 128) {
        nameF.setError('Shorten the name to at most 128 bytes.');
        nameF.input.focus();
        return;
      }
      const roles = rolesG.boxes.filter((b) => b.input.checked).map((b) => b.value);
      if (roles.length === 0) {
        rolesG.setError('Tick at least one role: “member” for everyone but an administrator.');
        rolesG.boxes[0].input.focus();
        return;
      }
      const body = {};
      if (name !== m.display_name) body.display_name = name;
      const had = ALL_ROLES.filter((r) => (m.roles ?? []).includes(r));
      if (roles.join(',') !== had.join(',')) body.roles = roles;
      if (eligibleF.input.checked !== (m.eligible === true)) body.eligible = eligibleF.input.checked;
      if (Object.keys(body).length === 0) {
        throw new RangeError('Nothing has changed. Change the name, a role or co-signing, then save.');
      }
      let r;
      try {
        r = await api.call('PATCH', `/members/${encodeURIComponent(m.id)}`, body);
      } catch (e) {
        if (e.code === 'invalid_field' && /"roles"/.test(e.message)) throw new RangeError(rolesRefusal(e));
        if (e.code === 'invalid_field' && /"eligible"/.test(e.message)) {
          throw new RangeError(`The server refused: “${e.message}”. Untick “May co-sign memos” and save again.`);
        }
        if (e.code === 'invalid_field' && /"display_name"/.test(e.message)) {
          nameF.setError('Use a name without control characters or spaces at the start or end.');
          nameF.input.focus();
          return;
        }
        throw e;
      }
      changed(r.member, `The changes to ${who(r.member)} are saved.`);
    },
  });

  // A new enrollment code, while the member is pending.
  let codePart = null;
  if (m.status === 'pending') {
    const codeOut = h('div', { tabindex: '-1' });
    const issue = subForm({
      title: 'Enrollment code',
      intro: `${who(m)} has not enrolled yet. A new code replaces the old one, which stops working at once.`,
      button: 'Issue a new enrollment code',
      busyText: 'Issuing…',
      kind: 'secondary',
      expired,
      run: async () => {
        let r;
        try {
          r = await api.post(`/members/${encodeURIComponent(m.id)}/enrollment`);
        } catch (e) {
          if (e.code === 'conflict') throw new RangeError(`The server refused: “${e.message}”. Reload the directory to see the member as they are now.`);
          throw e;
        }
        codeOut.replaceChildren(codeBox('New enrollment code', m, r, 'new-enrollment-code', 'h4'));
        codeOut.focus();
      },
    });
    codePart = h('div', {}, issue.el, codeOut);
  }

  const closeBtn = h('button', { type: 'button', class: 'secondary' }, 'Close');
  closeBtn.addEventListener('click', close);
  const panel = h('section', { class: 'panel', 'aria-labelledby': headId },
    heading,
    noteEl,
    facts([
      ['Name', m.display_name],
      ['Handle', m.handle],
      ['Id', h('code', {}, m.id)],
      ['Organisation', m.org],
      ['Roles', rolesText(m)],
      ['May co-sign', m.eligible ? 'yes' : 'no'],
      ['Status', statusText(m)],
      ['Key fingerprint', m.keys?.fingerprint ? h('code', {}, m.keys.fingerprint) : 'not enrolled'],
    ]),
    statusBox,
    edit.el,
    codePart,
    h('p', {}, closeBtn));
  return { panel, focus: () => (noteEl ?? heading).focus() };
}

// Show the directory.
export async function render({ expired, go }) {
  const notice = takeNotice();
  const msg = messageBox();
  const status = statusLine('Loading the directory…');
  show('Directory', h('h1', {}, 'Directory'), notice, status, msg.el);
  try {
    const o = await api.get('/orgs');
    const orgs = Array.isArray(o?.orgs) ? o.orgs : [];
    const members = [];
    let total = 0;
    do {
      const r = await api.get(`/members?offset=${members.length}&limit=${PAGE}`);
      total = r?.total ?? 0;
      const got = Array.isArray(r?.members) ? r.members : [];
      members.push(...got);
      if (got.length === 0) break;
    } while (members.length < total && members.length < 5000);

    const countEl = h('p', {});
    const tableSlot = h('div');
    const manageSlot = h('div');
    let open = null; // the id of the member being managed

    const manageButton = (m) => {
      // Only "Manage" shows (the row names the member); it is read in full.
      const b = h('button', { type: 'button', class: 'secondary', 'data-member': m.id },
        'Manage', h('span', { class: 'visually-hidden' }, ` ${who(m)}`));
      b.addEventListener('click', () => openManage(m.id));
      return b;
    };
    const renderTable = () => {
      countEl.textContent = `${total} ${total === 1 ? 'member' : 'members'}.`;
      tableSlot.replaceChildren(table('Members', ['Handle', 'Manage', 'Name', 'Organisation', 'Roles', 'May co-sign', 'Status', 'Key fingerprint'],
        members.map((m) => [m.handle, manageButton(m), m.display_name, m.org, rolesText(m), m.eligible ? 'yes' : 'no',
          m.status, m.keys?.fingerprint ?? 'not enrolled'])));
    };
    const closeManage = () => {
      const id = open;
      open = null;
      manageSlot.replaceChildren();
      tableSlot.querySelector(`button[data-member="${id}"]`)?.focus();
    };
    const openManage = (id, note) => {
      const m = members.find((x) => x.id === id);
      if (!m) return;
      open = id;
      const p = managePanel(m, {
        expired,
        note,
        close: closeManage,
        changed: (n, text) => {
          const i = members.findIndex((x) => x.id === n.id);
          if (i >= 0) members[i] = n;
          renderTable();
          openManage(n.id, text);
          announce(text);
        },
      });
      manageSlot.replaceChildren(p.panel);
      p.focus();
    };
    const created = (m) => {
      members.push(m);
      members.sort((a, b) => (a.handle < b.handle ? -1 : a.handle > b.handle ? 1 : 0));
      total += 1;
      renderTable();
    };
    renderTable();

    show('Directory',
      h('h1', {}, 'Directory'),
      notice,
      section('Organisations', table('Organisations', ['Id', 'Name', 'Created'], orgs.map((x) => [x.id, x.name, when(x.created_at)]))),
      section('Members',
        countEl,
        h('p', {}, 'Choose “Manage” on a member to change their roles, co-signing or name, to suspend or reinstate them, or to issue a new enrollment code.'),
        tableSlot),
      manageSlot,
      newMemberPanel(orgs, expired, created),
      newOrgPanel(expired, go));
  } catch (e) {
    status.textContent = '';
    report(e, msg, expired);
  }
}
