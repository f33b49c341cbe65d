// The application shell: the instance's name, the account menu and the
// screens, chosen by the location's hash (#/login, #/enroll, #/memos) so
// that dissentd serves one page.
import * as account from './account.js';
import * as api from './api.js';
import * as enrollScreen from './screen-enroll.js';
import * as logScreen from './screen-log.js';
import * as loginScreen from './screen-login.js';
import * as memosScreen from './screen-memos.js';
import * as screens from './screens.js';
import * as session from './session.js';
import { announce, h, show } from './ui.js';

const state = { instance: null, notice: null, handle: null };

// Go to the screen `path` ("/login", ...).
function go(path) {
  if (location.hash === `#${path}`) route();
  else location.hash = path;
}

// The session has ended on the server: back to the login.
function sessionExpired() {
  session.end();
  state.notice = 'Your session has ended. Log in again.';
  go('/login');
}

// The header's account menu: who is signed in, and logout.
function renderNav() {
  const nav = document.getElementById('nav');
  const s = session.get();
  if (!s) {
    nav.replaceChildren();
    return;
  }
  const out = h('button', { type: 'button', class: 'secondary', id: 'logout' }, 'Log out');
  out.addEventListener('click', async () => {
    out.disabled = true;
    try {
      await account.logout();
      state.notice = 'You are logged out.';
    } catch (e) {
      state.notice = `You are logged out of this page, but the server did not confirm: ${api.advice(e)}`;
    }
    go('/login');
    announce(state.notice);
  });
  nav.replaceChildren(
    h('span', { class: 'who' }, `${s.member.display_name} (${s.member.handle})`),
    ...screens.navLinks(s.member, location.hash.slice(1)),
    ...(s.member.roles?.includes('auditor') ? [h('a', { href: '#/log' }, 'Channel log')] : []),
    out,
  );
}

// Show the screen the hash names.
function route() {
  const hash = location.hash;
  // In-page links (the skip link) are not screens.
  if (hash && !hash.startsWith('#/')) return;
  const path = hash.slice(1) || '/login';
  // The channel log, for any member signed in (it holds no content).
  if (path === '/log' && session.get()) {
    renderNav();
    logScreen.render({ instance: state.instance, expired: sessionExpired });
    return;
  }
  // The signed-in screens of screens.js.
  const screen = screens.match(path);
  if (screen) {
    if (!session.get()) {
      state.notice ??= 'Log in first.';
      go('/login');
      return;
    }
    renderNav();
    screen({ go, expired: sessionExpired });
    return;
  }
  if (path === '/memos') {
    if (!session.get()) {
      state.notice ??= 'Log in to see your memos.';
      go('/login');
      return;
    }
    renderNav();
    memosScreen.render({
      expired: () => {
        session.end();
        state.notice = 'Your session has ended. Log in again.';
        go('/login');
      },
    });
    return;
  }
  if (session.get()) {
    go(screens.home(session.get().member));
    return;
  }
  renderNav();
  if (path === '/enroll') {
    enrollScreen.render({
      instance: state.instance,
      done: (handle) => {
        state.handle = handle;
        state.notice = 'Enrollment is complete. Log in with your new password.';
        go('/login');
      },
    });
    return;
  }
  const notice = state.notice;
  state.notice = null;
  loginScreen.render({
    instance: state.instance,
    notice,
    handle: state.handle,
    done: () => go(screens.home(session.get().member)),
  });
}

async function start() {
  try {
    state.instance = await api.get('/instance');
    document.getElementById('instance-name').textContent = state.instance.name ?? '';
  } catch (e) {
    show('Unavailable', h('h1', {}, 'dissent is unavailable'), h('p', { role: 'alert' }, api.advice(e)));
    return;
  }
  // A session cookie left without its keys (a reload, a closed tab): end
  // it rather than leave a session nobody can use.
  if (account.sessionMayExist()) {
    try {
      await api.get('/auth/session');
      await account.logout();
      state.notice = 'Your keys are kept only in the tab where you log in, so a reload logs you out. Log in again.';
    } catch {
      // It had ended already.
    }
    account.forgetSessionMark();
  }
  window.addEventListener('hashchange', route);
  route();
}

start();
