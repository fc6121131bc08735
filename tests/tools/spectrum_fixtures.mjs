// The Spectrum tests' peer (tests/spectrum/): DuckDB (npm @duckdb/node-api) writes the files the
// external tables read, and answers the same queries over the same files, as the oracle.
//
//   node spectrum_fixtures.mjs write OUTDIR
//       sales (3000 rows, some NULL amounts) as Hive-partitioned Parquet (year=/month=, 36
//       partitions) and CSV with a header, as one gzip pipe-delimited text file, as JSON lines;
//       items.txt, a small pipe-delimited table loaded into a local table.
//   node spectrum_fixtures.mjs avro OUTDIR
//       json/sales.json's rows as avro/sales.avro (avsc), with decimal, date and timestamp
//       logical types, a boolean and a double.
//   node spectrum_fixtures.mjs grow OUTDIR
//       adds sales_pq/year=2030/month=1/ with a file that has one more column, "bonus".
//   node spectrum_fixtures.mjs check DIR
//       count(*)|sum(amount) of the Hive-partitioned Parquet files under DIR (what Strata wrote).
//   node spectrum_fixtures.mjs answer OUTDIR QUERIES ANSWERDIR
//       runs each query of QUERIES (one per line; -- comments) against views named like the
//       external tables (read_parquet / read_csv / read_json over OUTDIR, hive_partitioning) and
//       writes answer N.txt: its rows, '|'-separated, NULL as empty.
import { DuckDBInstance } from '@duckdb/node-api';
import avro from 'avsc';
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';

const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
const [mode, out] = process.argv.slice(2);

if (mode === 'write') {
  await con.run(`CREATE TABLE sales AS SELECT i::INTEGER AS id,
      CASE WHEN i % 13 = 3 THEN 'item, ' || (i % 13) ELSE 'item_' || (i % 13) END AS item,
      CASE WHEN i % 11 = 0 THEN NULL ELSE (i * 1.25)::DECIMAL(12,2) END AS amount,
      (DATE '2022-01-01' + (i % 900)::INTEGER) AS day,
      (2022 + i % 3)::INTEGER AS year, (1 + (i // 7) % 12)::INTEGER AS month
    FROM range(1, 3001) r(i)`);
  await con.run(`COPY sales TO '${out}/sales_pq' (FORMAT parquet, PARTITION_BY (year, month))`);
  await con.run(`COPY sales TO '${out}/sales_csv' (FORMAT csv, HEADER true, PARTITION_BY (year, month))`);
  await con.run(`COPY (SELECT id, item, amount, day FROM sales) TO '${out}/flat/sales.txt.gz' (FORMAT csv, HEADER false, DELIMITER '|', QUOTE '', NULLSTR '\\N')`);
  await con.run(`COPY (SELECT id, item, amount, day FROM sales) TO '${out}/json/sales.json' (FORMAT json)`);
  await con.run(`COPY (SELECT DISTINCT item, CASE WHEN item < 'item_5' THEN 'low' ELSE 'high' END AS category FROM sales)
                 TO '${out}/items.txt' (FORMAT csv, HEADER false, DELIMITER '|', QUOTE '')`);
  console.log('ok');
  process.exit(0);
}

if (mode === 'avro') {  // the JSON lines of sales as an Avro container (avsc; deflate blocks)
  const schema = {type: 'record', name: 'sale', fields: [
    {name: 'id', type: 'int'},
    {name: 'item', type: ['null', 'string']},
    {name: 'amount', type: ['null', {type: 'bytes', logicalType: 'decimal', precision: 12, scale: 2}]},
    {name: 'day', type: {type: 'int', logicalType: 'date'}},
    {name: 'flag', type: 'boolean'},
    {name: 'ts', type: ['null', {type: 'long', logicalType: 'timestamp-micros'}]},
    {name: 'score', type: 'double'},
  ]};
  // A decimal's unscaled value as big-endian two's complement bytes.
  const decimalBytes = (cents) => {
    let v = BigInt(cents);
    const out = [];
    do { out.unshift(Number(v & 0xffn)); v >>= 8n; } while (!(v === 0n && (out[0] & 0x80) === 0) && !(v === -1n && (out[0] & 0x80) !== 0));
    return Buffer.from(out);
  };
  mkdirSync(`${out}/avro`, { recursive: true });
  const enc = new avro.streams.BlockEncoder(schema, { codec: 'deflate', blockSize: 16384 });
  const file = createWriteStream(`${out}/avro/sales.avro`);
  enc.pipe(file);
  for (const line of readFileSync(`${out}/json/sales.json`, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const r = JSON.parse(line);
    const days = Math.round(Date.parse(`${r.day}T00:00:00Z`) / 86400000);
    enc.write({
      id: r.id, item: r.item, amount: r.amount === null ? null : decimalBytes(Math.round(r.amount * 100)), day: days,
      flag: r.id % 2 === 0, ts: r.id % 5 === 0 ? null : days * 86400000000 + r.id * 1000000, score: r.id * 0.5,
    });
  }
  enc.end();
  await new Promise((resolve) => file.on('close', resolve));  // the bytes are on disk
  console.log('ok');
  process.exit(0);
}

if (mode === 'grow') {  // a new partition whose file has one more column (a schema that grew)
  await con.run(`COPY (SELECT i::INTEGER AS id, 'new_' || i AS item, (i * 2)::DECIMAL(12,2) AS amount,
                 DATE '2030-01-01' AS day, i::BIGINT AS bonus FROM range(1, 6) r(i))
                 TO '${out}/sales_pq/year=2030/month=1/grown.parquet' (FORMAT parquet)`);
  console.log('ok');
  process.exit(0);
}

if (mode === 'check') {  // rows and sum(amount) of the Hive-partitioned Parquet files under OUTDIR
  const r = await con.runAndReadAll(`SELECT count(*)::BIGINT AS n, sum(amount)::DECIMAL(18,2) AS s
                                     FROM read_parquet('${out}/**/*.parquet', hive_partitioning = true)`);
  const row = r.getRowObjects()[0];
  console.log(`${row.n}|${row.s}`);
  process.exit(0);
}

const [, , , , queries, answers] = process.argv;
const cast = `id::INTEGER AS id, item::VARCHAR AS item, amount::DECIMAL(12,2) AS amount, day::DATE AS day`;
await con.run(`CREATE SCHEMA spectrum`);
for (const name of ['sales', 'sales_s3']) {
  await con.run(`CREATE VIEW spectrum.${name} AS SELECT ${cast}, year::INTEGER AS year, month::INTEGER AS month
                 FROM read_parquet('${out}/sales_pq/**/*.parquet', hive_partitioning = true)`);
}
await con.run(`CREATE VIEW spectrum.sales_csv AS SELECT ${cast}, year::INTEGER AS year, month::INTEGER AS month
               FROM read_csv('${out}/sales_csv/**/*.csv', hive_partitioning = true, header = true, all_varchar = true)`);
await con.run(`CREATE VIEW spectrum.flat_gz AS SELECT ${cast} FROM read_csv('${out}/flat/sales.txt.gz', delim = '|',
               header = false, quote = '', nullstr = '\\N', columns = {'id': 'INTEGER', 'item': 'VARCHAR', 'amount': 'DECIMAL(12,2)', 'day': 'DATE'})`);
await con.run(`CREATE VIEW spectrum.sales_json AS SELECT ${cast} FROM read_json('${out}/json/sales.json',
               columns = {'id': 'INTEGER', 'item': 'VARCHAR', 'amount': 'DECIMAL(12,2)', 'day': 'DATE'})`);
await con.run(`CREATE TABLE items AS SELECT * FROM read_csv('${out}/items.txt', delim = '|', header = false, quote = '',
               columns = {'item': 'VARCHAR', 'category': 'VARCHAR'})`);
let n = 0;
for (const line of readFileSync(queries, 'utf8').split('\n')) {
  const q = line.trim();
  if (q === '' || q.startsWith('--')) continue;
  n++;
  await con.run(`COPY (${q}) TO '${answers}/${n}.txt' (FORMAT csv, DELIMITER '|', HEADER false, QUOTE '', NULLSTR '')`);
}
console.log(n);
