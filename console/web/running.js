// The Running tab: the client sessions of pg_stat_activity that are not idle, with their workload
// management queue and state from stv_wlm_query_state (matched by pid), refreshed every 3 s
// while the tab is open. Cancel runs pg_cancel_backend(pid), which cancels that session's
// statement as a PostgreSQL client's cancel request does. The page's own polling query is left out.
'use strict';

const RunningPage = (() => {
  const $ = (id) => document.getElementById(id);
  let timer = null;
  let inFlight = false;

  function column(result, name) { return result.columns.findIndex((c) => c.name === name); }

  // Errors of the refresh and of a cancel share the box; a refresh clears only its own.
  function report(err, from) {
    showError($('running-error'), err);
    $('running-error').dataset.from = from;
  }

  async function cancelBackend(pid) {
    if (!/^\d+$/.test(String(pid))) return;
    try {
      const r = await Api.query(`select pg_cancel_backend(${pid})`, { maxRows: 1 });
      const ok = r.rows.length && (r.rows[0][0] === 't' || r.rows[0][0] === 'true');
      if (ok) clearError($('running-error'));
      else report({ message: `pid ${pid} had no statement to cancel` }, 'cancel');
    } catch (e) {
      report(e, 'cancel');
    }
    refresh();
  }

  async function refresh() {
    if (inFlight) return;
    inFlight = true;
    try {
      // One after the other, so that the first is not listed as running by the second.
      const wlm = await Api.query('select pid, query, service_class, state, queue_time, exec_time from stv_wlm_query_state',
        { maxRows: 5000 }).catch(() => ({ columns: [], rows: [] }));
      const activity = await Api.query('select pid, usename, state, query_start, query, backend_type from pg_stat_activity',
        { maxRows: 5000 });
      const byPid = new Map(wlm.rows.map((r) => [r[column(wlm, 'pid')], r]));
      const stateAt = column(activity, 'state');
      const queryAt = column(activity, 'query');
      const pidAt = column(activity, 'pid');
      const typeAt = column(activity, 'backend_type');
      const rows = activity.rows
        .filter((r) => r[stateAt] !== 'idle' && r[typeAt] === 'client backend' && !/from pg_stat_activity/i.test(r[queryAt] || ''))
        .map((r) => {
          const w = byPid.get(r[pidAt]);
          const queue = w ? `class ${w[column(wlm, 'service_class')]} \u00b7 ${(w[column(wlm, 'state')] || '').trim()}` : null;
          return [r[pidAt], r[column(activity, 'usename')], r[stateAt], queue,
            w ? formatMicros(w[column(wlm, 'queue_time')]) : null, w ? formatMicros(w[column(wlm, 'exec_time')]) : null,
            r[column(activity, 'query_start')], r[queryAt]];
        });
      renderTable($('running-table'), ['pid', 'user', 'state', 'queue', 'queued', 'running', 'started', 'query'], rows, {
        rowTest: 'running-row',
        rowAttrs: (r) => ({ 'data-pid': r[0] }),
        format: (name, value) => (name === 'query' && value ? h('code', { class: 'sql' }, value) : value),
        actions: (r) => h('button', { type: 'button', 'data-test': 'cancel-backend', onclick: () => cancelBackend(r[0]) }, 'Cancel'),
      });
      if ($('running-error').dataset.from === 'refresh') clearError($('running-error'));
    } catch (e) {
      report(e, 'refresh');
    } finally {
      inFlight = false;
    }
  }

  function show() {
    refresh();
    clearInterval(timer);
    timer = setInterval(() => { if (!document.hidden) refresh(); }, 3000);
  }

  function hide() {
    clearInterval(timer);
    timer = null;
  }

  function init() { $('running-refresh').addEventListener('click', refresh); }

  return { init, show, hide };
})();
