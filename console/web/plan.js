// EXPLAIN output as a tree. The "QUERY PLAN" lines are PostgreSQL-style: the root node at
// column 0, each child a line "->  Name  (cost=... rows=N width=W)" indented under its parent,
// after ANALYZE possibly "(actual time=A..B rows=N loops=L)", and detail lines ("Filter: ...",
// "Hash Cond: ...", "Spilled: N bytes", "Distribution: DS_...") indented under their node.
//
// parse() reads the indentation with a stack: a "->" line's parent is the nearest node that
// starts left of its arrow; any other line is a detail of the nearest node left of it, and a
// line at column 0 after the root (Strata's "Actual: ...", "Steps:" with one line per executed
// step, PostgreSQL's "Planning Time: ...") starts the summary, which holds every line after it.
// Unknown lines never fail: they become details or summary. render() draws nested boxes with
// each node's name, estimated and actual rows, time, spilled bytes and distribution step, then
// the summary (executed steps as a table when they have Strata's "segment S step N ..." form).
'use strict';

const PlanTree = {
  parseNode(text, indent) {
    const node = { name: text, indent, details: [], children: [] };
    const cost = /\(cost=([\d.]+)\.\.([\d.]+) rows=(\d+) width=(\d+)\)/.exec(text);
    if (cost) Object.assign(node, { cost: cost[2], rows: cost[3], width: cost[4] });
    const actual = /\(actual time=([\d.]+)\.\.([\d.]+) rows=(\d+) loops=(\d+)\)/.exec(text);
    if (actual) Object.assign(node, { time: `${actual[1]}..${actual[2]} ms`, actualRows: actual[3], loops: actual[4] });
    if (/\(never executed\)/.test(text)) node.neverExecuted = true;
    node.name = text.replace(/\s*\((cost|actual time)=[^)]*\)/g, '').replace(/\s*\(never executed\)/, '').trim();
    const step = /\b(DS_[A-Z_]+)\b/.exec(node.name);
    if (step) node.distribution = step[1];
    return node;
  },

  addDetail(node, text) {
    node.details.push(text);
    const spilled = /^spill(?:ed)?\b\s*[:=]?\s*(.+)$/i.exec(text);
    if (spilled) node.spilled = spilled[1];
    const dist = /^Distribution:\s*(.+)$/i.exec(text) || (!node.distribution && /\b(DS_[A-Z_]+)\b/.exec(text));
    if (dist) node.distribution = dist[1];
  },

  parse(lines) {
    const plan = { root: null, summary: [] };
    const stack = [];
    let inSummary = false;
    for (const raw of lines) {
      if (raw === null || raw.trim() === '') continue;
      const line = raw.replace(/\s+$/, '');
      const indent = line.length - line.trimStart().length;
      const text = line.trim();
      if (inSummary) { plan.summary.push(line); continue; }
      if (!plan.root) {
        plan.root = PlanTree.parseNode(text.replace(/^->\s*/, ''), indent);
        stack.push(plan.root);
        continue;
      }
      if (text.startsWith('->')) {
        while (stack.length > 1 && stack[stack.length - 1].indent >= indent) stack.pop();
        const node = PlanTree.parseNode(text.replace(/^->\s*/, ''), indent);
        stack[stack.length - 1].children.push(node);
        stack.push(node);
        continue;
      }
      if (indent <= plan.root.indent) { inSummary = true; plan.summary.push(line); continue; }
      while (stack.length > 1 && stack[stack.length - 1].indent >= indent) stack.pop();
      PlanTree.addDetail(stack[stack.length - 1], text);
    }
    return plan;
  },

  renderNode(node) {
    const badges = [];
    if (node.rows !== undefined) badges.push(h('span', { class: 'badge', title: 'estimated rows' }, `est. rows ${node.rows}`));
    if (node.actualRows !== undefined) badges.push(h('span', { class: 'badge', 'data-test': 'plan-actual-rows' }, `rows ${node.actualRows}`));
    if (node.time) badges.push(h('span', { class: 'badge', 'data-test': 'plan-time' }, `time ${node.time}`));
    if (node.loops && node.loops !== '1') badges.push(h('span', { class: 'badge' }, `loops ${node.loops}`));
    if (node.neverExecuted) badges.push(h('span', { class: 'badge' }, 'never executed'));
    if (node.spilled) badges.push(h('span', { class: 'badge warn', 'data-test': 'plan-spilled' }, `spilled ${node.spilled}`));
    if (node.distribution) badges.push(h('span', { class: 'badge dist', 'data-test': 'plan-distribution' }, node.distribution));
    return h('div', { class: 'plan-node', 'data-test': 'plan-node' },
      h('div', { class: 'plan-head' }, h('span', { class: 'plan-name', 'data-test': 'plan-name' }, node.name), badges),
      node.details.length ? h('ul', { class: 'plan-details' }, node.details.map((d) => h('li', null, d))) : null,
      node.children.length ? h('div', { class: 'plan-children' }, node.children.map((c) => PlanTree.renderNode(c))) : null);
  },

  // Strata's EXPLAIN ANALYZE step lines: "segment 0 step 1 scan: rows=4 time=0.1 ms peak_memory=1 MB spilled=2 MB (disk-based)".
  renderSummary(summary) {
    const steps = [];
    const other = [];
    for (const line of summary) {
      const m = /^\s*segment (\d+) step (\d+) (.*?): rows=(\d+) time=([\d.]+) ms(?: peak_memory=(\S+(?: [KMGT]?B)?))?(?: spilled=(.*))?$/.exec(line);
      if (m) steps.push([m[1], m[2], m[3], m[4], `${m[5]} ms`, m[6] || '', m[7] || '']);
      else other.push(line);
    }
    const box = h('div', { class: 'plan-summary' });
    if (other.length) box.append(h('pre', null, other.join('\n')));
    if (steps.length) {
      const table = h('div', { class: 'grid', 'data-test': 'plan-steps' });
      renderTable(table, ['segment', 'step', 'operator', 'rows', 'time', 'peak memory', 'spilled'], steps,
        { rowAttrs: (r) => (r[6] ? { class: 'spilled' } : {}) });
      box.append(table);
    }
    return box;
  },

  render(container, lines) {
    const plan = PlanTree.parse(lines);
    fill(container,
      plan.root ? h('div', { class: 'plan-tree' }, PlanTree.renderNode(plan.root)) : h('div', { class: 'empty' }, 'No plan.'),
      plan.summary.length ? PlanTree.renderSummary(plan.summary) : null,
      h('details', { class: 'plan-text' }, h('summary', null, 'Plan text'), h('pre', null, lines.join('\n'))));
    return plan;
  },
};

// Lets Node's test runner or a quick check parse plans without a browser.
if (typeof module !== 'undefined') module.exports = { PlanTree };
