// Two versions of a memo compared line by line: both decrypted in this
// page and checked against their hashes and the chain, under the
// watermark; removed lines struck through, added ones underlined, and
// each said in words for screen readers.
import { diffLines, lines } from './diff.js';
import * as mc from './memoclient.js';
import { report } from './names.js';
import { h, messageBox, section, show, statusLine } from './ui.js';
import { watermark } from './watermark.js';

const FIELDS = [
  ['title', 'Title'],
  ['topic', 'Topic'],
  ['marking', 'Marking'],
  ['summary', 'Summary'],
  ['body', 'Body'],
  ['alternatives', 'Alternatives considered'],
];

// Unchanged runs longer than this are folded to their first and last lines.
const CONTEXT = 3;

function diffList(d) {
  const items = [];
  let i = 0;
  while (i < d.length) {
    if (d[i].op !== 'same') {
      const e = d[i++];
      const tag = e.op === 'add' ? 'ins' : 'del';
      items.push(h('li', { class: e.op },
        h(tag, {}, h('span', { class: 'visually-hidden' }, e.op === 'add' ? 'Added: ' : 'Removed: '), e.text === '' ? ' ' : e.text)));
      continue;
    }
    let j = i;
    while (j < d.length && d[j].op === 'same') j++;
    const run = d.slice(i, j);
    const keep = (x) => items.push(h('li', { class: 'same' }, x.text === '' ? ' ' : x.text));
    if (run.length > 2 * CONTEXT + 1) {
      run.slice(0, i === 0 ? 0 : CONTEXT).forEach(keep);
      const hidden = run.length - (i === 0 ? 0 : CONTEXT) - (j === d.length ? 0 : CONTEXT);
      items.push(h('li', { class: 'fold' }, `… ${hidden} unchanged ${hidden === 1 ? 'line' : 'lines'} …`));
      run.slice(j === d.length ? run.length : run.length - CONTEXT).forEach(keep);
    } else {
      run.forEach(keep);
    }
    i = j;
  }
  return h('ol', { class: 'diff' }, items);
}

// Show versions `a` and `b` of memo `id` compared.
export async function render({ id, a, b, expired }) {
  const msg = messageBox();
  const status = statusLine('Decrypting both versions…');
  const title = `Memo ${id}: version ${a} and version ${b}`;
  show(title, h('h1', {}, title), status, msg.el);
  let keys = null;
  try {
    const m = await mc.fetchMemo(id);
    if (a < 1 || b < 1 || a > m.version || b > m.version) {
      status.textContent = '';
      msg.show(`This memo has versions 1 to ${m.version}. Choose two of them.`);
      return;
    }
    const list = await mc.versions(id);
    keys = await mc.openKeys(id);
    const va = await mc.openVersion(m, keys.key, a, list);
    const vb = await mc.openVersion(m, keys.key, b, list);
    mc.wipeKeys(keys);
    const doc = h('article', { class: 'memo-doc', 'aria-labelledby': 'diff-title' });
    const unchanged = [];
    const parts = [];
    for (const [k, label] of FIELDS) {
      const d = diffLines(lines(va.content[k]), lines(vb.content[k]));
      const added = d.filter((e) => e.op === 'add').length;
      const removed = d.filter((e) => e.op === 'del').length;
      if (added === 0 && removed === 0) unchanged.push(label.toLowerCase());
      else parts.push(section(label, h('p', {}, `${added} ${added === 1 ? 'line' : 'lines'} added, ${removed} removed.`), diffList(d)));
    }
    if (unchanged.length) parts.push(h('p', {}, `Unchanged: ${unchanged.join(', ')}.`));
    doc.append(h('h1', { id: 'diff-title' }, title), watermark(doc, mc.own().member),
      h('p', {}, `What changed from version ${a} to version ${b}. Both versions were checked against their hashes.`),
      ...parts, h('p', {}, h('a', { href: `#/memo/${id}` }, `Back to memo ${id}`)));
    show(title, doc);
  } catch (e) {
    mc.wipeKeys(keys);
    status.textContent = '';
    report(e, msg, expired);
  }
}
