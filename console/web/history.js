// The History tab: the latest statements from sys_query_history, newest first, with their user,
// state, duration (elapsed_time is in microseconds) and text; a filter narrows them in the page.
'use strict';

const HistoryPage = (() => {
  const $ = (id) => document.getElementById(id);
  const kSql = 'select query_id, user_name, user_id, status, start_time, elapsed_time, returned_rows, query_type, ' +
    'query_text, error_message from sys_query_history order by start_time desc limit 300';
  let last = null;

  function render() {
    if (!last) return;
    const filter = $('history-filter').value.trim().toLowerCase();
    const rows = filter ? last.rows.filter((r) => r.some((v) => v !== null && v.toLowerCase().includes(filter))) : last.rows;
    renderTable($('history-table'), last.columns, rows, {
      only: ['start_time', 'user_name', 'status', 'elapsed_time', 'returned_rows', 'query_id', 'query_text', 'error_message'],
      rowTest: 'history-row',
      rowAttrs: (r) => ({ 'data-state': r[last.columns.findIndex((c) => c.name === 'status')] }),
      format: (name, value) => {
        if (name === 'elapsed_time') return formatMicros(value);
        if (name === 'query_text' && value) return h('code', { class: 'sql' }, value.length > 300 ? `${value.slice(0, 300)}\u2026` : value);
        if (name === 'status' && value) return h('span', { class: `state state-${value.trim()}` }, value);
        return value;
      },
    });
    $('history-status').textContent = `${rows.length} of ${last.rows.length} statements`;
  }

  async function refresh() {
    try {
      last = await Api.query(kSql, { maxRows: 300 });
      clearError($('history-error'));
      render();
    } catch (e) {
      showError($('history-error'), e);
    }
  }

  function init() {
    $('history-refresh').addEventListener('click', refresh);
    $('history-filter').addEventListener('input', render);
  }

  return { init, show: refresh, hide() {} };
})();
