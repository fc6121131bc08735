// Charts of query results, drawn by Apache ECharts with its SVG renderer: a chart spec
// {type: bar | line | area | scatter | pie, x: column, y: [columns]} and a result
// ({columns, rows} of text values) become an ECharts option. Numbers arrive as text and are
// converted here; a value that is not a number is a gap. A pie uses the first Y column.
'use strict';

const ChartView = {
  types: ['bar', 'line', 'area', 'scatter', 'pie'],

  number(text) {
    if (text === null || text === undefined || text === '') return null;
    const n = Number(text);
    return Number.isFinite(n) ? n : null;
  },

  // True when the column's non-NULL values (of the first 50 rows) all read as numbers.
  isNumeric(result, column) {
    const i = result.columns.findIndex((c) => c.name === column);
    if (i < 0) return false;
    const values = result.rows.slice(0, 50).map((r) => r[i]).filter((v) => v !== null);
    return values.length > 0 && values.every((v) => ChartView.number(v) !== null);
  },

  optionFor(result, spec) {
    const columnIndex = (name) => result.columns.findIndex((c) => c.name === name);
    const x = columnIndex(spec.x);
    const ys = (spec.y || []).map(columnIndex).filter((i) => i >= 0);
    if (!ChartView.types.includes(spec.type)) throw new Error(`unknown chart type "${spec.type}"`);
    if (x < 0 || ys.length === 0) throw new Error('Choose an X column and at least one Y column of the result.');
    const rows = result.rows;
    const label = (v) => (v === null ? 'NULL' : v);
    const base = { animation: false, legend: { type: 'scroll', top: 0 } };
    if (spec.type === 'pie') {
      return Object.assign(base, {
        tooltip: { trigger: 'item' },
        series: [{ type: 'pie', name: result.columns[ys[0]].name, radius: '65%', center: ['50%', '55%'],
          data: rows.map((r) => ({ name: label(r[x]), value: ChartView.number(r[ys[0]]) })) }],
      });
    }
    // A scatter over a numeric X puts the points at their values; otherwise X is categories.
    const numericX = spec.type === 'scatter' && ChartView.isNumeric(result, spec.x);
    return Object.assign(base, {
      tooltip: { trigger: spec.type === 'scatter' ? 'item' : 'axis' },
      grid: { left: 16, right: 24, top: 36, bottom: 28, containLabel: true },
      xAxis: Object.assign({ name: spec.x, nameLocation: 'middle', nameGap: 28 },
        numericX ? { type: 'value', scale: true } : { type: 'category', data: rows.map((r) => label(r[x])) }),
      yAxis: { type: 'value', scale: spec.type === 'scatter' },
      series: ys.map((i) => ({
        name: result.columns[i].name,
        type: spec.type === 'area' ? 'line' : spec.type,
        areaStyle: spec.type === 'area' ? {} : undefined,
        symbolSize: spec.type === 'scatter' ? 8 : undefined,
        data: numericX ? rows.map((r) => [ChartView.number(r[x]), ChartView.number(r[i])])
          : rows.map((r) => ChartView.number(r[i])),
      })),
    });
  },

  // Draws into `el` (which must be visible: ECharts sizes the chart from it).
  draw(el, result, spec) {
    const option = ChartView.optionFor(result, spec);
    const chart = echarts.getInstanceByDom(el) || echarts.init(el, null, { renderer: 'svg' });
    chart.setOption(option, true);
    chart.resize();
    el.dataset.chartType = spec.type;
    return chart;
  },

  dispose(el) {
    const chart = echarts.getInstanceByDom(el);
    if (chart) chart.dispose();
  },
};

window.addEventListener('resize', () => {
  for (const el of document.querySelectorAll('[_echarts_instance_]')) {
    const chart = echarts.getInstanceByDom(el);
    if (chart && el.offsetParent !== null) chart.resize();
  }
});
