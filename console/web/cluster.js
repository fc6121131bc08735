// The Cluster tab: each node's state, memory and disk (svv_node_usage, with address and slices
// from stv_nodes) and a chart of their use, the slices (stv_slices), table sizes and row skew
// (svv_table_info), recent COPY errors (stl_load_errors) and snapshots (svv_snapshots). Each
// section asks for `select *` and picks the columns it knows, so a view that gains a column
// does not break the page; a section whose view fails shows the error and the others go on.
'use strict';

const ClusterPage = (() => {
  const $ = (id) => document.getElementById(id);

  function named(result) {
    return result.rows.map((r) => Object.fromEntries(result.columns.map((c, i) => [c.name, r[i]])));
  }

  async function section(id, sql, draw) {
    const box = $(id);
    try {
      await draw(box, await Api.query(sql, { maxRows: 2000 }));
    } catch (e) {
      const err = h('div', { class: 'error' });
      showError(err, e);
      box.replaceChildren(err);
    }
  }

  function drawNodes(box, usage, nodes) {
    const where = new Map(named(nodes).map((n) => [`${n.role}/${n.node}`, n]));
    const rows = named(usage).map((u) => {
      const n = where.get(`${u.role}/${u.node}`) || {};
      const mem = percent(u.memory_used, u.memory_limit);
      const diskUsed = u.disk_capacity === null ? null : Number(u.disk_capacity) - Number(u.disk_free);
      const disk = percent(diskUsed, u.disk_capacity);
      return [u.role, u.node, u.state, n.host ? `${n.host}:${n.port}` : null, n.slices === undefined ? null : n.slices,
        u.memory_used === null ? null : `${formatBytes(u.memory_used)} of ${formatBytes(u.memory_limit)}${mem === null ? '' : ` (${mem}%)`}`,
        diskUsed === null ? null : `${formatBytes(diskUsed)} of ${formatBytes(u.disk_capacity)}${disk === null ? '' : ` (${disk}%)`}`,
        formatBytes(u.data_bytes), u.queries, n.mirror_node === undefined ? null : n.mirror_node, mem, disk];
    });
    renderTable(box, ['role', 'node', 'state', 'address', 'slices', 'memory', 'disk', 'data', 'queries', 'mirror'], rows, {
      rowTest: 'node-row',
      rowAttrs: (r) => ({ 'data-state': r[2], 'data-node': `${r[0]}/${r[1]}` }),
      format: (name, value) => (name === 'state' && value ? h('span', { class: `state state-${value}` }, value) : value),
    });
    const chartEl = $('cluster-usage-chart');
    if (!rows.length) { ChartView.dispose(chartEl); return; }
    ChartView.draw(chartEl, {
      columns: [{ name: 'node' }, { name: 'memory %' }, { name: 'disk %' }],
      rows: rows.map((r) => [`${r[0]} ${r[1]}`, r[10] === null ? null : String(r[10]), r[11] === null ? null : String(r[11])]),
    }, { type: 'bar', x: 'node', y: ['memory %', 'disk %'] });
  }

  function refresh() {
    section('cluster-nodes', 'select * from svv_node_usage', async (box, usage) => {
      let nodes = { columns: [], rows: [] };
      try { nodes = await Api.query('select * from stv_nodes', { maxRows: 2000 }); } catch (e) { /* addresses are optional */ }
      drawNodes(box, usage, nodes);
    });
    section('cluster-slices', 'select * from stv_slices', (box, r) => {
      const perNode = new Map();
      for (const s of named(r)) perNode.set(s.node, (perNode.get(s.node) || []).concat(s.slice));
      renderTable(box, ['node', 'slices', 'slice ids'], [...perNode].map(([node, ids]) => [node, String(ids.length), ids.join(', ')]));
    });
    section('cluster-tables', 'select * from svv_table_info', (box, r) => {
      const sizeAt = r.columns.findIndex((c) => c.name === 'size');
      const rows = r.rows.slice().sort((a, b) => Number(b[sizeAt]) - Number(a[sizeAt]));
      renderTable(box, r.columns, rows, {
        only: ['schema', 'table', 'diststyle', 'sortkey1', 'size', 'tbl_rows', 'skew_rows', 'unsorted', 'stats_off', 'encoded'],
        rowTest: 'table-row',
        format: (name, value) => (name === 'size' && value !== null ? `${value} MB` : value),
      });
    });
    section('cluster-load-errors', 'select * from stl_load_errors order by starttime desc limit 50', (box, r) =>
      renderTable(box, r.columns, r.rows.map((row) => row.map((v) => (v === null ? v : v.trim()))), {
        only: ['starttime', 'query', 'filename', 'line_number', 'colname', 'err_code', 'err_reason', 'raw_field_value'],
      }));
    section('cluster-snapshots', 'select * from svv_snapshots order by start_time desc limit 50', (box, r) =>
      renderTable(box, r.columns, r.rows, {
        only: ['snapshot_name', 'snapshot_type', 'status', 'start_time', 'end_time', 'table_count', 'total_bytes', 'retention_days'],
        format: (name, value) => (name === 'total_bytes' ? formatBytes(value) : value),
      }));
  }

  function init() { $('cluster-refresh').addEventListener('click', refresh); }

  return { init, show: refresh, hide() {} };
})();
