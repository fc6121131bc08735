// The console's start: asks /api/me whether a session exists, shows the login form or the tabs,
// and switches tabs by the URL's #fragment (so a reload stays on the same tab). Each tab is a
// page object with init / show / hide (editor.js, dashboards.js, history.js, running.js,
// cluster.js); hide stops its timers. A request that finds the session gone brings the login back.
'use strict';

const App = (() => {
  const $ = (id) => document.getElementById(id);
  const pages = { editor: EditorPage, dashboards: DashboardsPage, history: HistoryPage, running: RunningPage, cluster: ClusterPage };
  let current = null;

  function switchTo(name) {
    if (!pages[name]) name = 'editor';
    if (current && current !== name) pages[current].hide();
    for (const key of Object.keys(pages)) $(`page-${key}`).hidden = key !== name;
    for (const b of document.querySelectorAll('#tabs button')) b.classList.toggle('active', b.dataset.tab === name);
    current = name;
    pages[name].show();
  }

  function go(name) {
    if (location.hash === `#${name}`) switchTo(name);
    else location.hash = name;  // hashchange switches
  }

  function showLogin(message) {
    if (current) pages[current].hide();
    current = null;
    $('app').hidden = true;
    $('tabs').hidden = true;
    $('logout').hidden = true;
    $('whoami').textContent = '';
    $('login-page').hidden = false;
    if (message) showError($('login-error'), { message });
    $('login-user').focus();
  }

  function loggedIn(me) {
    $('login-page').hidden = true;
    clearError($('login-error'));
    $('login-password').value = '';
    $('app').hidden = false;
    $('tabs').hidden = false;
    $('logout').hidden = false;
    $('whoami').textContent = me.superuser ? `${me.user} (superuser)` : me.user;
    switchTo(location.hash.slice(1));
  }

  async function login(event) {
    event.preventDefault();
    $('login-submit').disabled = true;
    try {
      loggedIn(await Api.login($('login-user').value.trim(), $('login-password').value));
    } catch (e) {
      showError($('login-error'), e);
    } finally {
      $('login-submit').disabled = false;
    }
  }

  async function logout() {
    try { await Api.logout(); } catch (e) { /* the session is gone either way */ }
    location.replace(location.pathname);  // a fresh page: no data of the last session stays
  }

  async function start() {
    for (const page of Object.values(pages)) page.init();
    $('login-form').addEventListener('submit', login);
    $('logout').addEventListener('click', logout);
    for (const b of document.querySelectorAll('#tabs button')) b.addEventListener('click', () => go(b.dataset.tab));
    window.addEventListener('hashchange', () => { if (current) switchTo(location.hash.slice(1)); });
    Api.onUnauthorized = () => { if (current) showLogin('Your session has ended: log in again.'); };
    try {
      loggedIn(await Api.me());
    } catch (e) {
      showLogin(e.status === 401 ? '' : e.message);
    }
  }

  start();
  return { go };
})();
