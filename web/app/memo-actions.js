// The panels of a memo for its drafters, co-drafters, invitees and
// signers (docs/API.md, "Memos", "Invitations", "Signatures", "Meetings"):
// open for signatures, who sees signers and who may invite, invite, sign
// with one's name, withdraw one's signature, submit with the receipt
// checked, withdraw the memo, and ask a principal for a meeting.
import { actionForm, lookupForm } from './actionform.js';
import { anonActions } from './anon-actions.js';
import * as api from './api.js';
import * as mc from './memoclient.js';
import { countText } from './names.js';
import * as trust from './trust.js';
import { checkField, facts, h, selectField, setNotice } from './ui.js';

const has = (m, ...rels) => rels.some((r) => m.relations.includes(r));

// The panels for memo `m` (decrypted `current` version, `keys`) as the
// caller may act on it; `reload()` shows the memo again.
export function memoActions({ m, keys, current, expired, reload }) {
  const out = [];
  const drafting = has(m, 'drafter', 'codrafter');
  const beforeSubmit = m.state === 'draft' || m.state === 'open';
  const title = current?.content?.title ?? '';

  if (drafting && beforeSubmit) {
    out.push(h('p', { class: 'actions' }, h('a', { href: `#/memo/${m.id}/edit`, class: 'button secondary' }, 'Edit: write a new version')));
  }
  if (drafting && m.state === 'draft') {
    out.push(actionForm({
      title: 'Open for signatures',
      intro: 'Invited members can sign once the memo is open. You can still edit it; every edit makes earlier signatures count for nothing until their signers sign again.',
      button: 'Open for signatures',
      busyText: 'Opening…',
      expired,
      run: async () => {
        await api.post(`/memos/${m.id}/open`);
        setNotice('The memo is open for signatures.');
        reload();
      },
    }).panel);
  }
  if (drafting && beforeSubmit) {
    const show = checkField('Signers see each other\'s names', { checked: m.show_signers === true });
    const inv = checkField('Signers may invite other signers', { checked: m.signers_may_invite === true });
    out.push(actionForm({
      title: 'Who sees what',
      intro: 'Drafters always see who signed. Without the first choice, signers see only how many signed.',
      fields: [show.wrap, inv.wrap],
      button: 'Save these choices',
      busyText: 'Saving…',
      expired,
      run: async () => {
        await api.put(`/memos/${m.id}/settings`, { show_signers: show.input.checked, signers_may_invite: inv.input.checked });
        setNotice('The choices are saved.');
        reload();
      },
    }).panel);
  }
  const mayInvite = drafting || (m.signers_may_invite === true && has(m, 'invitee', 'signer'));
  if (mayInvite && beforeSubmit && keys) {
    const asF = drafting
      ? selectField('Invite as', [['signer', 'a signer'], ['codrafter', 'a co-drafter (may edit, invite and submit)']], { name: 'as' })
      : null;
    out.push(lookupForm({
      title: 'Invite a colleague',
      intro: 'Invite by handle. This browser checks the colleague\'s keys against the channel log before it gives them the memo key.',
      extra: asF ? [asF.wrap] : [],
      verb: 'Invite',
      expired,
      run: async (target) => {
        const as = asF?.input.value ?? 'signer';
        await mc.invite(m, keys, target, as);
        setNotice(`${target.member.display_name} is invited as ${as === 'codrafter' ? 'a co-drafter' : 'a signer'}.`);
        reload();
      },
    }).panel);
  }

  const maySign = has(m, 'drafter', 'codrafter', 'invitee', 'signer');
  if (maySign && beforeSubmit && current) {
    if (m.signed !== 'current') {
      out.push(actionForm({
        title: 'Sign',
        intro: m.signed === 'stale'
          ? `You signed an earlier version. Sign version ${m.version} to count again.`
          : `Your signature names you to those who may see signers. It covers exactly version ${m.version} of “${title}”.`,
        button: `Sign version ${m.version} with my name`,
        busyText: 'Signing…',
        expired,
        run: async () => {
          const counts = await mc.signNamed(m, current.hash);
          setNotice(`You signed version ${m.version}. The memo has ${countText(counts)} signatures.`);
          reload();
        },
      }).panel);
    }
    if (m.signed === 'current' || m.signed === 'stale') {
      out.push(actionForm({
        title: 'Withdraw my signature',
        intro: 'Until the memo is submitted you can take your signature back.',
        button: 'Withdraw my signature',
        busyText: 'Withdrawing…',
        expired,
        danger: true,
        run: async () => {
          await api.del(`/memos/${m.id}/signatures/mine`);
          setNotice('Your signature is withdrawn.');
          reload();
        },
      }).panel);
    }
  }

  if (maySign && m.state === 'open' && current) out.push(...anonActions({ m, current, expired, reload }));

  if (drafting && beforeSubmit && current && keys?.rosterSk) out.push(submitPanel({ m, keys, current, expired, reload, title }));

  if (drafting && ['draft', 'open', 'submitted'].includes(m.state)) {
    const sure = checkField('I want to withdraw this memo for good');
    out.push(actionForm({
      title: 'Withdraw the memo',
      intro: 'A withdrawn memo cannot be submitted or reopened. After acknowledgement a memo can no longer be withdrawn.',
      fields: [sure.wrap],
      button: 'Withdraw the memo',
      busyText: 'Withdrawing…',
      expired,
      danger: true,
      run: async () => {
        if (!sure.input.checked) throw new RangeError('Tick the box first: withdrawing cannot be undone.');
        const r = await api.post(`/memos/${m.id}/withdraw`);
        const check = await trust.receipt(r?.receipt ?? null, m.id, 'memo_withdrawn');
        setNotice(check.checked ? `The memo is withdrawn; the receipt verifies (log entry ${check.index}).` : 'The memo is withdrawn.');
        reload();
      },
    }).panel);
  }

  if (drafting && ['acknowledged', 'assigned', 'replied', 'closed'].includes(m.state)) {
    out.push(lookupForm({
      title: 'Ask for a meeting',
      intro: 'You may ask a principal this memo was distributed to for a meeting.',
      hint: 'The principal\'s handle.',
      verb: 'Ask for a meeting with',
      expired,
      run: async (target) => {
        await api.post(`/memos/${m.id}/meetings`, { principal: target.id });
        setNotice(`A meeting with ${target.member.display_name} is requested.`);
        reload();
      },
    }).panel);
  }
  return out;
}

// The submission panel: the channel key (checked against the log) and
// what will be frozen; the receipt is verified with the pinned key.
function submitPanel({ m, keys, current, expired, reload, title }) {
  const info = h('div', {});
  let channel = null;
  const f = actionForm({
    title: 'Submit to the channel',
    intro: `Submitting freezes version ${m.version} of “${title}” and its signatures (${countText(m.counts)}); signatures over earlier versions are dropped.`,
    fields: [info],
    button: 'Check the channel key',
    busyText: 'Working…',
    expired,
    run: async () => {
      if (!channel) {
        channel = await mc.channelPk();
        info.replaceChildren(facts([
          ['Channel key', h('code', {}, channel.fingerprint)],
          ['Key check', `published in the channel log, entry ${channel.check.index} (checked in this browser)`],
        ]));
        f.button.dataset.next = `Submit version ${m.version} to the channel`;
        return;
      }
      const r = await mc.submit(m, keys, current.hash, channel);
      setNotice(r.check.checked
        ? `Submitted. The receipt verifies: the channel log holds the submission at entry ${r.check.index}.`
        : 'Submitted. The server has not proved it in its log yet: open the receipt later.');
      reload();
    },
  });
  return f.panel;
}
