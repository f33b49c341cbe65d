// The channel's statistics (docs/API.md, "GET /stats"), for coordinators,
// the director and auditors: per period and topic, how many memos, how
// many acknowledged and replied, the median times and the share on time.
// Cells with too few authors are withheld by the server and shown so.
import * as api from './api.js';
import { report } from './names.js';
import { h, messageBox, selectField, show, statusLine, table } from './ui.js';

const PERIODS = [['month', 'By month'], ['quarter', 'By quarter'], ['year', 'By year']];

function days(seconds) {
  if (seconds === null || seconds === undefined) return '–';
  return `${(seconds / 86400).toFixed(1)} days`;
}

function share(x) {
  return x === null || x === undefined ? '–' : `${Math.round(x * 100)} %`;
}

function num(x) {
  return x === null || x === undefined ? '–' : String(x);
}

// Show the statistics.
export async function render({ expired }) {
  const msg = messageBox();
  const period = selectField('Period', PERIODS, { name: 'period' });
  const out = h('div', {});
  const status = statusLine('');
  const form = h('form', { class: 'inline' }, period.wrap, h('button', { type: 'submit', class: 'secondary' }, 'Show'));
  show('Statistics', h('h1', {}, 'Statistics'),
    h('p', {}, 'Memos that reached the channel, by the period of their submission. Cells from fewer authors than the server\'s minimum are withheld so that nobody can be singled out.'),
    form, status, msg.el, out);

  async function load() {
    msg.clear();
    status.textContent = 'Loading…';
    try {
      const r = await api.get(`/stats?period=${period.input.value}`);
      const cells = Array.isArray(r?.cells) ? r.cells : [];
      status.textContent = cells.length ? `${cells.length} rows.` : 'No memo has reached the channel yet.';
      const rows = cells.map((c) => [
        c.period,
        c.topic === '' ? 'all topics' : c.topic,
        c.suppressed ? 'withheld' : num(c.memos),
        num(c.acknowledged),
        days(c.ack_median_seconds),
        share(c.ack_on_time),
        num(c.replied),
        days(c.reply_median_seconds),
        share(c.reply_on_time),
      ]);
      out.replaceChildren(rows.length
        ? table(`Statistics, minimum ${r.min_authors} authors per cell`,
          ['Period', 'Topic', 'Memos', 'Acknowledged', 'Median to acknowledge', 'Acknowledged on time', 'Replied', 'Median to reply', 'Replied on time'], rows)
        : '');
    } catch (e) {
      status.textContent = '';
      report(e, msg, expired);
    }
  }
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    load();
  });
  await load();
}
