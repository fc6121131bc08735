// Writes the Parquet files the load tests COPY, with DuckDB (npm @duckdb/node-api): the same
// 1000 rows (id 1..1000, every 7th value NULL) in several codecs and encodings, so that the
// .test files can check one set of aggregates against each. Also: `--check DIR` prints the row
// count and sum(id) DuckDB reads from the Parquet files under DIR (files Strata unloaded).
//
//   node load_parquet.mjs OUTDIR          node load_parquet.mjs --check DIR
import { DuckDBInstance } from '@duckdb/node-api';

const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();

if (process.argv[2] === '--check') {
  const r = await con.runAndReadAll(
    `SELECT count(*)::BIGINT AS n, sum(id)::BIGINT AS s, count(name)::BIGINT AS names, sum(amount)::DECIMAL(18,2) AS amount
       FROM read_parquet('${process.argv[3]}/**/*.parquet')`);
  const row = r.getRowObjects()[0];
  console.log(`${row.n} ${row.s} ${row.names} ${row.amount}`);
  process.exit(0);
}

const out = process.argv[2];
await con.run(`CREATE TABLE t AS SELECT
    i::INTEGER AS id,
    CASE WHEN i % 7 = 0 THEN NULL ELSE 'name_' || (i % 50) END AS name,
    CASE WHEN i % 7 = 0 THEN NULL ELSE (i * 1.25)::DECIMAL(12,2) END AS amount,
    (DATE '2024-01-01' + (i % 365)::INTEGER) AS day,
    (TIMESTAMP '2024-01-01 00:00:00' + to_seconds(i * 61)) AS ts,
    (i % 2 = 0) AS flag,
    (i * 0.5)::DOUBLE AS ratio,
    (i * 1000000000::BIGINT) AS big
  FROM range(1, 1001) r(i)`);
const variants = [
  ['snappy', "COMPRESSION snappy"],
  ['gzip', "COMPRESSION gzip"],
  ['zstd', "COMPRESSION zstd"],
  ['plain', "COMPRESSION uncompressed"],
  ['v2', "COMPRESSION zstd, PARQUET_VERSION V2"],
  ['rowgroups', "COMPRESSION snappy, ROW_GROUP_SIZE 100"],
];
for (const [name, opts] of variants) {
  await con.run(`COPY t TO '${out}/${name}.parquet' (FORMAT parquet, ${opts})`);
}
console.log('ok');
