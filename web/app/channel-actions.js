// The channel's panels on a submitted memo (docs/API.md, "The channel"):
// acknowledge, redirect with a note, assign, distribute to principals,
// reply, close; the distributions and the director's approval.  Notes are
// sealed under the memo key in this page; every receipt is verified with
// the pinned server key; every recipient's keys are checked against the
// log before anything is sealed to them.
import { actionForm, lookupForm } from './actionform.js';
import * as api from './api.js';
import * as mc from './memoclient.js';
import { hasRole, report } from './names.js';
import * as trust from './trust.js';
import { checkField, h, messageBox, section, setNotice, statusLine, table, textField, when } from './ui.js';
import * as wf from './workflow.js';

// "… the receipt verifies (log entry N)." for a lifecycle result.
function proved(what, check) {
  return check.checked
    ? `${what} The receipt verifies: the channel log holds it at entry ${check.index}.`
    : `${what} The server has not proved it in its log yet.`;
}

// A note's text field, checked before it is sealed.
function noteField(label, hint) {
  return textField(label, { name: 'note', rows: '6', autocomplete: 'off', required: true }, hint);
}

function noteText(f) {
  const text = f.input.value;
  f.setError(null);
  if (text.trim() === '') {
    f.setError('Write the text first.');
    f.input.focus();
    return null;
  }
  return text;
}

// The panels for memo `m` as the channel's staff (coordinator, director,
// assignee) may act on it.
export function channelActions({ m, keys, me, expired, reload }) {
  const out = [];
  const coordinator = hasRole(me, 'coordinator');
  const assignee = m.relations.includes('assignee');
  const s = m.state;
  if (coordinator && s === 'submitted') {
    out.push(actionForm({
      title: 'Acknowledge',
      intro: 'Tell the drafters the channel has the memo. The reply is then due by the profile\'s deadline.',
      button: 'Acknowledge the memo',
      busyText: 'Acknowledging…',
      expired,
      run: async () => {
        const r = await wf.lifecycle(m, 'ack');
        setNotice(proved('Acknowledged.', r.check));
        reload();
      },
    }).panel);
    if (keys) {
      const note = noteField('Where to go instead', 'Encrypted for the drafters and signers.');
      out.push(actionForm({
        title: 'Redirect',
        intro: 'If the memo is outside the channel\'s scope, say where its drafters should go instead. This answers the memo.',
        fields: [note.wrap],
        button: 'Redirect the memo',
        busyText: 'Encrypting and sending…',
        expired,
        run: async () => {
          const text = noteText(note);
          if (text === null) return;
          const r = await wf.postNote(m, keys.key, 'redirect', text);
          note.input.value = '';
          setNotice(proved('Redirected.', r.check));
          reload();
        },
      }).panel);
    }
  }
  if (coordinator && keys && (s === 'acknowledged' || s === 'assigned')) {
    out.push(lookupForm({
      title: 'Assign',
      intro: 'Give the memo to a colleague of the channel\'s organisation who drafts the reply. The assignee reads the memo but never learns who signed.',
      verb: 'Assign to',
      expired,
      run: async (target) => {
        const r = await wf.assign(m, keys, target);
        setNotice(proved(`Assigned to ${target.member.display_name}.`, r.check));
        reload();
      },
    }).panel);
  }
  if (coordinator && keys && ['acknowledged', 'assigned', 'replied'].includes(s)) out.push(distributePanel({ m, keys, expired, reload }));
  if ((coordinator || assignee) && keys && ['acknowledged', 'assigned', 'replied'].includes(s)) {
    const note = noteField('Reply', 'Encrypted for the drafters, the signers and the principals.');
    out.push(actionForm({
      title: 'Reply',
      intro: s === 'replied' ? 'Add a follow-up to the channel\'s reply.' : 'Write the channel\'s reply.',
      fields: [note.wrap],
      button: 'Send the reply',
      busyText: 'Encrypting and sending…',
      expired,
      run: async () => {
        const text = noteText(note);
        if (text === null) return;
        const r = await wf.postNote(m, keys.key, 'reply', text);
        note.input.value = '';
        setNotice(proved('The reply is sent.', r.check));
        reload();
      },
    }).panel);
  }
  if (coordinator && ['acknowledged', 'assigned', 'replied', 'redirected'].includes(s)) {
    out.push(actionForm({
      title: 'Close',
      intro: 'Nothing but meetings happens to a closed memo.',
      button: 'Close the memo',
      busyText: 'Closing…',
      expired,
      danger: true,
      run: async () => {
        const r = await wf.lifecycle(m, 'close');
        setNotice(proved('Closed.', r.check));
        reload();
      },
    }).panel);
  }
  if ((coordinator || hasRole(me, 'director')) && mc.CHANNEL_STATES.includes(s)) {
    out.push(distributionsPanel({ m, director: hasRole(me, 'director'), expired, reload }));
  }
  return out;
}

// Distribution: the standard list (ticked) and other principals by
// handle, whose distribution waits for the director.
function distributePanel({ m, keys, expired, reload }) {
  const list = h('div', {}, statusLine('Loading the standard list of principals…'));
  const others = textField('Other principals (optional)', { name: 'others', rows: '2', autocomplete: 'off' },
    'Handles separated by commas. The director must approve these.');
  let boxes = [];
  Promise.all([wf.standardPrincipals(m.id), api.get(`/memos/${m.id}/distributions`)]).then(([members, d]) => {
    // Those given the memo already are not given it again.
    const given = new Set((Array.isArray(d?.distributions) ? d.distributions : []).filter((x) => x.status === 'distributed').map((x) => x.member));
    const open = members.filter((p) => !given.has(p.id));
    boxes = open.map((p) => ({ id: p.id, ...checkField(`${p.display_name} (${p.handle})`, { checked: true }) }));
    let text = 'The standard list is empty: name principals below.';
    if (members.length) text = 'Everyone on the standard list has the memo already.';
    list.replaceChildren(boxes.length
      ? h('fieldset', { class: 'group' }, h('legend', {}, 'The standard list'), boxes.map((b) => b.wrap))
      : h('p', {}, text));
  }, (e) => {
    list.replaceChildren(h('p', { class: 'field-error' }, api.advice(e)));
  });
  return actionForm({
    title: 'Distribute',
    intro: 'Principals receive the memo and see who signed. Each principal\'s keys are checked against the log first.',
    fields: [list, others.wrap],
    button: 'Distribute',
    busyText: 'Checking keys and sealing…',
    expired,
    run: async () => {
      others.setError(null);
      const refs = boxes.filter((b) => b.input.checked).map((b) => b.id);
      for (const x of others.input.value.split(',').map((t) => t.trim().toLowerCase()).filter(Boolean)) {
        if (!/^[a-z0-9][a-z0-9.@-]{0,63}$/.test(x)) {
          others.setError(`“${x}” is not a handle. Separate handles with commas.`);
          others.input.focus();
          return;
        }
        refs.push(x);
      }
      if (refs.length === 0 || refs.length > 16) throw new RangeError('Choose one to sixteen principals.');
      const targets = [];
      for (const ref of refs) targets.push(await mc.memberKeys(ref));
      const result = await wf.distribute(m, keys, targets);
      const pending = result.filter((d) => d.status === 'pending').length;
      setNotice(`Distributed to ${result.length - pending} ${result.length - pending === 1 ? 'principal' : 'principals'}` +
        (pending ? `; ${pending} await the director's approval.` : '.'));
      reload();
    },
  }).panel;
}

// The memo's distributions; the director approves pending ones.
function distributionsPanel({ m, director, expired, reload }) {
  const msg = messageBox();
  const body = h('div', {}, statusLine('Loading the distributions…'));
  (async () => {
    try {
      const r = await api.get(`/memos/${m.id}/distributions`);
      const ds = Array.isArray(r?.distributions) ? r.distributions : [];
      if (ds.length === 0) {
        body.replaceChildren(h('p', {}, 'Not distributed to any principal yet.'));
        return;
      }
      const rows = [];
      for (const d of ds) {
        const name = await mc.memberLabel(d.member);
        let action = '';
        if (director && d.status === 'pending') {
          action = h('button', { type: 'button', class: 'secondary' }, `Approve ${name}`);
          action.addEventListener('click', async () => {
            action.disabled = true;
            try {
              const a = await api.post(`/memos/${m.id}/distributions/${d.member}/approve`);
              const check = await trust.receipt(a?.receipt ?? null, m.id, 'memo_distributed');
              setNotice(proved(`Approved: the memo is distributed to ${name}.`, check));
              reload();
            } catch (e) {
              action.disabled = false;
              report(e, msg, expired);
            }
          });
        }
        const row = [name, d.status === 'pending' ? 'awaiting approval' : 'distributed', when(d.at)];
        rows.push(director ? [...row, action || 'none needed'] : row);
      }
      const headers = ['Principal', 'Status', 'Since'];
      body.replaceChildren(table('Principals of this memo', director ? [...headers, 'Approval'] : headers, rows));
    } catch (e) {
      report(e, msg, expired);
      body.replaceChildren();
    }
  })();
  return section('Distributions', body, msg.el);
}
