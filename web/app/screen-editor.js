// The memo editor: a new memo, or the next version of one (docs/API.md,
// "POST /api/v1/memos" and "POST /api/v1/memos/{id}/versions").  The text
// is encrypted in this page under the memo key before it is sent; the
// body is Markdown kept exactly as typed (and always shown as text, never
// as HTML).  The form's fields are not remembered by the browser.
import * as api from './api.js';
import { utf8 } from './bytes.js';
import { instance } from './instance.js';
import * as memo from './memo.js';
import * as mc from './memoclient.js';
import { report } from './names.js';
import { busy, checkField, checkGroup, facts, field, h, messageBox, selectField, setNotice, show, statusLine, textField } from './ui.js';

// The default topics of an instance (docs/OPERATIONS.md, `topics`), used
// only if GET /instance does not list the server's own.
const DEFAULT_TOPICS = ['policy', 'operations', 'management', 'human-rights', 'security', 'other'];

// The server's topics from its description, if well formed, else the
// defaults.
async function serverTopics() {
  try {
    const t = (await instance())?.topics;
    if (Array.isArray(t) && t.length > 0 && t.length <= 64 && t.every((x) => typeof x === 'string' && memo.topicValid(x))) {
      return t;
    }
  } catch {
    // The defaults below; the server still checks the topic.
  }
  return DEFAULT_TOPICS;
}

// The first control character (but tab and line breaks when `multiline`)
// of `s`, or null.
function controlIn(s, multiline) {
  for (const ch of s) {
    const c = ch.codePointAt(0);
    if (multiline && (c === 0x09 || c === 0x0a || c === 0x0d)) continue;
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) return true;
  }
  return false;
}

// What is wrong with the text `s` of a field (min..max bytes), or null.
function textProblem(s, min, max, multiline, what) {
  let n;
  try {
    n = utf8(s).length;
  } catch {
    return `The ${what} holds a character that cannot be sent. Retype it.`;
  }
  if (n < min) return `Write the ${what}.`;
  if (n > max) return `The ${what} is too long: at most ${max.toLocaleString()} bytes (it has ${n.toLocaleString()}).`;
  if (controlIn(s, multiline)) {
    return multiline
      ? `The ${what} holds a control character. Remove it (tabs and line breaks are fine).`
      : `The ${what} must be one line without control characters.`;
  }
  return null;
}

// Show the editor: a new memo (`id` null) or the next version of memo `id`.
export async function render({ id, expired, go }) {
  const msg = messageBox();
  const status = statusLine(id ? 'Decrypting the current version…' : '');
  show(id ? 'New version' : 'New memo', h('h1', {}, id ? 'New version' : 'New memo'), status, msg.el);

  let m = null;
  let keys = null;
  let current = null;
  let orgs = [];
  try {
    if (id) {
      m = await mc.fetchMemo(id);
      keys = await mc.openKeys(id);
      current = await mc.openVersion(m, keys.key, m.version);
    } else {
      const r = await api.get('/orgs');
      orgs = Array.isArray(r?.orgs) ? r.orgs : [];
    }
  } catch (e) {
    mc.wipeKeys(keys);
    status.textContent = '';
    report(e, msg, expired);
    return;
  }
  status.textContent = '';
  // The keys are wiped when the person leaves the editor.
  window.addEventListener('hashchange', () => mc.wipeKeys(keys), { once: true });
  const c = current?.content ?? {};
  const TOPICS = await serverTopics();
  const off = { autocomplete: 'off' };
  const titleF = field('Title', { ...off, name: 'title', required: true, value: c.title ?? '' }, 'One line, at most 300 bytes.');
  const topicF = field('Topic', { ...off, name: 'topic', required: true, list: 'topic-list', value: c.topic ?? '', autocapitalize: 'none' },
    `One of this server's topics, in lower case: ${TOPICS.join(', ')}. The topic is not encrypted.`);
  const topicList = h('datalist', { id: 'topic-list' }, TOPICS.map((t) => h('option', { value: t })));
  const markingF = selectField('Marking', memo.MARKINGS.map((x) => [x, x]), { name: 'marking' },
    'The classification marking. It is not encrypted; the server refuses markings above its accreditation.');
  markingF.input.value = c.marking ?? 'SBU';
  const summaryF = textField('Summary (optional)', { ...off, name: 'summary', rows: '3' }, 'At most 4,000 bytes.');
  summaryF.input.value = c.summary ?? '';
  const bodyF = textField('Body', { ...off, name: 'body', rows: '14', required: true },
    'Markdown is kept exactly as you type it and is shown as plain text.');
  bodyF.input.value = c.body ?? '';
  const altF = textField('Alternatives considered (optional)', { ...off, name: 'alternatives', rows: '5' });
  altF.input.value = c.alternatives ?? '';

  const me = mc.own().member;
  const orgGroup = id ? null : checkGroup('Organisations whose members may sign',
    orgs.map((o) => [o.id, `${o.name} (${o.id})`, o.id === me.org]), 'One to eight organisations. Yours is chosen.');
  const inviteF = id ? null : checkField('Signers may invite other signers');

  const button = h('button', { type: 'submit', class: 'primary' }, id ? `Save as version ${m.version + 1}` : 'Save the draft');
  const cancel = h('a', { href: id ? `#/memo/${id}` : '#/memos' }, 'Cancel');
  const form = h('form', { novalidate: true, 'aria-labelledby': 'editor-title', autocomplete: 'off' },
    titleF.wrap, topicF.wrap, topicList, markingF.wrap, summaryF.wrap, bodyF.wrap, altF.wrap,
    orgGroup?.wrap, inviteF?.wrap, msg.el, h('p', { class: 'actions' }, button, ' ', cancel));

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    msg.clear();
    const content = {
      title: titleF.input.value.trim(),
      topic: topicF.input.value.trim(),
      marking: markingF.input.value,
      summary: summaryF.input.value,
      body: bodyF.input.value,
      alternatives: altF.input.value,
    };
    const problems = [
      [titleF, textProblem(content.title, 1, memo.TITLE_MAX, false, 'title')],
      [topicF, memo.topicValid(content.topic) ? null : 'Choose a topic: lower-case letters, digits and hyphens, starting with a letter.'],
      [summaryF, textProblem(content.summary, 0, memo.SUMMARY_MAX, true, 'summary')],
      [bodyF, textProblem(content.body, 1, memo.BODY_MAX, true, 'body')],
      [altF, textProblem(content.alternatives, 0, memo.ALTERNATIVES_MAX, true, 'alternatives')],
    ];
    for (const [f, p] of problems) f.setError(p);
    let chosen = [];
    if (orgGroup) {
      chosen = orgGroup.boxes.filter((b) => b.input.checked).map((b) => b.value);
      orgGroup.setError(chosen.length < 1 || chosen.length > 8 ? 'Choose one to eight organisations.' : null);
    }
    const first = problems.find(([, p]) => p);
    if (first) {
      first[0].input.focus();
      return;
    }
    if (orgGroup && (chosen.length < 1 || chosen.length > 8)) {
      orgGroup.boxes[0]?.input.focus();
      return;
    }
    await busy(form, button, 'Encrypting and saving…', async () => {
      try {
        if (id) {
          const next = await mc.addVersion(m, keys.key, current.hash, content);
          setNotice(`Saved as version ${next.version}. Earlier signatures no longer count until their signers sign again.`);
          mc.wipeKeys(keys);
        } else {
          const made = await mc.createMemo(content, chosen, inviteF.input.checked);
          setNotice('The draft is saved, encrypted. Invite co-drafters or open it for signatures when it is ready.');
          go(`/memo/${made.id}`);
          return;
        }
        go(`/memo/${id}`);
      } catch (e) {
        if (e.code === 'invalid_field' && /topic/.test(e.message)) {
          topicF.setError('This server does not know that topic. Choose one of its topics.');
          topicF.input.focus();
          return;
        }
        if (e.code === 'stale_version') {
          msg.show('Someone saved a new version meanwhile. Copy your changes, reload the memo and edit the new version.');
          msg.el.focus();
          return;
        }
        report(e, msg, expired);
      }
    });
  });

  show(id ? 'New version' : 'New memo',
    h('h1', { id: 'editor-title' }, id ? `New version of memo ${id}` : 'New memo'),
    id ? facts([['Current version', String(m.version)], ['Organisations', (m.eligible_orgs ?? []).join(', ')]]) : null,
    h('p', {}, 'Everything but the topic and the marking is encrypted in this browser before it is sent.'),
    form);
}
