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
export function field(label, attrs = {}, hint) {
  const id = `f${++fieldSeq}`;
  const hintEl = hint ? h('p', { class: 'hint', id: `${id}-hint` }, hint) : null;
  const err = h('p', { class: 'field-error', id: `${id}-error`, hidden: true });
  const input = h('input', {
    id,
    'aria-describedby': [hintEl ? `${id}-hint` : null, `${id}-error`].filter(Boolean).join(' '),
    ...attrs,
  });
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
    button.textContent = label;
    form.removeAttribute('aria-busy');
  }
}

// A date and time for people (the browser's locale), or "" for 0.
export function when(unixSeconds) {
  if (!unixSeconds) return '';
  return new Date(unixSeconds * 1000).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}
