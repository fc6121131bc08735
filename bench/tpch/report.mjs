// Prints the TPC-H benchmark's table (as Markdown, ready for bench/RESULTS.md) from the
// tab-separated results bench/tpch/run collects: `engine <tab> query|load <tab> seconds|timeout|
// error [<tab> message]`. Geometric means are taken over the queries every engine finished, so
// the three means compare the same work.
// Usage: node report.mjs RESULTS_TSV SCALE
import { readFileSync } from 'node:fs';

const [path, scale] = process.argv.slice(2);
const engines = ['strata', 'postgres', 'duckdb'];
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
const rows = [['query', 'Strata s', 'PostgreSQL s', 'DuckDB s', 'Strata/PG', 'Strata/DuckDB']];
for (const q of queries) {
  const c = cell[q];
  rows.push([q, fmt(c.strata), fmt(c.postgres), fmt(c.duckdb), ratio(c.strata, c.postgres), ratio(c.strata, c.duckdb)]);
}
const present = engines.filter((e) => queries.some((q) => cell[q][e] !== undefined));
const common = queries.filter((q) => present.every((e) => num(cell[q][e]) !== null));
const geo = {};
for (const e of engines) {
  geo[e] = common.length && present.includes(e)
    ? Math.exp(common.reduce((s, q) => s + Math.log(Math.max(num(cell[q][e]), 1e-4)), 0) / common.length).toFixed(3)
    : undefined;
}
rows.push([`geomean (${common.length} q)`, fmt(geo.strata), fmt(geo.postgres), fmt(geo.duckdb),
           ratio(geo.strata, geo.postgres), ratio(geo.strata, geo.duckdb)]);
const load = cell.load ?? {};
rows.push(['load', fmt(load.strata), fmt(load.postgres), fmt(load.duckdb), ratio(load.strata, load.postgres), ratio(load.strata, load.duckdb)]);

console.log(`TPC-H SF ${scale}: best of 3 hot runs, seconds`);
console.log();
for (const [i, r] of rows.entries()) {
  console.log(`| ${r.map((v, j) => (j === 0 ? v.padEnd(14) : v.padStart(13))).join(' | ')} |`);
  if (i === 0) console.log(`|${r.map((v, j) => '-'.repeat(j === 0 ? 16 : 15)).join('|')}|`);
}
if (errors.length) {
  console.log();
  console.log('errors:');
  for (const e of errors) console.log(`  ${e}`);
}
