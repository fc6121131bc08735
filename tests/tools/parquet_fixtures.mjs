// Parquet fixtures for Strata's reader tests, written by DuckDB (@duckdb/node-api).
//
//   node parquet_fixtures.mjs OUTDIR      writes OUTDIR/*.parquet and prints a flat JSON object
//                                         {"FILE|COLUMN|METRIC": "value", ...} of DuckDB's own
//                                         counts, sums and sample values for each file.
//   node parquet_fixtures.mjs --check F   reads F (written by Strata) and prints the same
//                                         summary for it.
// Metrics: rows; per column count (non-null), sum (integers and decimals exactly; dates as days
// since 1970; timestamps as microseconds since 1970; floats as doubles), len (sum of string
// lengths), true (count of true), v<ROW> (the value at a row, as text).
import { DuckDBInstance } from '@duckdb/node-api';

const N = 10000;
const TABLE = `
  SELECT
    CASE WHEN i % 10 = 0 THEN NULL ELSE ((i * 7) % 1000 - 400)::INTEGER END AS i32,
    (i * 1000003 - 5000000000)::BIGINT AS i64,
    CASE WHEN i % 7 = 0 THEN NULL ELSE (i % 300 - 150)::SMALLINT END AS i16,
    ((i % 1000) / 100.0 - 3)::DECIMAL(9,2) AS dec9,
    CASE WHEN i % 5 = 0 THEN NULL ELSE (i * 12.3456)::DECIMAL(18,4) END AS dec18,
    (i::HUGEINT * 1000000000000000 + 123456)::DECIMAL(38,6) AS dec38,
    (i / 8.0)::REAL AS f32,
    CASE WHEN i % 3 = 0 THEN NULL ELSE i * 0.25 END AS f64,
    CASE WHEN i % 11 = 0 THEN NULL ELSE i % 2 = 0 END AS b,
    CASE WHEN i % 4 = 0 THEN NULL ELSE 'cat' || (i % 37)::VARCHAR END AS s_dict,
    'row-' || i::VARCHAR || repeat('x', i % 5) AS s_plain,
    (DATE '1969-12-01' + (i % 20000)::INTEGER) AS dt,
    CASE WHEN i % 6 = 0 THEN NULL ELSE TIMESTAMP '2001-02-03 04:05:06.789' + i * INTERVAL 1 SECOND END AS ts,
    (TIMESTAMP '1999-12-31 23:59:59' + i * INTERVAL 1 MINUTE)::TIMESTAMP_MS AS ts_ms,
    (TIMESTAMP '2020-01-01' + i * INTERVAL 1 MILLISECOND)::TIMESTAMP_NS AS ts_ns
  FROM range(${N}) t(i)`;

const FILES = [
  ['snappy.parquet', "COMPRESSION snappy"],
  ['gzip.parquet', "COMPRESSION gzip"],
  ['zstd.parquet', "COMPRESSION zstd"],
  ['lz4raw.parquet', "COMPRESSION lz4_raw"],
  ['uncompressed.parquet', "COMPRESSION uncompressed"],
  ['v2.parquet', "COMPRESSION zstd, PARQUET_VERSION V2"],
  ['rowgroups.parquet', "COMPRESSION snappy, ROW_GROUP_SIZE 2048"],
];

async function Summarize(con, file, key, out) {
  const src = `read_parquet('${file}')`;
  const desc = (await con.runAndReadAll(`DESCRIBE SELECT * FROM ${src}`)).getRowObjectsJson();
  const exprs = ['count(*)::VARCHAR AS "rows"'];
  for (const { column_name: c, column_type: t } of desc) {
    const q = `"${c}"`;
    exprs.push(`count(${q})::VARCHAR AS "${c}|count"`);
    if (t.startsWith('DECIMAL') || /INT/.test(t)) exprs.push(`sum(${q}::HUGEINT * 0 + ${q})::VARCHAR AS "${c}|sum"`);
    else if (t === 'FLOAT' || t === 'DOUBLE') exprs.push(`sum(${q}::DOUBLE)::VARCHAR AS "${c}|sum"`);
    else if (t === 'DATE') exprs.push(`sum(${q} - DATE '1970-01-01')::VARCHAR AS "${c}|sum"`);
    else if (t.startsWith('TIMESTAMP')) exprs.push(`sum(epoch_us(${q}::TIMESTAMP))::VARCHAR AS "${c}|sum"`);
    else if (t === 'BOOLEAN') exprs.push(`count(*) FILTER (WHERE ${q})::VARCHAR AS "${c}|true"`);
    else if (t === 'VARCHAR') exprs.push(`sum(length(${q}))::VARCHAR AS "${c}|len"`);
  }
  const row = (await con.runAndReadAll(`SELECT ${exprs.join(', ')} FROM ${src}`)).getRowObjectsJson()[0];
  for (const [k, v] of Object.entries(row)) out[`${key}|${k}`] = v === null ? 'null' : String(v);
  // A few values by position (the file's row order).
  const rows = Number(row.rows);
  const picks = [1, 2, rows - 1].filter((r) => r >= 0 && r < rows);
  for (const r of picks) {
    const cols = desc.map(({ column_name: c }) => `"${c}"::VARCHAR AS "${c}"`).join(', ');
    const v = (await con.runAndReadAll(`SELECT ${cols} FROM ${src} LIMIT 1 OFFSET ${r}`)).getRowObjectsJson()[0];
    for (const [k, val] of Object.entries(v)) out[`${key}|${k}|v${r}`] = val === null ? 'null' : String(val);
  }
}

const inst = await DuckDBInstance.create(':memory:');
const con = await inst.connect();
await con.run('SET threads TO 1');
const out = {};
if (process.argv[2] === '--check') {
  await Summarize(con, process.argv[3], 'file', out);
} else {
  const dir = process.argv[2];
  if (!dir) throw new Error('usage: node parquet_fixtures.mjs OUTDIR | --check FILE');
  for (const [name, opts] of FILES) {
    await con.run(`COPY (${TABLE}) TO '${dir}/${name}' (FORMAT parquet, ${opts})`);
    await Summarize(con, `${dir}/${name}`, name, out);
  }
  // A nested column (LIST) next to a flat one: Strata reads x and refuses l.
  await con.run(`COPY (SELECT [i, i + 1] AS l, i AS x FROM range(10) t(i)) TO '${dir}/nested.parquet' (FORMAT parquet)`);
}
console.log(JSON.stringify(out));
