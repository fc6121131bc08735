// Tables of query results: renderTable() draws rows of PostgreSQL text values (NULL shown as
// such) for the system pages, and ResultGrid is the editor's paged grid (100 rows a page, a
// row count, previous / next) over one /api/query answer.
'use strict';

// columns: [{name}] or names; rows: arrays of text or null. options:
//   only: names of the columns to show, in that order (the others are skipped)
//   format(name, value, row): text or a Node for a cell
//   rowAttrs(row): attributes of the <tr>;  actions(row): a Node for a last cell
//   firstRowNumber: number the rows from it;  rowTest / cellTest: data-test of rows and cells
function renderTable(container, columns, rows, options = {}) {
  const names = columns.map((c) => (typeof c === 'string' ? c : c.name));
  const shown = options.only ? options.only.filter((n) => names.includes(n)) : names;
  const index = shown.map((n) => names.indexOf(n));
  if (shown.length === 0) {
    container.replaceChildren(h('div', { class: 'empty' }, 'The statement returned no columns.'));
    return;
  }
  const numbered = options.firstRowNumber !== undefined;
  const head = h('tr', null, numbered ? h('th', { class: 'rownum' }, '#') : null,
    shown.map((n) => h('th', null, n)), options.actions ? h('th') : null);
  const body = rows.map((row, r) => h('tr', Object.assign({ 'data-test': options.rowTest }, options.rowAttrs ? options.rowAttrs(row) : {}),
    numbered ? h('th', { class: 'rownum' }, options.firstRowNumber + r) : null,
    index.map((i, k) => {
      const value = row[i];
      const shownValue = options.format ? options.format(shown[k], value, row) : value;
      const cell = shownValue === null || shownValue === undefined
        ? h('span', { class: 'null' }, 'NULL') : shownValue;
      return h('td', { 'data-test': options.cellTest, title: typeof value === 'string' && value.length > 60 ? value : null }, cell);
    }),
    options.actions ? h('td', { class: 'actions' }, options.actions(row)) : null));
  const table = h('table', null, h('thead', null, head), h('tbody', null, body));
  container.replaceChildren(rows.length ? table : h('div', null, table, h('div', { class: 'empty' }, 'No rows.')));
}

class ResultGrid {
  constructor({ container, countEl, pageEl, prevButton, nextButton, pageSize = 100 }) {
    Object.assign(this, { container, countEl, pageEl, prevButton, nextButton, pageSize });
    this.result = null;
    this.page = 0;
    prevButton.addEventListener('click', () => this.turn(-1));
    nextButton.addEventListener('click', () => this.turn(1));
  }

  setResult(result) {
    this.result = result;
    this.page = 0;
    this.render();
  }

  pages() { return this.result ? Math.max(1, Math.ceil(this.result.rows.length / this.pageSize)) : 0; }

  turn(step) {
    const page = this.page + step;
    if (page < 0 || page >= this.pages()) return;
    this.page = page;
    this.render();
  }

  render() {
    const r = this.result;
    if (!r) return;
    const total = r.rows.length;
    const first = this.page * this.pageSize;
    const last = Math.min(total, first + this.pageSize);
    renderTable(this.container, r.columns, r.rows.slice(first, last),
      { firstRowNumber: first + 1, rowTest: 'grid-row', cellTest: 'grid-cell' });
    this.countEl.dataset.rows = String(total);
    this.countEl.textContent = r.columns.length === 0 ? (r.command || '')
      : `${total} row${total === 1 ? '' : 's'}` + (r.truncated ? ` (truncated: only the first ${total} were fetched)` : '');
    this.pageEl.textContent = total > 0 ? `${first + 1}\u2013${last} of ${total}` : '';
    this.prevButton.disabled = this.page === 0;
    this.nextButton.disabled = this.page >= this.pages() - 1;
  }
}
