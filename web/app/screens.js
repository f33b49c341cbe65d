// The signed-in screens and their routes (#/memo/ID, #/inbox, ...), the
// links of the header's menu for the member's roles, and the screen each
// role starts on.  app.js asks match() for a screen before its own.
import * as accesses from './screen-accesses.js';
import * as complaints from './screen-complaints.js';
import * as diff from './screen-diff.js';
import * as directory from './screen-directory.js';
import * as editor from './screen-editor.js';
import * as inbox from './screen-inbox.js';
import * as meetings from './screen-meetings.js';
import * as memoScreen from './screen-memo.js';
import * as reading from './screen-reading.js';
import * as receipt from './screen-receipt.js';
import * as stats from './screen-stats.js';
import { hasRole } from './names.js';
import { h } from './ui.js';

const ID = '(d_[0-9a-f]{24})';

// [pattern, screen(ctx, ...captures)]; ctx = {expired, go}.
const ROUTES = [
  [/^\/memos\/new$/, (ctx) => editor.render({ ...ctx, id: null })],
  [new RegExp(`^/memo/${ID}$`), (ctx, id) => memoScreen.render({ ...ctx, id })],
  [new RegExp(`^/memo/${ID}/edit$`), (ctx, id) => editor.render({ ...ctx, id })],
  [new RegExp(`^/memo/${ID}/diff/([1-9][0-9]{0,8})/([1-9][0-9]{0,8})$`),
    (ctx, id, a, b) => diff.render({ ...ctx, id, a: Number(a), b: Number(b) })],
  [new RegExp(`^/memo/${ID}/accesses$`), (ctx, id) => accesses.render({ ...ctx, id })],
  [new RegExp(`^/memo/${ID}/receipt$`), (ctx, id) => receipt.render({ ...ctx, id })],
  [/^\/inbox$/, (ctx) => inbox.render(ctx)],
  [/^\/stats$/, (ctx) => stats.render(ctx)],
  [/^\/reading$/, (ctx) => reading.render(ctx)],
  [/^\/meetings$/, (ctx) => meetings.render(ctx)],
  [/^\/complaints$/, (ctx) => complaints.render(ctx)],
  [/^\/complaint$/, (ctx) => complaints.renderFile(ctx)],
  [/^\/directory$/, (ctx) => directory.render(ctx)],
];

// The screen of `path` as a function of ctx, or null.
export function match(path) {
  for (const [re, screen] of ROUTES) {
    const m = re.exec(path);
    if (m) return (ctx) => screen(ctx, ...m.slice(1));
  }
  return null;
}

// The path a member starts on.
export function home(member) {
  return hasRole(member, 'admin') ? '/directory' : '/memos';
}

// The header's links for `member`, the current one marked.
export function navLinks(member, path) {
  const links = [];
  const add = (href, text) => links.push(h('a', { href: `#${href}`, 'aria-current': path === href ? 'page' : null }, text));
  if (hasRole(member, 'admin')) {
    add('/directory', 'Directory');
    return links;
  }
  add('/memos', 'My memos');
  if (hasRole(member, 'coordinator') || hasRole(member, 'director')) add('/inbox', 'Inbox');
  if (hasRole(member, 'principal')) add('/reading', 'Reading list');
  add('/meetings', 'Meetings');
  if (hasRole(member, 'coordinator') || hasRole(member, 'director') || hasRole(member, 'auditor')) add('/stats', 'Statistics');
  if (hasRole(member, 'auditor')) add('/complaints', 'Complaints');
  else add('/complaint', 'File a complaint');
  return links;
}
