// The Editor tab: a CodeMirror 5 SQL editor (completion of schema, table and column names from
// information_schema.columns), Run (Ctrl-Enter) and Cancel, the paged result grid, the chart
// panel (type, X, Y columns; saved as a dashboard tile), Explain / Explain analyze drawing the
// plan tree, and saved queries. Cancel asks /api/cancel by the running query's tag, again
// for a few seconds while the server has not started it yet.
'use strict';

const EditorPage = (() => {
  const $ = (id) => document.getElementById(id);
  let cm = null;
  let grid = null;
  let lastResult = null;
  let running = null;        // {tag} of the /api/query in flight
  let completion = { tables: {}, columns: [] };
  let completionLoaded = false;
  let view = 'results';
  let pendingChart = null;   // chart settings of a tile opened from a dashboard, for its next result

  // Splits SQL text at semicolons outside quotes and comments (for Explain of the last statement).
  function splitStatements(sql) {
    const out = [];
    let start = 0;
    for (let i = 0; i < sql.length; i++) {
      const c = sql[i];
      if (c === "'" || c === '"') {
        const close = sql.indexOf(c, i + 1);
        i = close < 0 ? sql.length : close;
      } else if (c === '-' && sql[i + 1] === '-') {
        const nl = sql.indexOf('\n', i);
        i = nl < 0 ? sql.length : nl;
      } else if (c === '/' && sql[i + 1] === '*') {
        const end = sql.indexOf('*/', i + 2);
        i = end < 0 ? sql.length : end + 1;
      } else if (c === ';') {
        out.push(sql.slice(start, i));
        start = i + 1;
      }
    }
    out.push(sql.slice(start));
    return out.map((s) => s.trim()).filter((s) => s !== '');
  }

  async function loadCompletion() {
    try {
      const r = await Api.query(
        "select table_schema, table_name, column_name from information_schema.columns " +
        "where table_schema not in ('pg_catalog', 'information_schema')", { maxRows: 20000 });
      const tables = {};
      const columns = new Set();
      for (const [schema, table, column] of r.rows) {
        for (const name of [table, `${schema}.${table}`]) (tables[name] = tables[name] || []).push(column);
        columns.add(column);
      }
      completion = { tables, columns: [...columns].sort() };
      cm.setOption('hintOptions', Object.assign({}, cm.getOption('hintOptions'), { tables }));
      completionLoaded = true;
    } catch (e) {
      completionLoaded = false;  // the editor works without completion; try again on the next visit
    }
  }

  // sql-hint completes keywords and table names (and table.column); add bare column names too.
  function hint(editor, options) {
    const result = CodeMirror.hint.sql(editor, options);
    const word = editor.getRange(result.from, result.to);
    if (!word.includes('.') && /^\w+$/.test(word)) {
      const seen = new Set(result.list.map((item) => (typeof item === 'string' ? item : item.text)));
      for (const c of completion.columns) {
        if (c.toLowerCase().startsWith(word.toLowerCase()) && !seen.has(c)) {
          result.list.push({ text: c, className: 'CodeMirror-hint-column' });
        }
      }
    }
    return result;
  }

  function setView(name) {
    view = name;
    for (const b of document.querySelectorAll('.subtabs button')) b.classList.toggle('active', b.dataset.view === name);
    for (const v of ['results', 'chart', 'plan']) $(`view-${v}`).hidden = v !== name;
    if (name === 'chart' && lastResult) drawChart();
  }

  function setBusy(busy) {
    for (const id of ['run', 'explain', 'explain-analyze']) $(id).disabled = busy;
    $('cancel').disabled = !busy;
    document.body.classList.toggle('busy', busy);
  }

  function showNotices(notices) {
    const list = $('query-notices');
    list.hidden = !notices || notices.length === 0;
    list.replaceChildren(...(notices || []).map((n) => h('li', null, n)));
  }

  function isPlan(result) {
    return result.columns.length === 1 && result.columns[0].name.toUpperCase() === 'QUERY PLAN';
  }

  async function execute(sql, { isExplain = false } = {}) {
    if (running || sql.trim() === '') return;
    running = { tag: Api.newTag() };
    setBusy(true);
    clearError($('query-error'));
    showNotices([]);
    $('query-status').textContent = 'Running\u2026';
    $('query-status').dataset.state = 'running';
    try {
      const r = await Api.query(sql, { tag: running.tag, maxRows: 10000 });
      const rowsText = r.columns.length ? ` \u00b7 ${r.row_count} row${r.row_count === 1 ? '' : 's'}` : '';
      $('query-status').textContent = `${r.command}${rowsText} \u00b7 ${Number(r.elapsed_ms).toFixed(1)} ms` +
        (r.query_id ? ` \u00b7 query ${r.query_id}` : '');
      $('query-status').dataset.state = 'done';
      showNotices(r.notices);
      if (isPlan(r)) {
        PlanTree.render($('plan'), r.rows.map((row) => row[0]));
        setView('plan');
      }
      if (!isExplain) {
        lastResult = r;
        grid.setResult(r);
        fillChartControls(r);
        if (!isPlan(r)) setView(view === 'plan' ? 'results' : view);
        if (/^(CREATE|DROP|ALTER)/i.test(r.command || '')) loadCompletion();
      }
    } catch (e) {
      $('query-status').textContent = 'Failed';
      $('query-status').dataset.state = 'failed';
      showError($('query-error'), e);
    } finally {
      running = null;
      setBusy(false);
    }
  }

  function currentSql() { return cm.somethingSelected() ? cm.getSelection() : cm.getValue(); }

  function run() { execute(currentSql()); }

  function explain(analyze) {
    const statements = splitStatements(currentSql());
    if (statements.length === 0) return;
    let last = statements.pop();
    if (!/^explain\b/i.test(last)) last = `explain ${analyze ? 'analyze ' : ''}${last}`;
    execute([...statements, last].join(';\n'), { isExplain: true });
  }

  async function cancel() {
    const target = running;
    if (!target) return;
    $('cancel').disabled = true;
    $('query-status').textContent = 'Cancelling\u2026';
    // The server may not have started the query yet: ask again until it has, or it ended.
    for (let attempt = 0; attempt < 20 && running === target; attempt++) {
      try {
        const answer = await Api.cancel(target.tag);
        if (answer.cancelled) return;
      } catch (e) {
        showError($('query-error'), e);
        return;
      }
      await sleep(250);
    }
  }

  // Chart controls: X is one column, Y one or more; a new result keeps the choices that still fit.
  function fillChartControls(r) {
    const names = r.columns.map((c) => c.name);
    const xSelect = $('chart-x');
    const ySelect = $('chart-y');
    const oldX = pendingChart ? pendingChart.x : xSelect.value;
    const oldY = (pendingChart ? pendingChart.y || [] : [...ySelect.selectedOptions].map((o) => o.value))
      .filter((n) => names.includes(n));
    pendingChart = null;
    xSelect.replaceChildren(...names.map((n) => h('option', { value: n }, n)));
    ySelect.replaceChildren(...names.map((n) => h('option', { value: n }, n)));
    xSelect.value = names.includes(oldX) ? oldX : (names[0] || '');
    const y = oldY.length ? oldY : names.filter((n) => n !== xSelect.value && ChartView.isNumeric(r, n)).slice(0, 1);
    for (const o of ySelect.options) o.selected = y.includes(o.value);
  }

  function chartSpec() {
    return { type: $('chart-type').value, x: $('chart-x').value, y: [...$('chart-y').selectedOptions].map((o) => o.value) };
  }

  function drawChart() {
    clearError($('query-error'));
    if (!lastResult) return;
    try {
      ChartView.draw($('chart'), lastResult, chartSpec());
    } catch (e) {
      ChartView.dispose($('chart'));
      showError($('query-error'), e);
    }
  }

  async function saveTile() {
    const status = $('save-tile-status');
    const name = $('save-dashboard-name').value.trim();
    const sql = cm.getValue().trim();
    if (!name || !sql) { status.textContent = 'Name a dashboard and write the query first.'; return; }
    const tile = {
      title: $('save-tile-title').value.trim() || sql.slice(0, 60),
      sql,
      chart: chartSpec(),
      refresh_seconds: Math.max(5, Number($('save-tile-refresh').value) || 60),
    };
    try {
      ChartView.optionFor(lastResult || { columns: [], rows: [] }, tile.chart);  // a tile that could not draw is refused now
      await UserDocument.update((doc) => {
        let dash = UserDocument.dashboard(doc, name);
        if (!dash) doc.dashboards.push(dash = { name, tiles: [] });
        dash.tiles.push(tile);
      });
      status.textContent = `Saved to "${name}".`;
      fillDashboardNames();
    } catch (e) {
      status.textContent = `Not saved: ${e.message}`;
    }
  }

  function fillDashboardNames() {
    $('dashboard-names').replaceChildren(...UserDocument.current.dashboards.map((d) => h('option', { value: d.name })));
  }

  function fillSavedQueries() {
    const select = $('saved-queries');
    select.replaceChildren(h('option', { value: '' }, 'Saved queries\u2026'),
      ...UserDocument.current.saved_queries.map((q, i) => h('option', { value: String(i) }, q.name)));
  }

  async function saveQuery() {
    const name = $('query-name').value.trim();
    if (!name) { $('query-name').focus(); return; }
    const sql = cm.getValue();
    try {
      await UserDocument.update((doc) => {
        const existing = doc.saved_queries.find((q) => q.name === name);
        if (existing) existing.sql = sql;
        else doc.saved_queries.push({ name, sql });
      });
      fillSavedQueries();
      $('query-status').textContent = `Saved query "${name}".`;
    } catch (e) {
      showError($('query-error'), e);
    }
  }

  function init() {
    cm = CodeMirror.fromTextArea($('sql-editor'), {
      mode: 'text/x-pgsql',
      lineNumbers: true,
      indentWithTabs: false,
      extraKeys: { 'Ctrl-Enter': run, 'Cmd-Enter': run, 'Ctrl-Space': 'autocomplete' },
      hintOptions: { hint, completeSingle: false, tables: {} },
    });
    cm.on('inputRead', (editor, change) => {
      if (change.text[0] === '.' && !editor.state.completionActive) editor.showHint();
    });
    grid = new ResultGrid({ container: $('result-grid'), countEl: $('result-count'), pageEl: $('grid-page'),
      prevButton: $('grid-prev'), nextButton: $('grid-next') });
    $('run').addEventListener('click', run);
    $('cancel').addEventListener('click', cancel);
    $('explain').addEventListener('click', () => explain(false));
    $('explain-analyze').addEventListener('click', () => explain(true));
    for (const b of document.querySelectorAll('.subtabs button')) b.addEventListener('click', () => setView(b.dataset.view));
    $('chart-draw').addEventListener('click', drawChart);
    for (const id of ['chart-type', 'chart-x', 'chart-y']) $(id).addEventListener('change', drawChart);
    $('save-tile').addEventListener('click', saveTile);
    $('save-query').addEventListener('click', saveQuery);
    $('saved-queries').addEventListener('change', (e) => {
      const q = UserDocument.current.saved_queries[Number(e.target.value)];
      if (q) { cm.setValue(q.sql); $('query-name').value = q.name; }
      e.target.value = '';
    });
  }

  async function show() {
    cm.refresh();
    cm.focus();
    if (!completionLoaded) loadCompletion();
    try {
      await UserDocument.load();
      fillDashboardNames();
      fillSavedQueries();
    } catch (e) { /* shown when the user saves */ }
  }

  // Opens a query (from a dashboard tile) in the editor and runs it, drawn with its chart settings.
  function open(sql, chart) {
    cm.setValue(sql);
    if (chart && ChartView.types.includes(chart.type)) {
      $('chart-type').value = chart.type;
      pendingChart = chart;
      setView('chart');
    }
    run();
  }

  return { init, show, hide() {}, open, splitStatements };
})();
