// Small DOM helpers: elements built with text only (never parsed HTML),
// labelled form fields with their error messages, announcements for
// screen readers, and the focus moved to each new screen's heading.

// An element `tag` with attributes `attrs` (on* keys add listeners; true
// and false toggle boolean attributes) and children (strings become text).
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

let fieldSeq = 0;

// A labelled input with a hint and an error slot: {wrap, input, setError}.
// `tag` makes another control (textarea, select, with `children`).
export function field(label, attrs = {}, hint, tag = 'input', children = []) {
  const id = `f${++fieldSeq}`;
  const hintEl = hint ? h('p', { class: 'hint', id: `${id}-hint` }, hint) : null;
  const err = h('p', { class: 'field-error', id: `${id}-error`, hidden: true });
  const input = h(tag, {
    id,
    'aria-describedby': [hintEl ? `${id}-hint` : null, `${id}-error`].filter(Boolean).join(' '),
    ...attrs,
  }, children);
  const wrap = h('div', { class: 'field' }, h('label', { for: id }, label), hintEl, input, err);
  return {
    wrap,
    input,
    setError(msg) {
      err.textContent = msg ?? '';
      err.hidden = !msg;
      if (msg) input.setAttribute('aria-invalid', 'true');
      else input.removeAttribute('aria-invalid');
    },
  };
}

// A form-level message box (role="alert" for errors, "status" otherwise).
export function messageBox() {
  const el = h('div', { class: 'message', hidden: true, tabindex: '-1' });
  return {
    el,
    show(text, kind = 'error') {
      el.className = `message ${kind}`;
      el.setAttribute('role', kind === 'error' ? 'alert' : 'status');
      el.textContent = text;
      el.hidden = false;
    },
    clear() {
      el.hidden = true;
      el.textContent = '';
    },
  };
}

// Say `text` politely to screen readers.
export function announce(text) {
  const live = document.getElementById('announcer');
  if (!live) return;
  live.textContent = '';
  // A fresh text node is read even when the text repeats.
  setTimeout(() => {
    live.textContent = text;
  }, 50);
}

// Replace the main region with `nodes`, title the page `title` and move
// the focus to the screen's first heading.
export function show(title, ...nodes) {
  const main = document.getElementById('main');
  main.replaceChildren(...nodes.flat().filter((n) => n !== null && n !== undefined && n !== false));
  document.title = `${title} — dissent`;
  const heading = main.querySelector('h1');
  if (heading) {
    heading.setAttribute('tabindex', '-1');
    heading.focus();
  }
}

// Run `work` with `button` showing `busyText` and the form marked busy;
// the page paints the busy state before slow work (Argon2id) starts.
// Afterwards the button reads as before, or its data-next if work set it.
export async function busy(form, button, busyText, work) {
  const label = button.textContent;
  button.disabled = true;
  button.textContent = busyText;
  form.setAttribute('aria-busy', 'true');
  announce(busyText);
  await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
  try {
    return await work();
  } finally {
    button.disabled = false;
    // The work may name the button's next step (data-next).
    button.textContent = button.dataset.next ?? label;
    delete button.dataset.next;
    form.removeAttribute('aria-busy');
  }
}

// A date and time for people (the browser's locale), or "" for 0.
export function when(unixSeconds) {
  if (!unixSeconds) return '';
  return new Date(unixSeconds * 1000).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

// A labelled multi-line text field (see field()).
export function textField(label, attrs = {}, hint) {
  return field(label, { rows: '6', ...attrs }, hint, 'textarea');
}

// A labelled select of `options` ([value, text] pairs; see field()).
export function selectField(label, options, attrs = {}, hint) {
  return field(label, attrs, hint, 'select', options.map(([v, t]) => h('option', { value: v }, t)));
}

// A check box with its label after it: {wrap, input}.
export function checkField(label, attrs = {}) {
  const id = `f${++fieldSeq}`;
  const input = h('input', { id, type: 'checkbox', ...attrs });
  return { wrap: h('div', { class: 'check' }, input, h('label', { for: id }, label)), input };
}

// A group of check boxes under a legend: {wrap, boxes: [{value, input}],
// setError}.
export function checkGroup(legend, items, hint) {
  const id = `g${++fieldSeq}`;
  const hintEl = hint ? h('p', { class: 'hint', id: `${id}-hint` }, hint) : null;
  const err = h('p', { class: 'field-error', id: `${id}-error`, hidden: true });
  const boxes = items.map(([value, text, checked]) => ({ value, ...checkField(text, { value, checked: checked === true }) }));
  const wrap = h('fieldset', { class: 'group', 'aria-describedby': [hintEl ? `${id}-hint` : null, `${id}-error`].filter(Boolean).join(' ') },
    h('legend', {}, legend), hintEl, boxes.map((b) => b.wrap), err);
  return {
    wrap,
    boxes,
    setError(msg) {
      err.textContent = msg ?? '';
      err.hidden = !msg;
    },
  };
}

// A definition list of [term, value] pairs (values may be nodes); pairs
// whose value is empty are left out.
export function facts(pairs) {
  return h('dl', { class: 'facts' },
    pairs.filter(([, v]) => v !== undefined && v !== null && v !== '').flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
}

let sectionSeq = 0;

// A region with a level-2 heading `title`.
export function section(title, ...children) {
  const id = `s${++sectionSeq}`;
  return h('section', { class: 'panel', 'aria-labelledby': id }, h('h2', { id }, title), ...children);
}

// A table with a caption, column headers and rows of cells (text or nodes).
export function table(caption, headers, rows) {
  // Focusable, so that a keyboard can scroll a wide table on a phone.
  return h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': caption },
    h('table', {},
      h('caption', {}, caption),
      h('thead', {}, h('tr', {}, headers.map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, rows.map((r) => h('tr', {}, r.map((c, i) => (i === 0 ? h('th', { scope: 'row' }, c) : h('td', {}, c))))))));
}

// A status line (role="status") whose text can be set.
export function statusLine(text = '') {
  return h('p', { role: 'status', class: 'status' }, text);
}

let notice = null;

// Keep `text` to show on the next screen (after a change that moves on).
export function setNotice(text) {
  notice = text;
}

// The notice kept by setNotice() as a status paragraph, once, or null.
export function takeNotice() {
  const t = notice;
  notice = null;
  return t ? h('p', { class: 'message success', role: 'status' }, t) : null;
}
