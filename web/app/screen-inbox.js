// The channel's inbox (docs/API.md, "GET /channel/inbox"), for
// coordinators and the director: every memo the channel owes something,
// by the date it is due, overdue ones marked; and the channel key: its
// creation (once, by a coordinator) and its grant to other coordinators
// (purpose channel-key, context the instance id), each recipient's keys
// checked against the log first.
import { actionForm, lookupForm } from './actionform.js';
import * as api from './api.js';
import { wipe } from './bytes.js';
import * as memo from './memo.js';
import * as mc from './memoclient.js';
import { countText, hasRole, nextDue, report, stateName } from './names.js';
import { facts, h, messageBox, section, setNotice, show, statusLine, takeNotice, when } from './ui.js';

// What the channel owes on memo `m` next.
function owed(m) {
  if (m.state === 'submitted') return 'Acknowledgement';
  if (m.state === 'acknowledged' || m.state === 'assigned') return 'Reply';
  return null;
}

// One memo of the inbox as a list item.
function item(m, due, overdue) {
  const hid = `inbox-${m.id}`;
  const what = owed(m);
  return h('li', { class: overdue ? 'memo late' : 'memo' },
    h('article', { 'aria-labelledby': hid },
      h('h2', { id: hid }, h('span', { class: 'marking' }, m.marking), ' ', h('a', { href: `#/memo/${m.id}` }, `Memo ${m.id}`)),
      overdue ? h('p', { class: 'overdue' }, `Overdue since ${when(due)}`) : null,
      facts([
        ['State', stateName(m)],
        ['Topic', m.topic],
        [what ? `${what} due` : 'Due', due ? when(due) : 'nothing due'],
        ['Signatures', countText(m.counts)],
        ['Submitted', when(m.submitted_at)],
        ['Assignee', m.assignee ?? ''],
      ])));
}

// The channel key's panels for a coordinator.
function keyPanels(channel, expired, go) {
  if (!channel.pk) {
    return [actionForm({
      title: 'Create the channel key',
      intro: 'Memos can be submitted once the channel has a key. Create it once; it is sealed to you, and you grant it to the other coordinators.',
      button: 'Create the channel key',
      busyText: 'Creating…',
      expired,
      run: async () => {
        const s = mc.own();
        const inst = await mc.instance();
        const kp = memo.rosterKeypair();
        try {
          await api.post('/channel/key', {
            pk: mc.encodeKey(kp.pk),
            grant: mc.sealGrant(kp.sk, s.keys.pub.boxPk, mc.GRANT_CHANNEL, inst.instance_id),
          });
        } finally {
          wipe(kp.sk);
        }
        setNotice('The channel key exists and is sealed to you.');
        go('/inbox');
      },
    }).panel];
  }
  if (!channel.granted) {
    return [section('The channel key', h('p', {}, 'You hold no grant of the channel key: ask a coordinator who holds it to grant it to you.'))];
  }
  return [lookupForm({
    title: 'Grant the channel key',
    intro: 'Give another coordinator the channel key. Their keys are checked against the log first.',
    verb: 'Grant the channel key to',
    expired,
    run: async (target) => {
      const inst = await mc.instance();
      const ch = await mc.channelKeys();
      try {
        await api.post('/channel/grants', { member: target.id, grant: mc.sealGrant(ch.sk, target.pub.boxPk, mc.GRANT_CHANNEL, inst.instance_id) });
      } finally {
        wipe(ch.sk);
      }
      setNotice(`${target.member.display_name} holds the channel key now.`);
      go('/inbox');
    },
  }).panel];
}

// Show the inbox.
export async function render({ expired, go }) {
  const me = mc.own().member;
  const notice = takeNotice();
  const msg = messageBox();
  const status = statusLine('Loading the inbox…');
  show('Inbox', h('h1', {}, 'Inbox'), notice, status, msg.el);
  try {
    const r = await api.get('/channel/inbox');
    const memos = (Array.isArray(r?.memos) ? r.memos : []).map((m) => ({ m, ...nextDue(m) }));
    // By due date, those without one last (as `dissent channel inbox`).
    memos.sort((x, y) => (x.due === y.due ? 0 : x.due === 0 ? 1 : y.due === 0 ? -1 : x.due - y.due));
    const overdue = memos.filter((x) => x.overdue).length;
    const panels = [];
    if (hasRole(me, 'coordinator')) {
      const channel = await api.get('/channel');
      panels.push(...keyPanels({ pk: channel?.pk ?? null, granted: channel?.granted === true }, expired, go));
    }
    show('Inbox',
      h('h1', {}, 'Inbox'),
      notice,
      h('p', { role: 'status' }, memos.length === 0
        ? 'The inbox is empty.'
        : `${memos.length} ${memos.length === 1 ? 'memo' : 'memos'}, by due date${overdue ? `; ${overdue} overdue` : ''}.`),
      h('ul', { class: 'memo-list', 'aria-label': 'Memos by due date' }, memos.map((x) => item(x.m, x.due, x.overdue))),
      h('p', {}, h('a', { href: '#/stats' }, 'Statistics')),
      ...panels);
  } catch (e) {
    status.textContent = '';
    report(e, msg, expired);
  }
}
