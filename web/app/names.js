// Words for what the API says in codes: memo states, relations, roles,
// access kinds; a memo's due dates and counts as people read them; and
// the one way every screen reports a failure.
import { advice, ApiError } from './api.js';
import { when } from './ui.js';

export const STATE_NAMES = Object.freeze({
  draft: 'Draft',
  open: 'Open for signatures',
  submitted: 'Submitted',
  acknowledged: 'Acknowledged',
  redirected: 'Redirected',
  assigned: 'Assigned',
  replied: 'Replied',
  closed: 'Closed',
  withdrawn: 'Withdrawn',
});

export const RELATION_NAMES = Object.freeze({
  drafter: 'drafter',
  codrafter: 'co-drafter',
  invitee: 'invited',
  signer: 'signer',
  assignee: 'assignee',
  principal: 'principal',
});

export const ROLE_NAMES = Object.freeze({
  member: 'member',
  coordinator: 'coordinator',
  director: 'director',
  principal: 'principal',
  auditor: 'auditor',
  admin: 'administrator',
});

export const ACCESS_NAMES = Object.freeze({
  grant: 'was given a key',
  key: 'fetched the memo key',
  content: 'read a version',
  signers: 'read the signer list',
  replies: 'read the replies',
});

const DUE_NAMES = { ack: 'acknowledgement', reply: 'reply', escalation: 'escalation' };

// The state of memo `m` in words.
export function stateName(m) {
  return STATE_NAMES[m.state] ?? m.state;
}

// The caller's relations to `m` in words ("drafter, signer"), or "".
export function relationText(m) {
  return (m.relations ?? []).map((r) => RELATION_NAMES[r] ?? r).join(', ');
}

// "N named, M anonymous" (and stale ones, while they exist).
export function countText(counts) {
  const c = counts ?? {};
  const stale = c.named_stale ? ` (and ${c.named_stale} over an earlier version)` : '';
  return `${c.named ?? 0} named${stale}, ${c.anonymous ?? 0} anonymous`;
}

// "Overdue: acknowledgement, reply" for the missed deadlines, or "".
export function missedText(m) {
  const missed = Array.isArray(m.missed) ? m.missed : [];
  return missed.length ? `Overdue: ${missed.map((k) => DUE_NAMES[k] ?? k).join(', ')}` : '';
}

// The due date the channel owes next (cmd_memo_due()): {due, overdue}.
export function nextDue(m, now = Date.now() / 1000) {
  let due = 0;
  if (Number.isInteger(m.next_due)) due = m.next_due;
  else if (m.state === 'submitted') due = m.due?.ack ?? 0;
  else if (m.state === 'acknowledged' || m.state === 'assigned') due = m.due?.reply ?? 0;
  const overdue = m.overdue === true || (due > 0 && due < now);
  return { due, overdue };
}

// The rows of facts every memo view shows.
export function memoFacts(m) {
  return [
    ['Memo', m.id],
    ['State', stateName(m)],
    ['Topic', m.topic],
    ['Marking', m.marking],
    ['Version', String(m.version)],
    ['Signatures', countText(m.counts)],
    ['Your part', relationText(m)],
    ['Created', when(m.created_at)],
    ['Submitted', when(m.submitted_at)],
    ['Acknowledged', when(m.acked_at)],
    ['Acknowledgement due', m.state === 'submitted' ? when(m.due?.ack) : ''],
    ['Reply due', ['submitted', 'acknowledged', 'assigned'].includes(m.state) ? when(m.due?.reply) : ''],
    ['Replied', when(m.replied_at)],
    ['Closed', when(m.closed_at)],
    ['Withdrawn', when(m.withdrawn_at)],
  ];
}

// Whether the signed-in member holds the role `role`.
export function hasRole(member, role) {
  return Array.isArray(member?.roles) && member.roles.includes(role);
}

// Report the failure `e` in the message box `msg` (and move the focus to
// it), or end the screen through `expired` when the session has ended.
export function report(e, msg, expired) {
  if (e instanceof ApiError && e.status === 401 && e.code === 'unauthenticated') {
    expired();
    return;
  }
  msg.show(advice(e));
  msg.el.focus();
}
