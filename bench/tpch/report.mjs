// Prints the TPC-H benchmark's table (as Markdown, ready for bench/RESULTS.md) from the
// tab-separated results bench/tpch/run collects: `engine <tab> query|load <tab> seconds|timeout|
// error [<tab> message]`. Geometric means are taken over the queries every engine finished, so
// the means compare the same work. Given the run's work folder, it also checks each query's
// answer (Strata's, PostgreSQL's) against DuckDB's (answer_compare.mjs: ok / DIFF / '-' when
// either side has no answer; the first difference is printed under the table) and lists the
// peak RSS of every process (WORK/rss.tsv). Columns of engines that did not run are left out.
// Usage: node report.mjs RESULTS_TSV SCALE [RUNS [WORK_DIR SUITE_DIR [MEMORY_LIMIT]]]
import { existsSync, readFileSync } from 'node:fs';
import { firstDifference, orderKeys, readAnswer } from './answer_compare.mjs';

const [path, scale, runsText, workDir, suiteDir, memoryLimit] = process.argv.slice(2);
const runs = runsText ?? '3';
const allEngines = ['strata', 'postgres', 'duckdb'];
const title = { strata: 'Strata', postgres: 'PostgreSQL', duckdb: 'DuckDB' };
const cell = {};  // cell[query][engine] = text
const errors = [];
for (const line of readFileSync(path, 'utf8').split('\n')) {
  if (!line) continue;
  const [engine, query, value, message] = line.split('\t');
  (cell[query] ??= {})[engine] = value;
  if (value === 'error') errors.push(`${engine} ${query}: ${message ?? ''}`);
}
const num = (v) => (v !== undefined && /^[0-9.]+$/.test(v) ? Number(v) : null);
const fmt = (v) => (v === undefined ? '-' : num(v) !== null ? num(v).toFixed(3) : v);
const ratio = (a, b) => (num(a) !== null && num(b) !== null && num(b) > 0 ? (num(a) / num(b)).toFixed(2) : '-');

const queries = Object.keys(cell).filter((q) => q !== 'load').sort();
const present = allEngines.filter((e) => Object.values(cell).some((c) => c[e] !== undefined));
const engines = present.length ? present : allEngines;
const pairs = [['strata', 'postgres', 'Strata/PG'], ['strata', 'duckdb', 'Strata/DuckDB']]
  .filter(([a, b]) => engines.includes(a) && engines.includes(b));
// Answers are checked against DuckDB's when the work folder is given and DuckDB ran.
const checked = workDir && engines.includes('duckdb') ? engines.filter((e) => e !== 'duckdb') : [];
const diffs = [];
function answer(engine, q) {
  const mine = `${workDir}/answers/${engine}/${q}.tsv`;
  const ref = `${workDir}/answers/duckdb/${q}.tsv`;
  if (num(cell[q][engine]) === null || num(cell[q].duckdb) === null || !existsSync(mine) || !existsSync(ref)) return '-';
  const e = readAnswer(ref);
  const a = readAnswer(mine);
  const keys = orderKeys(readFileSync(`${suiteDir}/queries/${q}.sql`, 'utf8'), e.header);
  const d = firstDifference(e.rows, a.rows, keys, ['duckdb', engine]);
  if (d === null) return 'ok';
  diffs.push(`${engine} ${q}: ${d}`);
  return 'DIFF';
}

const header = ['query', ...engines.map((e) => `${title[e]} s`), ...pairs.map((p) => p[2]),
                ...checked.map((e) => (e === 'strata' ? 'answer' : 'PG answer'))];
const rows = [header];
for (const q of queries) {
  const c = cell[q];
  rows.push([q, ...engines.map((e) => fmt(c[e])), ...pairs.map(([a, b]) => ratio(c[a], c[b])),
             ...checked.map((e) => answer(e, q))]);
}
const common = queries.filter((q) => engines.every((e) => num(cell[q][e]) !== null));
const geo = {};
for (const e of engines) {
  geo[e] = common.length
    ? Math.exp(common.reduce((s, q) => s + Math.log(Math.max(num(cell[q][e]), 1e-4)), 0) / common.length).toFixed(3)
    : undefined;
}
rows.push([`geomean (${common.length} q)`, ...engines.map((e) => fmt(geo[e])),
           ...pairs.map(([a, b]) => ratio(geo[a], geo[b])), ...checked.map(() => '')]);
const sum = {};
for (const e of engines) {
  sum[e] = common.length ? common.reduce((s, q) => s + num(cell[q][e]), 0).toFixed(3) : undefined;
}
rows.push([`sum (${common.length} q)`, ...engines.map((e) => fmt(sum[e])),
           ...pairs.map(([a, b]) => ratio(sum[a], sum[b])), ...checked.map(() => '')]);
const load = cell.load ?? {};
rows.push(['load', ...engines.map((e) => fmt(load[e])), ...pairs.map(([a, b]) => ratio(load[a], load[b])),
           ...checked.map(() => '')]);

const best = runs === '1' ? 'one hot run (after a warm-up)' : `best of ${runs} hot runs`;
console.log(`TPC-H SF ${scale}: ${best}, seconds` +
            (memoryLimit ? `; strata serve --memory-limit ${memoryLimit}` : ''));
console.log();
const printTable = (table) => {
  for (const [i, r] of table.entries()) {
    console.log(`| ${r.map((v, j) => (j === 0 ? String(v).padEnd(14) : String(v).padStart(13))).join(' | ')} |`);
    if (i === 0) console.log(`|${r.map((v, j) => '-'.repeat(j === 0 ? 16 : 15)).join('|')}|`);
  }
};
printTable(rows);
if (diffs.length) {
  console.log();
  console.log('answers that differ from DuckDB\'s (first difference each):');
  for (const d of diffs) console.log(`  ${d}`);
}
if (errors.length) {
  console.log();
  console.log('errors:');
  for (const e of errors) console.log(`  ${e}`);
}
const rssPath = workDir ? `${workDir}/rss.tsv` : null;
if (rssPath && existsSync(rssPath)) {
  const lines = readFileSync(rssPath, 'utf8').split('\n').filter(Boolean);
  if (lines.length) {
    const mb = (kb) => (/^\d+$/.test(kb ?? '') ? (Number(kb) / 1024).toFixed(0) : '-');
    console.log();
    console.log('Peak RSS (VmHWM; Strata read just before it was stopped, DuckDB at the end of its run), MB:');
    console.log();
    console.log('| engine   | process                  |      pid | peak RSS MB | RSS at end MB |');
    console.log('|----------|--------------------------|----------|-------------|---------------|');
    const row = (engine, role, pid, hwm, rss) =>
      console.log(`| ${engine.padEnd(8)} | ${role.padEnd(24)} | ${pid.padStart(8)} | ${mb(hwm).padStart(11)} | ${mb(rss).padStart(13)} |`);
    const fields = lines.map((l) => l.split('\t'));
    const strata = fields.filter((f) => f[0] === 'strata');
    for (const f of strata) row(...f);
    const total = strata.reduce((s, f) => s + (/^\d+$/.test(f[3]) ? Number(f[3]) : 0), 0);
    if (total) row('strata', 'sum of the peaks', '-', String(total), '-');
    for (const f of fields.filter((f) => f[0] !== 'strata')) row(...f);
  }
}
