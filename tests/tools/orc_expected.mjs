// Compares Strata's rows of an ORC file (psql -At -F '|' -P null='\N' output) with the Apache ORC
// project's expected contents of that file (a gzipped JSON value per row; see
// tests/spectrum/fixtures/orc/README.md), as sorted multisets after putting both in one form:
// integers exactly (big ones kept as text), floating point to 7 or 15 significant digits,
// decimals as numbers, timestamps to microseconds without trailing zeros, booleans as t/f.
//
//   node orc_expected.mjs EXPECTED.jsn.gz ACTUAL.txt name:kind,...   (kind: int float double
//   decimal string bool timestamp date); prints "ok N rows" or the first difference (exit 1).
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

const [expectedPath, actualPath, spec] = process.argv.slice(2);
const cols = spec.split(',').map((c) => c.split(':'));

function norm(kind, v) {
  if (v === null || v === undefined || v === '\\N') return '\\N';
  const s = String(v);
  switch (kind) {
    case 'int': return BigInt(s).toString();
    case 'float': return String(Number(Number(s).toPrecision(7)));
    case 'double': case 'decimal': return String(Number(Number(s).toPrecision(15)));
    case 'bool': return s === 'true' || s === 't' ? 't' : 'f';
    case 'timestamp': {
      const [whole, frac = ''] = s.split('.');
      const f = frac.slice(0, 6).replace(/0+$/, '');
      return f ? `${whole}.${f}` : whole;
    }
    default: return s;
  }
}

// Integers too long for a double stay text, so they compare exactly.
const text = gunzipSync(readFileSync(expectedPath)).toString('utf8').replace(/([:\[,]\s*)(-?\d{16,})(?=\s*[,\]\}])/g, '$1"$2"');
const expected = text.split('\n').filter((l) => l.trim()).map((l) => {
  const obj = JSON.parse(l);
  const row = typeof obj === 'object' && obj !== null ? obj : { _col0: obj };
  return cols.map(([name, kind]) => norm(kind, row[name])).join('|');
}).sort();
const actual = readFileSync(actualPath, 'utf8').split('\n').filter((l) => l.length).map((l) => {
  const f = l.split('|');
  return cols.map(([, kind], i) => norm(kind, f[i])).join('|');
}).sort();
if (expected.length !== actual.length) {
  console.log(`row count: expected ${expected.length}, got ${actual.length}`);
  process.exit(1);
}
for (let i = 0; i < expected.length; i++) {
  if (expected[i] !== actual[i]) {
    console.log(`row ${i} (sorted): expected ${expected[i]}, got ${actual[i]}`);
    process.exit(1);
  }
}
console.log(`ok ${expected.length} rows`);
