// DuckDB's side of the TPC-H benchmark (bench/tpch/run calls it): loads the dbgen .tbl files
// into an in-memory DuckDB with the plain schema (tests/tpch/schema.sql) through read_csv, then
// runs each query once to warm up and RUNS times timed (default 3), keeping the best. A run
// longer than the limit is interrupted and reported as a timeout. With ANSWERS_DIR, the rows of
// each query's last run are written to ANSWERS_DIR/<query>.tsv (a header line of column names,
// then one line per row, tab-separated, NULL as \N) for report.mjs to check other engines'
// answers against. Prints tab-separated lines:
//   load <seconds>            once
//   <query> <seconds|timeout|error> [message]
//   peak_rss_kb <kB>          once, at the end (this process's peak resident set)
// Usage: node duckdb_bench.mjs TBL_DIR SUITE_DIR LIMIT_SECONDS [q01,q02,...] [RUNS] [ANSWERS_DIR]
import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';

const [tblDir, suiteDir, limitText, onlyText, runsText, answersDir] = process.argv.slice(2);
const limitMs = Number(limitText) * 1000;
const runs = runsText ? Math.max(1, Number(runsText)) : 3;
const only = onlyText ? new Set(onlyText.split(',').filter(Boolean)) : null;
const tables = ['region', 'nation', 'part', 'supplier', 'partsupp', 'customer', 'orders', 'lineitem'];

// Statements of a SQL file: `--` comments dropped, split at semicolons (the suite's files have
// no semicolons inside literals).
function statements(path) {
  const text = readFileSync(path, 'utf8').split('\n').map((l) => l.replace(/--.*$/, '')).join('\n');
  return text.split(';').map((s) => s.trim()).filter((s) => s.length > 0);
}

// The rows of a result as report.mjs reads them: header, then rows; tab-separated, NULL as \N.
function answerText(reader) {
  const lines = [reader.columnNames().join('\t')];
  for (const row of reader.getRows()) lines.push(row.map((v) => (v === null ? '\\N' : String(v))).join('\t'));
  return lines.join('\n') + '\n';
}

// Runs the statements in order; rejects with 'timeout' when the limit passes first. With
// `answerPath`, the last result that has columns (the query's SELECT) is written there.
async function runTimed(conn, stmts, answerPath) {
  const start = process.hrtime.bigint();
  let timedOut = false;
  let answer = null;
  const timer = setTimeout(() => { timedOut = true; conn.interrupt(); }, limitMs);
  try {
    for (const s of stmts) {
      const reader = await conn.runAndReadAll(s);
      if (answerPath && reader.columnCount > 0 && /^\s*(select|with)\b/i.test(s)) answer = reader;
    }
  } catch (e) {
    if (timedOut) throw new Error('timeout');
    throw e;
  } finally {
    clearTimeout(timer);
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (answer) writeFileSync(answerPath, answerText(answer));  // outside the timed span
  return seconds;
}

// DUCKDB_FILE=path: an on-disk database instead (its buffer manager can then evict table data;
// for scales whose tables do not fit in memory next to everything else). Removed first.
const dbFile = process.env.DUCKDB_FILE || ':memory:';
if (dbFile !== ':memory:') for (const f of [dbFile, `${dbFile}.wal`]) rmSync(f, { force: true });
const instance = await DuckDBInstance.create(dbFile);
const conn = await instance.connect();
for (const s of statements(`${suiteDir}/schema.sql`)) await conn.run(s);
const loadStart = process.hrtime.bigint();
for (const table of tables) {
  const cols = await conn.runAndReadAll(
    `select column_name, data_type from information_schema.columns where table_name = '${table}' order by ordinal_position`);
  const spec = cols.getRows().map(([name, type]) => `'${name}': '${type}'`).join(', ');
  await conn.run(`insert into ${table} select * from read_csv('${tblDir}/${table}.tbl', delim = '|', ` +
                 `header = false, quote = '', escape = '', columns = {${spec}})`);
}
console.log(`load\t${(Number(process.hrtime.bigint() - loadStart) / 1e9).toFixed(3)}`);

const files = readdirSync(`${suiteDir}/queries`).filter((f) => f.endsWith('.sql')).sort();
for (const file of files) {
  const name = file.replace(/\.sql$/, '');
  if (only && !only.has(name)) continue;
  const stmts = statements(`${suiteDir}/queries/${file}`);
  try {
    await runTimed(conn, stmts);  // warm-up
    let best = Infinity;
    for (let i = 0; i < runs; i++) {
      const last = i === runs - 1 && answersDir ? `${answersDir}/${name}.tsv` : undefined;
      best = Math.min(best, await runTimed(conn, stmts, last));
    }
    console.log(`${name}\t${best.toFixed(3)}`);
  } catch (e) {
    const message = String(e.message ?? e).replace(/\s+/g, ' ');
    console.log(message === 'timeout' ? `${name}\ttimeout` : `${name}\terror\t${message}`);
    // A failed Q15 may leave its view behind.
    try { await conn.run('drop view if exists revenue0'); } catch { /* nothing to drop */ }
  }
}
console.log(`peak_rss_kb\t${process.resourceUsage().maxRSS}`);
