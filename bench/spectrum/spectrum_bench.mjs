// DuckDB's side of the Spectrum benchmark (bench/spectrum/run calls it).
//   node spectrum_bench.mjs write TBL_DIR OUT_DIR
//       lineitem.tbl as Parquet partitioned by ship month (l_shipmonth=YYYY-MM, ~84 folders) and
//       as gzip pipe-delimited text files; part.tbl stays for the local table.
//   node spectrum_bench.mjs wide OUT_DIR N
//       a table of N Hive partitions (k=0..N-1), one small Parquet file each.
//   node spectrum_bench.mjs time OUT_DIR QUERIES RUNS
//       each query (one per line, "name<TAB>sql") against read_parquet(..., hive_partitioning)
//       views; prints "name<TAB>best seconds" (after a warm-up run).
import { readFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';

const db = await DuckDBInstance.create(':memory:', { threads: '2' });
const con = await db.connect();
const [mode, a, b, c] = process.argv.slice(2);
const lineitemCols = `{'l_orderkey':'BIGINT','l_partkey':'BIGINT','l_suppkey':'BIGINT','l_linenumber':'INTEGER',
  'l_quantity':'DECIMAL(15,2)','l_extendedprice':'DECIMAL(15,2)','l_discount':'DECIMAL(15,2)','l_tax':'DECIMAL(15,2)',
  'l_returnflag':'VARCHAR','l_linestatus':'VARCHAR','l_shipdate':'DATE','l_commitdate':'DATE','l_receiptdate':'DATE',
  'l_shipinstruct':'VARCHAR','l_shipmode':'VARCHAR','l_comment':'VARCHAR'}`;

if (mode === 'write') {
  await con.run(`CREATE TABLE lineitem AS SELECT * FROM read_csv('${a}/lineitem.tbl', delim='|', header=false, columns=${lineitemCols})`);
  await con.run(`COPY (SELECT *, strftime(l_shipdate, '%Y-%m') AS l_shipmonth FROM lineitem)
                 TO '${b}/lineitem_pq' (FORMAT parquet, PARTITION_BY (l_shipmonth), ROW_GROUP_SIZE 122880)`);
  await con.run(`COPY lineitem TO '${b}/lineitem_gz/lineitem.txt.gz' (FORMAT csv, DELIMITER '|', HEADER false, QUOTE '')`);
  console.log('ok');
} else if (mode === 'wide') {
  await con.run(`COPY (SELECT i % ${b} AS k, i AS v FROM range(0, ${b} * 2) t(i)) TO '${a}/wide' (FORMAT parquet, PARTITION_BY (k))`);
  console.log('ok');
} else {
  await con.run(`CREATE SCHEMA spectrum`);
  await con.run(`CREATE VIEW spectrum.lineitem AS SELECT * REPLACE (l_shipmonth::VARCHAR AS l_shipmonth)
                 FROM read_parquet('${a}/lineitem_pq/**/*.parquet', hive_partitioning = true, hive_types_autocast = false)`);
  await con.run(`CREATE VIEW spectrum.lineitem_gz AS SELECT * FROM read_csv('${a}/lineitem_gz/*.gz', delim='|', header=false, quote='', columns=${lineitemCols})`);
  await con.run(`CREATE VIEW spectrum.wide AS SELECT * FROM read_parquet('${a}/wide/**/*.parquet', hive_partitioning = true)`);
  await con.run(`CREATE TABLE part AS SELECT * FROM read_csv('${a}/part.tbl', delim='|', header=false, columns={
    'p_partkey':'BIGINT','p_name':'VARCHAR','p_mfgr':'VARCHAR','p_brand':'VARCHAR','p_type':'VARCHAR','p_size':'INTEGER',
    'p_container':'VARCHAR','p_retailprice':'DECIMAL(15,2)','p_comment':'VARCHAR'})`);
  const runs = Number(c || 3);
  for (const line of readFileSync(b, 'utf8').split('\n')) {
    if (!line.trim() || line.startsWith('#')) continue;
    const [name, sql] = line.split('\t');
    await con.runAndReadAll(sql);  // warm-up
    let best = Infinity;
    for (let i = 0; i < runs; i++) {
      const t = process.hrtime.bigint();
      await con.runAndReadAll(sql);
      best = Math.min(best, Number(process.hrtime.bigint() - t) / 1e9);
    }
    console.log(`${name}\t${best.toFixed(3)}`);
  }
}
