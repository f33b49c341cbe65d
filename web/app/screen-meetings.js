// Meetings between a memo's drafters and the principals it was
// distributed to (docs/API.md, "Meetings"): the list; for the meeting's
// principal and coordinators, scheduling and the outcome, whose note is
// sealed under the memo key in this page.
import { actionForm } from './actionform.js';
import * as api from './api.js';
import * as mc from './memoclient.js';
import { hasRole, report } from './names.js';
import { facts, field, h, messageBox, setNotice, show, statusLine, takeNotice, textField, when } from './ui.js';
import * as wf from './workflow.js';

const STATES = { requested: 'Requested', scheduled: 'Scheduled', held: 'Held', declined: 'Declined' };

let radioSeq = 0;

// A pair of radio buttons: {wrap, value()}.
function heldChoice() {
  const name = `held-${++radioSeq}`;
  const opt = (value, label, checked) => {
    const id = `${name}-${value}`;
    return h('div', { class: 'check' }, h('input', { type: 'radio', id, name, value, checked }), h('label', { for: id }, label));
  };
  const wrap = h('fieldset', { class: 'group' }, h('legend', {}, 'The meeting'), opt('held', 'was held', true), opt('declined', 'was declined', false));
  return { wrap, value: () => wrap.querySelector('input:checked')?.value };
}

async function meetingItem(mt, me, expired, go) {
  const mine = mt.principal === me.id || hasRole(me, 'coordinator');
  const hid = `meeting-${mt.id}`;
  const panels = [];
  if (mine && (mt.state === 'requested' || mt.state === 'scheduled')) {
    const at = field('Date and time', { type: 'datetime-local', name: 'at', required: true }, 'In your time zone; in the future.');
    panels.push(actionForm({
      title: mt.state === 'scheduled' ? 'Move the meeting' : 'Schedule the meeting',
      fields: [at.wrap],
      button: 'Schedule',
      busyText: 'Scheduling…',
      expired,
      run: async () => {
        at.setError(null);
        const t = Math.floor(new Date(at.input.value).getTime() / 1000);
        if (!Number.isFinite(t) || t * 1000 <= Date.now()) {
          at.setError('Choose a date and time in the future.');
          at.input.focus();
          return;
        }
        await api.post(`/meetings/${mt.id}/schedule`, { at: t });
        setNotice(`Meeting ${mt.id} is scheduled for ${when(t)}.`);
        go('/meetings');
      },
    }).panel);
    const held = heldChoice();
    const note = textField('Outcome note', { name: 'outcome', rows: '4', autocomplete: 'off' },
      'Needed when the meeting was held. Encrypted for the memo\'s readers.');
    panels.push(actionForm({
      title: 'Record the outcome',
      fields: [held.wrap, note.wrap],
      button: 'Record the outcome',
      busyText: 'Encrypting and saving…',
      expired,
      run: async () => {
        note.setError(null);
        const wasHeld = held.value() === 'held';
        const text = note.input.value;
        if (wasHeld && text.trim() === '') {
          note.setError('Write what the meeting concluded.');
          note.input.focus();
          return;
        }
        await wf.meetingOutcome(mt, wasHeld, text.trim() === '' ? '' : text);
        setNotice(`Meeting ${mt.id} is recorded as ${wasHeld ? 'held' : 'declined'}.`);
        go('/meetings');
      },
    }).panel);
  }
  return h('li', { class: 'memo' },
    h('article', { 'aria-labelledby': hid },
      h('h2', { id: hid }, `Meeting ${mt.id}`),
      facts([
        ['Memo', h('a', { href: `#/memo/${mt.memo}` }, `Memo ${mt.memo}`)],
        ['Principal', await mc.memberLabel(mt.principal)],
        ['Requested by', await mc.memberLabel(mt.requested_by)],
        ['State', STATES[mt.state] ?? mt.state],
        ['Requested', when(mt.created_at)],
        ['Scheduled for', when(mt.scheduled_at)],
      ]),
      ...panels));
}

// Show the meetings.
export async function render({ expired, go }) {
  const me = mc.own().member;
  const notice = takeNotice();
  const msg = messageBox();
  const status = statusLine('Loading your meetings…');
  const list = h('ul', { class: 'memo-list', 'aria-labelledby': 'meetings-title' });
  show('Meetings', h('h1', { id: 'meetings-title' }, 'Meetings'), notice, status, msg.el, list);
  try {
    const ms = await wf.meetings();
    const items = [];
    for (const mt of ms) items.push(await meetingItem(mt, me, expired, go));
    list.replaceChildren(...items);
    status.textContent = ms.length === 0 ? 'You have no meetings.' : `${ms.length} ${ms.length === 1 ? 'meeting' : 'meetings'}.`;
  } catch (e) {
    status.textContent = '';
    report(e, msg, expired);
  }
}
