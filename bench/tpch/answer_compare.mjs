// Checks one TPC-H query's answer from an engine against DuckDB's (the reference of the
// benchmark), in the spirit of tests/tpch/result_compare.{h,cpp} (the differential test's rules
// against PostgreSQL), reimplemented here so the benchmark links no C++. Answers are the TSV files
// bench/tpch/run keeps: a header line of column names, then one line per row, NULL as \N.
// Rules: a value is a number when its whole text parses as one (dates and phone numbers do not);
// numbers match within 1e-6 relative, or within 0.01 absolute when either side is written with
// at most two decimals (money-like DECIMAL(15,2) results, which engines round differently from
// a double), or within one unit of the last decimal when the less precise side has 3 to 5
// decimals (a DECIMAL quotient: Q08's mkt_share is 0.0310 in Strata, 0.030950808... in DuckDB);
// text matches after trailing blanks are trimmed (CHAR(n) padding); NULL matches only
// NULL. Without ORDER BY, rows are compared as sorted multisets. With ORDER BY, rows are compared
// in order, except that a run of rows tied on the ORDER BY keys (found by name in the header)
// may come in any order; when a key cannot be found, the order is compared strictly.
import { readFileSync } from 'node:fs';

const trim = (s) => s.replace(/ +$/, '');

function parseNumber(text) {
  const t = trim(text);
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(t)) return null;
  const v = Number(t);
  return Number.isFinite(v) ? v : null;
}

const decimals = (text) => { const m = /\.(\d*)$/.exec(trim(text)); return m ? m[1].length : 0; };

export function valuesMatch(a, b) {
  if (a === null || b === null) return a === b;
  if (trim(a) === trim(b)) return true;
  const x = parseNumber(a);
  const y = parseNumber(b);
  if (x === null || y === null) return false;
  const diff = Math.abs(x - y);
  if (diff <= 1e-6 * Math.max(Math.abs(x), Math.abs(y))) return true;
  const d = Math.min(decimals(a), decimals(b));
  if (d <= 2) return diff <= 0.01 + 1e-9;
  return d <= 5 && diff <= 10 ** -d * (1 + 1e-9);
}

// A total order used only to bring both sides into the same order: NULL first, numbers by
// value, text by code units after trimming.
function compareValues(a, b) {
  if (a === null || b === null) return (a !== null) - (b !== null);
  const x = parseNumber(a);
  const y = parseNumber(b);
  if (x !== null && y !== null) return x < y ? -1 : x > y ? 1 : 0;
  if ((x !== null) !== (y !== null)) return x !== null ? -1 : 1;
  const s = trim(a);
  const t = trim(b);
  return s < t ? -1 : s > t ? 1 : 0;
}

function compareRows(a, b) {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const c = compareValues(a[i], b[i]);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

export function readAnswer(path) {
  const lines = readFileSync(path, 'utf8').split('\n');
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  const split = (l) => l.split('\t').map((v) => (v === '\\N' ? null : v));
  return { header: lines.length ? lines[0].split('\t') : [], rows: lines.slice(1).map(split) };
}

// The output column positions of the final ORDER BY's keys, [] without ORDER BY, null when a
// key is not an output column name or position.
export function orderKeys(sqlText, header) {
  const text = sqlText.split('\n').map((l) => l.replace(/--.*$/, '')).join('\n').toLowerCase();
  const at = text.lastIndexOf('order by');
  if (at < 0 || !/\border\s+by\b/.test(text)) return [];
  const clause = text.slice(at + 'order by'.length).split(/\blimit\b|;/)[0];
  const names = header.map((h) => h.toLowerCase());
  const keys = [];
  for (const item of clause.split(',')) {
    const name = item.trim().replace(/\s+(asc|desc)$/, '').trim();
    if (/^\d+$/.test(name) && Number(name) >= 1 && Number(name) <= names.length) { keys.push(Number(name) - 1); continue; }
    const i = names.indexOf(name.replace(/^.*\./, ''));
    if (i < 0) return null;
    keys.push(i);
  }
  return keys;
}

const quote = (v) => (v === null ? 'NULL' : `'${trim(v).length > 60 ? trim(v).slice(0, 57) + '...' : trim(v)}'`);
const formatRow = (r) => `(${r.map(quote).join(', ')})`;

// Returns null when `actual` matches `expected` (DuckDB's), else a description of the first
// difference. `keys`: orderKeys() of the query ([] = unordered, null = strictly ordered).
export function firstDifference(expected, actual, keys, names = ['duckdb', 'strata']) {
  const [en, an] = names;
  let e = expected;
  let a = actual;
  let ordered = keys === null || keys.length > 0;
  if (!ordered) {
    e = [...e].sort(compareRows);
    a = [...a].sort(compareRows);
  } else if (keys !== null) {
    // Sort each run of rows tied on the keys (runs taken from the reference) on both sides.
    e = [...e];
    a = [...a];
    for (let i = 0; i < e.length;) {
      let j = i + 1;
      while (j < e.length && keys.every((k) => valuesMatch(e[i][k] ?? null, e[j][k] ?? null))) j++;
      if (j - i > 1) {
        e.splice(i, j - i, ...e.slice(i, j).sort(compareRows));
        if (i < a.length) a.splice(i, Math.min(j, a.length) - i, ...a.slice(i, j).sort(compareRows));
      }
      i = j;
    }
  }
  const common = Math.min(e.length, a.length);
  for (let r = 0; r < common; r++) {
    if (e[r].length !== a[r].length) return `column count differs: ${en} ${e[r].length}, ${an} ${a[r].length}`;
    for (let c = 0; c < e[r].length; c++) {
      if (!valuesMatch(e[r][c], a[r][c])) {
        return `${ordered ? 'row' : 'sorted row'} ${r + 1} column ${c + 1}: ${en} ${quote(e[r][c])}, ${an} ${quote(a[r][c])}\n` +
               `      ${en.padEnd(8)} ${formatRow(e[r])}\n      ${an.padEnd(8)} ${formatRow(a[r])}`;
      }
    }
  }
  if (e.length !== a.length) {
    let m = `row count differs: ${en} ${e.length}, ${an} ${a.length}`;
    if (e.length > common) m += `\n      first missing ${formatRow(e[common])}`;
    if (a.length > common) m += `\n      first extra   ${formatRow(a[common])}`;
    return m;
  }
  return null;
}
