// The administrator's directory (docs/API.md, "Directory"): the
// organisations and members, a new organisation, and a new member whose
// enrollment code is shown once, to be handed over in person.
import { actionForm } from './actionform.js';
import * as api from './api.js';
import { report, ROLE_NAMES } from './names.js';
import { checkField, checkGroup, field, h, messageBox, section, selectField, setNotice, show, statusLine, table, takeNotice, when } from './ui.js';

const PAGE = 100;
const EXTRA_ROLES = ['coordinator', 'director', 'principal', 'auditor'];

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

function newMemberPanel(orgs, expired) {
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
      const done = h('button', { type: 'button', class: 'secondary' }, 'I have handed over the code');
      done.addEventListener('click', () => {
        codeOut.replaceChildren(h('p', { role: 'status' }, 'The code is no longer shown.'));
      });
      codeOut.replaceChildren(section('Enrollment code',
        h('p', {}, `Give this code to ${r.member.display_name} (${r.member.handle}) in person. It is shown only now and works until ${when(r.expires_at)}.`),
        h('p', { class: 'recovery-code', id: 'enrollment-code' }, r.enrollment_code),
        done));
      codeOut.focus();
    },
  });
  return h('div', {}, f.panel, codeOut);
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
    show('Directory',
      h('h1', {}, 'Directory'),
      notice,
      section('Organisations', table('Organisations', ['Id', 'Name', 'Created'], orgs.map((x) => [x.id, x.name, when(x.created_at)]))),
      section('Members',
        h('p', {}, `${total} ${total === 1 ? 'member' : 'members'}.`),
        table('Members', ['Handle', 'Name', 'Organisation', 'Roles', 'Status', 'Key fingerprint'],
          members.map((m) => [m.handle, m.display_name, m.org, (m.roles ?? []).map((r) => ROLE_NAMES[r] ?? r).join(', '),
            m.status, m.keys?.fingerprint ?? 'not enrolled']))),
      newMemberPanel(orgs, expired),
      newOrgPanel(expired, go));
  } catch (e) {
    status.textContent = '';
    report(e, msg, expired);
  }
}

