// The Dashboards tab: the user's dashboards (from the per-user document, user_document.js) as a
// list; the chosen one's tiles each run their SQL and draw their chart, again every tile's
// refresh_seconds while the tab is open and the browser tab visible, and all at once on Refresh.
// A tile's failure shows in the tile; the others go on.
'use strict';

const DashboardsPage = (() => {
  const $ = (id) => document.getElementById(id);
  let selected = null;   // the shown dashboard's name
  let tiles = [];        // [{tile, chartEl, errorEl, metaEl, busy}]
  let timers = [];

  function stopTimers() {
    for (const t of timers) clearInterval(t);
    timers = [];
  }

  async function refreshTile(t) {
    if (t.busy) return;
    t.busy = true;
    t.metaEl.textContent = 'running\u2026';
    try {
      const r = await Api.query(t.tile.sql, { maxRows: 5000 });
      clearError(t.errorEl);
      ChartView.draw(t.chartEl, r, t.tile.chart);
      t.chartEl.dataset.rows = String(r.row_count);
      t.metaEl.textContent = `${r.row_count} rows \u00b7 updated ${new Date().toLocaleTimeString()} \u00b7 every ${t.tile.refresh_seconds || 60} s`;
    } catch (e) {
      ChartView.dispose(t.chartEl);
      showError(t.errorEl, e);
      t.metaEl.textContent = `failed at ${new Date().toLocaleTimeString()}`;
    } finally {
      t.busy = false;
    }
  }

  function refreshAll() { for (const t of tiles) refreshTile(t); }

  async function removeTile(index) {
    if (!confirm('Remove this tile?')) return;
    await UserDocument.update((doc) => {
      const dash = UserDocument.dashboard(doc, selected);
      if (dash) dash.tiles.splice(index, 1);
    });
    render();
  }

  async function deleteDashboard() {
    if (!selected || !confirm(`Delete the dashboard "${selected}"?`)) return;
    await UserDocument.update((doc) => { doc.dashboards = doc.dashboards.filter((d) => d.name !== selected); });
    selected = null;
    render();
  }

  function renderTiles(dash) {
    stopTimers();
    for (const t of tiles) ChartView.dispose(t.chartEl);
    tiles = [];
    const box = $('dashboard-tiles');
    box.replaceChildren();
    if (!dash) {
      box.append(h('div', { class: 'empty' }, 'No dashboards yet: run a query in the Editor, open its chart and save it to a dashboard.'));
      return;
    }
    dash.tiles.forEach((tile, index) => {
      const t = { tile, chartEl: h('div', { class: 'chart tile-chart', 'data-test': 'tile-chart' }),
        errorEl: h('div', { class: 'error', hidden: true }), metaEl: h('span', { class: 'status' }), busy: false };
      box.append(h('div', { class: 'card tile', 'data-test': 'tile' },
        h('div', { class: 'tile-head' },
          h('h3', { 'data-test': 'tile-title' }, tile.title),
          h('span', { class: 'spacer' }),
          h('button', { type: 'button', onclick: () => { App.go('editor'); EditorPage.open(tile.sql, tile.chart); } }, 'Open in editor'),
          h('button', { type: 'button', onclick: () => removeTile(index) }, 'Remove')),
        t.metaEl, t.errorEl, t.chartEl));
      tiles.push(t);
      timers.push(setInterval(() => { if (!document.hidden) refreshTile(t); },
        Math.max(5, Number(tile.refresh_seconds) || 60) * 1000));
    });
    refreshAll();
  }

  function render() {
    const doc = UserDocument.current;
    if (!UserDocument.dashboard(doc, selected)) selected = doc.dashboards.length ? doc.dashboards[0].name : null;
    $('dashboard-list').replaceChildren(...doc.dashboards.map((d) => h('li', null,
      h('button', { type: 'button', 'data-test': 'dashboard-item', class: d.name === selected ? 'active' : null,
        onclick: () => { selected = d.name; render(); } }, `${d.name} (${d.tiles.length})`))));
    $('dashboard-delete').disabled = !selected;
    renderTiles(UserDocument.dashboard(doc, selected));
  }

  async function show() {
    try {
      await UserDocument.load();
      $('dashboard-status').textContent = '';
    } catch (e) {
      $('dashboard-status').textContent = `Could not load the dashboards: ${e.message}`;
    }
    render();
  }

  function init() {
    $('dashboard-refresh').addEventListener('click', refreshAll);
    $('dashboard-delete').addEventListener('click', deleteDashboard);
  }

  return { init, show, hide: stopTimers };
})();
