// DuckDB's side of the COPY throughput benchmark (bench/load/run calls it): in one in-memory
// DuckDB it loads the dbgen lineitem.tbl through read_csv, writes it out with its own
// COPY TO parquet, and loads the Parquet files Strata's UNLOAD wrote. Each step is timed
// in-process. Prints tab-separated lines (bytes are filled in by the caller where it knows them):
//   <source> <rows> <seconds>
// Usage: node duckdb_load.mjs MODULES_DIR TBL_FILE STRATA_PARQUET_DIR OUT_PARQUET_FILE
import { createRequire } from 'node:module';

const [modulesDir, tblFile, strataPqDir, outParquet] = process.argv.slice(2);
const { DuckDBInstance } = createRequire(`${modulesDir}/`)('@duckdb/node-api');

const columns = {
  l_orderkey: 'INTEGER', l_partkey: 'INTEGER', l_suppkey: 'INTEGER', l_linenumber: 'INTEGER',
  l_quantity: 'DECIMAL(15,2)', l_extendedprice: 'DECIMAL(15,2)', l_discount: 'DECIMAL(15,2)',
  l_tax: 'DECIMAL(15,2)', l_returnflag: 'VARCHAR', l_linestatus: 'VARCHAR', l_shipdate: 'DATE',
  l_commitdate: 'DATE', l_receiptdate: 'DATE', l_shipinstruct: 'VARCHAR', l_shipmode: 'VARCHAR',
  l_comment: 'VARCHAR',
};
const spec = Object.entries(columns).map(([n, t]) => `'${n}': '${t}'`).join(', ');

const instance = await DuckDBInstance.create(':memory:');
const conn = await instance.connect();

async function timed(sql) {
  const start = process.hrtime.bigint();
  await conn.run(sql);
  return Number(process.hrtime.bigint() - start) / 1e9;
}
async function count(table) {
  const r = await conn.runAndReadAll(`select count(*) from ${table}`);
  return Number(r.getRows()[0][0]);
}

let s = await timed(`create table lineitem as select * from read_csv('${tblFile}', delim = '|', ` +
                    `header = false, quote = '', escape = '', columns = {${spec}})`);
console.log(`tbl\t${await count('lineitem')}\t${s.toFixed(3)}`);

s = await timed(`copy lineitem to '${outParquet}' (format parquet)`);
console.log(`unload-parquet\t${await count('lineitem')}\t${s.toFixed(3)}`);

s = await timed(`create table lineitem_pq as select * from read_parquet('${strataPqDir}/*.parquet')`);
console.log(`parquet(strata)\t${await count('lineitem_pq')}\t${s.toFixed(3)}`);

s = await timed(`create table lineitem_own as select * from read_parquet('${outParquet}')`);
console.log(`parquet(duckdb)\t${await count('lineitem_own')}\t${s.toFixed(3)}`);
