// The web console (console/web/) in a real browser against a running cluster: the system
// Chromium driven by puppeteer-core (tests/tools/node_modules, `make tools`; it never downloads a
// browser). Run by console_test.sh, which starts the cluster and fills the table console_t
// (id 1..4096, grp = id % 5, label 'row').
//
// Plain HTTP first (node's fetch): the pages and every file of console/assets.txt are served,
// /api/query and /metrics need a login, a wrong password is 401 28P01, a malformed JSON body is a
// 400 and the server still answers. Then in the browser: a wrong login shows the error and no
// data; the editor's grid, paging, bar and pie charts (an <svg> with drawn paths), a dashboard
// tile that draws again after a reload, the plan tree of Explain and Explain analyze, Cancel of a
// long query (57014), History, the Running page's Cancel (pg_cancel_backend), Cluster's nodes
// all up, logout. One PNG per page goes to --screens. Every wait is bounded (20 s); the whole
// run stops itself after 100 s.
//
//   node console_test.js --url http://127.0.0.1:PORT --user strata --password secret1 \
//        --screens DIR [--chromium /usr/bin/chromium]
'use strict';

const fs = require('fs');
const path = require('path');
const puppeteer = require(path.join(__dirname, '..', 'tools', 'node_modules', 'puppeteer-core'));

const kWait = 20000;  // the longest any one wait may take
const kWholeTest = 100000;

function parseArgs(argv) {
  const args = { chromium: '/usr/bin/chromium' };
  for (let i = 2; i < argv.length; i += 2) args[argv[i].replace(/^--/, '')] = argv[i + 1];
  for (const need of ['url', 'user', 'password', 'screens']) {
    if (!args[need]) throw new Error(`usage: console_test.js --url URL --user U --password P --screens DIR (missing --${need})`);
  }
  args.url = args.url.replace(/\/$/, '');
  return args;
}

const args = parseArgs(process.argv);
let passed = 0;
let failed = 0;

function check(name, ok, detail) {
  if (ok) {
    passed++;
    console.log(`ok   ${name}`);
  } else {
    failed++;
    console.log(`FAIL ${name}`);
    if (detail !== undefined) console.log(`  got: ${typeof detail === 'string' ? detail : JSON.stringify(detail)}`);
  }
  return ok;
}

// Runs one part of the test; an exception (a wait that timed out) fails it and the test goes on.
async function part(name, fn) {
  try {
    await fn();
  } catch (e) {
    check(name, false, e.message.split('\n')[0]);
  }
}

async function http(method, urlPath, { body, cookie, rawBody } = {}) {
  const headers = {};
  if (cookie) headers.Cookie = cookie;
  if (body !== undefined || rawBody !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(args.url + urlPath, {
    method, headers, body: rawBody !== undefined ? rawBody : body !== undefined ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(kWait + 15000),
  });
  const bytes = Buffer.from(await res.arrayBuffer());
  const text = bytes.toString('utf8');
  let json = null;
  try { json = JSON.parse(text); } catch (e) { /* not JSON */ }
  return { status: res.status, headers: res.headers, bytes, text, json };
}

async function waitForServer() {
  const until = Date.now() + kWait;
  for (;;) {
    try {
      return await http('GET', '/');
    } catch (e) {
      if (Date.now() > until) throw new Error(`${args.url} does not answer: ${e.message}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

async function httpChecks() {
  const index = await waitForServer();
  check('GET / serves the console page', index.status === 200 && /text\/html/.test(index.headers.get('content-type')) &&
    index.text.includes('id="login-form"'), `${index.status} ${index.headers.get('content-type')}`);

  const consoleDir = path.join(__dirname, '..', '..', 'console');
  const assets = fs.readFileSync(path.join(consoleDir, 'assets.txt'), 'utf8').split('\n')
    .filter((l) => l && !l.startsWith('#')).map((l) => l.split('\t'));
  const wrong = [];
  for (const [url, file, type] of assets) {
    const r = await http('GET', url);
    const source = path.join(consoleDir, file);
    const expected = fs.existsSync(source) ? fs.readFileSync(source) : null;  // (absent: vendored files not installed here)
    if (r.status !== 200 || r.headers.get('content-type') !== type || (expected !== null && !expected.equals(r.bytes))) {
      wrong.push(`${url}: ${r.status} ${r.headers.get('content-type')} ${r.bytes.length} bytes (file: ${expected && expected.length})`);
    }
  }
  check(`all ${assets.length} files of console/assets.txt are served byte for byte, with their types`, wrong.length === 0, wrong.join('; '));
  check('an unknown path is 404', (await http('GET', '/no-such-file.js')).status === 404);

  const anonymous = await http('POST', '/api/query', { body: { sql: 'select 1' } });
  check('/api/query without a session is 401', anonymous.status === 401, anonymous.status);
  check('/metrics without a login is 401', (await http('GET', '/metrics')).status === 401);
  const bad = await http('POST', '/api/login', { body: { user: args.user, password: 'wrong-password' } });
  check('a wrong password is 401 with SQLSTATE 28P01', bad.status === 401 && bad.json && bad.json.sqlstate === '28P01', bad.text);

  const login = await http('POST', '/api/login', { body: { user: args.user, password: args.password } });
  const setCookie = (login.headers.getSetCookie ? login.headers.getSetCookie() : [login.headers.get('set-cookie')]).join('\n');
  const session = /strata_session=[^;\s]+/.exec(setCookie);
  check('a login sets an HttpOnly session cookie', login.status === 200 && session !== null && /HttpOnly/i.test(setCookie),
    `${login.status} ${setCookie}`);
  if (!session) return null;
  const cookie = session[0];
  const me = await http('GET', '/api/me', { cookie });
  check('/api/me names the user', me.status === 200 && me.json && me.json.user === args.user, me.text);
  const malformed = await http('POST', '/api/query', { cookie, rawBody: '{"sql": "select 1", ' });
  check('a malformed JSON body to /api/query is 400 with an error', malformed.status === 400 && malformed.json && !!malformed.json.error,
    `${malformed.status} ${malformed.text}`);
  const after = await http('POST', '/api/query', { cookie, body: { sql: 'select 1 as one', max_rows: 10 } });
  check('and the server still answers', after.status === 200 && after.json && JSON.stringify(after.json.rows) === '[["1"]]', after.text);
  const missing = await http('POST', '/api/query', { cookie, body: { sql: 'select * from no_such_table_here' } });
  check('an SQL error is 400 with its SQLSTATE (42P01)', missing.status === 400 && missing.json && missing.json.sqlstate === '42P01',
    missing.text);
  const metrics = await http('GET', '/metrics', { cookie });
  check('/metrics with the session is Prometheus text', metrics.status === 200 && /^# (HELP|TYPE) /m.test(metrics.text),
    `${metrics.status} ${metrics.text.slice(0, 80)}`);
  return cookie;
}

async function main() {
  fs.mkdirSync(args.screens, { recursive: true });
  const cookie = await httpChecks();

  const browser = await puppeteer.launch({
    executablePath: args.chromium,
    headless: true,
    args: ['--no-sandbox', '--headless=new', '--disable-gpu', '--disable-dev-shm-usage'],
    timeout: kWait,
  });
  try {
    await browserChecks(browser, cookie);
  } finally {
    await browser.close();
  }
}

async function browserChecks(browser, cookie) {
  const page = await browser.newPage();
  page.setDefaultTimeout(kWait);
  await page.setViewport({ width: 1280, height: 900 });
  const scriptErrors = [];
  const missingFiles = [];
  page.on('pageerror', (e) => scriptErrors.push(e.message));
  page.on('response', (r) => {
    const u = new URL(r.url());
    if (r.status() === 404 && !u.pathname.startsWith('/api/') && u.pathname !== '/favicon.ico') missingFiles.push(u.pathname);
  });
  const shot = (name) => page.screenshot({ path: path.join(args.screens, `${name}.png`), fullPage: true });
  const text = (selector) => page.$eval(selector, (el) => el.textContent.trim());
  const visible = (selector) => page.$eval(selector, (el) => !el.hidden && el.offsetParent !== null).catch(() => false);
  const inPageStatus = (method, url) => page.evaluate(async (m, u) =>
    (await fetch(u, { method: m, body: m === 'POST' ? '{"sql": "select 1"}' : undefined })).status, method, url);
  const setSql = (sql) => page.evaluate((s) => document.querySelector('.CodeMirror').CodeMirror.setValue(s), sql);
  const gridRows = () => page.$$eval('#result-grid [data-test=grid-row]',
    (rows) => rows.map((r) => [...r.querySelectorAll('[data-test=grid-cell]')].map((c) => c.textContent)));
  // Clicks Run (or presses Ctrl-Enter) and waits for the answer.
  async function run(sql, { keys = false } = {}) {
    await setSql(sql);
    if (keys) {
      await page.click('.CodeMirror');
      await page.keyboard.down('Control');
      await page.keyboard.press('Enter');
      await page.keyboard.up('Control');
    } else {
      await page.click('#run');
    }
    await page.waitForFunction(() => document.getElementById('query-status').dataset.state !== 'running');
    return page.$eval('#query-status', (el) => el.dataset.state);
  }
  async function openTab(name) {
    await page.click(`#tabs button[data-tab=${name}]`);
    await page.waitForFunction((n) => !document.getElementById(`page-${n}`).hidden, {}, name);
  }
  const svgPaths = (selector) => page.$eval(selector, (el) => {
    const svg = el.querySelector('svg');
    if (!svg) return { paths: 0, width: 0, texts: [] };
    return { paths: svg.querySelectorAll('path').length, width: svg.getBoundingClientRect().width,
      texts: [...svg.querySelectorAll('text')].map((t) => t.textContent) };
  });

  await page.goto(`${args.url}/`, { waitUntil: 'load', timeout: kWait });
  await page.waitForSelector('#login-form', { visible: true });
  check('the login form shows and the tabs do not', await visible('#login-form') && !(await visible('#app')));
  check('fetch(/api/query) in the page without a session is 401', (await inPageStatus('POST', '/api/query')) === 401);
  await shot('login');

  await part('a wrong password shows its error', async () => {
    await page.type('#login-user', args.user);
    await page.type('#login-password', 'not-the-password');
    await page.click('#login-submit');
    await page.waitForSelector('#login-error:not([hidden])');
    const sqlstate = await text('#login-error [data-test=error-sqlstate]');
    check('a wrong password shows its error (28P01)', sqlstate === '28P01', await text('#login-error'));
    check('and no data', !(await visible('#app')) && (await page.$$('[data-test=grid-row]')).length === 0);
  });

  await page.$eval('#login-user', (el) => { el.value = ''; });
  await page.$eval('#login-password', (el) => { el.value = ''; });
  await page.type('#login-user', args.user);
  await page.type('#login-password', args.password);
  await page.click('#login-submit');
  const loggedIn = await page.waitForSelector('#app:not([hidden])').then(() => true, () => false);
  if (!check('the right password opens the console', loggedIn, await text('#login-error').catch(() => ''))) return;
  check('the top bar names the user', (await text('#whoami')).startsWith(args.user), await text('#whoami'));

  await part('the editor runs a query into the grid', async () => {
    const state = await run('select id, grp, label from console_t where id <= 3 order by id', { keys: true });
    check('Ctrl-Enter runs the editor\'s query', state === 'done', await text('#query-status'));
    const rows = await gridRows();
    check('the grid holds the rows', JSON.stringify(rows) === JSON.stringify([['1', '1', 'row'], ['2', '2', 'row'], ['3', '3', 'row']]), rows);
    check('the row count is 3', (await text('#result-count')) === '3 rows', await text('#result-count'));
    await shot('editor');
  });

  await part('the grid pages', async () => {
    await run('select id from console_t where id <= 250 order by id');
    check('250 rows counted', (await text('#result-count')) === '250 rows', await text('#result-count'));
    let rows = await gridRows();
    check('the first page shows rows 1..100', rows.length === 100 && rows[0][0] === '1' && rows[99][0] === '100', rows.length);
    await page.click('#grid-next');
    rows = await gridRows();
    check('the next page shows rows 101..200', rows.length === 100 && rows[0][0] === '101' && rows[99][0] === '200' &&
      (await text('#grid-page')) === '101\u2013200 of 250', `${rows.length} ${rows[0]} ${await text('#grid-page')}`);
    await page.click('#grid-next');
    rows = await gridRows();
    check('the last page holds the last 50 and Next is off', rows.length === 50 && rows[49][0] === '250' &&
      await page.$eval('#grid-next', (b) => b.disabled), rows.length);
    await page.click('#grid-prev');
    check('Prev goes back', (await gridRows())[0][0] === '101');
  });

  await part('charts', async () => {
    await run('select grp, count(*) as n, sum(id) as total from console_t group by grp order by grp');
    await page.click('.subtabs button[data-view=chart]');
    await page.select('#chart-type', 'bar');
    await page.select('#chart-x', 'grp');
    await page.select('#chart-y', 'n', 'total');
    await page.click('#chart-draw');
    await page.waitForSelector('#chart svg path');
    const bar = await svgPaths('#chart');
    check('a bar chart is an <svg> with bars drawn (5 groups x 2 series)', bar.width > 100 && bar.paths >= 10, bar);
    check('its legend names both series', bar.texts.includes('n') && bar.texts.includes('total'), bar.texts);
    await page.select('#chart-type', 'pie');
    await page.select('#chart-y', 'n');
    await page.waitForFunction(() => document.getElementById('chart').dataset.chartType === 'pie');
    const pie = await svgPaths('#chart');
    check('a pie chart draws its 5 sectors', pie.width > 100 && pie.paths >= 5 && ['0', '1', '2', '3', '4'].every((g) => pie.texts.includes(g)), pie);
    check('no chart error shows', !(await visible('#query-error')));
    await shot('chart');
  });

  await part('a dashboard tile', async () => {
    await page.$eval('#save-dashboard-name', (el) => { el.value = 'Console test'; });
    await page.$eval('#save-tile-title', (el) => { el.value = 'Rows by group'; });
    await page.click('#save-tile');
    await page.waitForFunction(() => /Saved/.test(document.getElementById('save-tile-status').textContent));
    check('the tile is saved', true);
    await openTab('dashboards');
    await page.waitForSelector('[data-test=dashboard-item]');
    const names = await page.$$eval('[data-test=dashboard-item]', (b) => b.map((x) => x.textContent));
    check('the dashboard is listed', names.some((n) => n.startsWith('Console test')), names);
    await page.reload({ waitUntil: 'load' });
    await page.waitForSelector('#page-dashboards:not([hidden]) [data-test=tile] [data-test=tile-chart] svg path');
    check('after a reload its tile is there', (await text('[data-test=tile-title]')) === 'Rows by group', await text('[data-test=tile-title]'));
    await page.waitForFunction(() => document.querySelectorAll('[data-test=tile-chart] svg path').length >= 5);
    const tile = await svgPaths('[data-test=tile-chart]');
    check('and draws its pie from its SQL', tile.paths >= 5 && tile.width > 100, tile);
    await page.click('#dashboard-refresh');
    await page.waitForFunction(() => /updated/.test(document.querySelector('[data-test=tile] .status').textContent));
    check('Refresh runs the tile again', (await svgPaths('[data-test=tile-chart]')).paths >= 5);
    await shot('dashboards');
  });

  await part('plans', async () => {
    await openTab('editor');
    await setSql('select grp, count(*) from console_t group by grp');
    await page.click('#explain');
    await page.waitForSelector('#view-plan:not([hidden]) #plan [data-test=plan-node]');
    const nodes = await page.$$eval('#plan [data-test=plan-node]', (n) => n.length);
    const nested = await page.$$eval('#plan [data-test=plan-node] [data-test=plan-node]', (n) => n.length);
    const names = await page.$$eval('#plan [data-test=plan-name]', (n) => n.map((x) => x.textContent));
    check('Explain draws a plan tree with nested nodes', nodes >= 2 && nested >= 1 && names.every((n) => n.length > 0), names);
    await page.$eval('#plan', (el) => el.replaceChildren());
    await page.click('#explain-analyze');
    await page.waitForSelector('#plan [data-test=plan-node]');
    const analyzed = await page.$eval('#plan', (el) => el.textContent);
    check('Explain analyze draws the tree and what ran', (await page.$$('#plan [data-test=plan-node]')).length >= 2 && /actual/i.test(analyzed),
      analyzed.slice(0, 200));
    await shot('plan');
  });

  await part('Cancel stops a long query', async () => {
    await setSql('set statement_timeout to 30000; select count(*) from console_t a, console_t b, console_t c');
    await page.click('#run');
    await new Promise((r) => setTimeout(r, 1500));
    check('the long query is still running after 1.5 s', (await page.$eval('#query-status', (el) => el.dataset.state)) === 'running',
      await text('#query-status'));
    const cancelled = Date.now();
    await page.click('#cancel');
    await page.waitForFunction(() => document.getElementById('query-status').dataset.state !== 'running');
    const seconds = (Date.now() - cancelled) / 1000;
    const sqlstate = await text('#query-error [data-test=error-sqlstate]').catch(() => '');
    check('Cancel ends it with 57014', sqlstate === '57014', `${sqlstate} ${await text('#query-error').catch(() => '')}`);
    check('within 10 s, long before its statement_timeout', seconds < 10, seconds);
  });

  await part('History', async () => {
    await openTab('history');
    const listed = () => page.$$eval('[data-test=history-row]', (rows) => rows.map((r) => ({ state: r.dataset.state, text: r.textContent })));
    let rows = [];
    const until = Date.now() + kWait;
    for (;;) {
      await page.waitForSelector('[data-test=history-row]');
      rows = await listed();
      if (rows.some((r) => r.text.includes('console_t a, console_t b')) || Date.now() > until) break;
      await new Promise((r) => setTimeout(r, 500));
      await page.click('#history-refresh');
    }
    const grid = rows.find((r) => r.text.includes('where id <= 3'));
    const long = rows.find((r) => r.text.includes('console_t a, console_t b'));
    check('History lists the editor\'s query as a success', grid && grid.state.trim() === 'success', grid);
    check('and the cancelled one as canceled', long && long.state.trim() === 'canceled', long);
    await shot('history');
  });

  await part('Running', async () => {
    await openTab('running');
    const tag = `running-page-${Date.now()}`;
    const sql = 'set statement_timeout to 30000; select count(*) from console_t ra, console_t rb, console_t rc';
    const longQuery = http('POST', '/api/query', { cookie, body: { sql, tag, max_rows: 10 } });
    try {
      const row = await page.waitForFunction(() => [...document.querySelectorAll('[data-test=running-row]')]
        .find((r) => r.textContent.includes('console_t ra')), { timeout: kWait }).catch(() => null);
      check('Running lists a query of another session', row !== null);
      await shot('running');
      if (row) {
        const started = Date.now();
        await page.evaluate((r) => r.querySelector('[data-test=cancel-backend]').click(), row);
        const answer = await Promise.race([longQuery, new Promise((r) => setTimeout(() => r(null), kWait))]);
        check('its Cancel button (pg_cancel_backend) ends it with 57014', answer && answer.json && answer.json.sqlstate === '57014',
          answer ? answer.text : 'no answer in 20 s');
        check('within 10 s', Date.now() - started < 10000, Date.now() - started);
      }
    } finally {
      await http('POST', '/api/cancel', { cookie, body: { tag } }).catch(() => null);
      await longQuery.catch(() => null);
    }
  });

  await part('Cluster', async () => {
    await openTab('cluster');
    let states = [];
    const until = Date.now() + kWait;
    for (;;) {
      await page.waitForSelector('[data-test=node-row]');
      states = await page.$$eval('[data-test=node-row]', (rows) => rows.map((r) => r.dataset.state));
      if (states.every((s) => s === 'up') || Date.now() > until) break;
      await new Promise((r) => setTimeout(r, 1000));
      await page.click('#cluster-refresh');
    }
    check('Cluster lists the nodes, all up', states.length >= 1 && states.every((s) => s === 'up'), states);
    await page.waitForSelector('#cluster-usage-chart svg path');
    check('and draws their memory and disk use', (await svgPaths('#cluster-usage-chart')).paths > 0);
    const tables = await page.$$eval('[data-test=table-row]', (rows) => rows.map((r) => r.textContent));
    check('the table list has console_t with its 4096 rows', tables.some((t) => t.includes('console_t') && t.includes('4096')), tables);
    await shot('cluster');
  });

  await page.click('#logout');
  await page.waitForSelector('#login-form', { visible: true });
  check('Log out brings the login back and ends the session', (await inPageStatus('GET', '/api/me')) === 401);
  check('no script errors in the page', scriptErrors.length === 0, scriptErrors);
  check('no file the page asked for is missing', missingFiles.length === 0, missingFiles);
}

setTimeout(() => {
  console.log(`FAIL the test did not finish in ${kWholeTest / 1000} s`);
  console.log(`browser: ${passed} passed, ${failed + 1} failed`);
  process.exit(1);
}, kWholeTest).unref();

main().then(() => {
  console.log(`browser: ${passed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
}, (e) => {
  console.log(`FAIL ${e.stack || e}`);
  console.log(`browser: ${passed} passed, ${failed + 1} failed`);
  process.exit(1);
});
