#!/usr/bin/env bash
# The load/unload tests against a real S3-compatible server: starts `s3rver` (npm, installed in
# tests/tools by `make tools`) on a free loopback port, uploads the fixtures of tests/load/fixtures
# plus generated ones (gzip/bzip2 files, a truncated gzip, Parquet files written by DuckDB, a
# corrupt Parquet footer) with `strata objects cp`, runs the SQL logic tests of tests/load/sql
# against a cluster whose nodes reach s3rver through the AWS_* settings, and finally has DuckDB
# read the Parquet files Strata unloaded. s3rver is stopped by PID; every wait is bounded.
#
#   tests/load/run_load_tests.sh path/to/strata path/to/strata_sqltest
set -euo pipefail
strata=${1:?usage: run_load_tests.sh STRATA STRATA_SQLTEST}
sqltest=${2:?usage: run_load_tests.sh STRATA STRATA_SQLTEST}
here=$(cd "$(dirname "$0")" && pwd)
tools=$here/../tools
source "$here/../lib/s3rver.sh"
work=$(mktemp -d)
cleanup() { s3rver_stop; rm -rf "$work"; }
trap cleanup EXIT

# s3rver on a free port, with the test bucket (tests/lib/s3rver.sh).
s3rver_start "$work" "$tools" strata-test

# Fixtures.
fx=$work/fx
mkdir -p "$fx"
cp "$here"/fixtures/* "$fx/"
gzip -c "$fx/quoted.csv" > "$fx/quoted.csv.gz"
bzip2 -c "$fx/pipe.txt" > "$fx/pipe.txt.bz2"
head -c 40 "$fx/quoted.csv.gz" > "$fx/truncated.csv.gz"
(cd "$tools" && node "$tools/load_parquet.mjs" "$fx" > /dev/null)
head -c $(( $(stat -c %s "$fx/snappy.parquet") - 5 )) "$fx/snappy.parquet" > "$fx/corrupt.parquet"
up() { "$strata" objects cp "$fx/$1" "s3://strata-test/$2" > /dev/null; }
up quoted.csv csv/quoted.csv
up quoted.csv.gz csvgz/quoted.csv.gz
up pipe.txt.bz2 bz2/pipe.txt.bz2
up truncated.csv.gz bad/truncated.csv.gz
up pipe.txt text/pipe.txt
up people.json json/people.json
up jsonpaths.json jsonpaths/paths.json
up bad_rows.txt badrows/bad_rows.txt
up fill.txt fill/fill.txt
up part-a.txt manifest/part-a.txt
up part-b.txt manifest/part-b.txt
up part-c.txt manifest/part-c.txt
up manifest.json manifests/ok.json
up manifest_missing.json manifests/missing.json
for v in snappy gzip zstd plain v2 rowgroups; do up "$v.parquet" "parquet/$v/data.parquet"; done
up snappy.parquet parquet/all/a.parquet
up gzip.parquet parquet/all/b.parquet
up corrupt.parquet bad/corrupt.parquet
# A prefix with many objects: the listing pages (s3rver answers 1000 keys a page).
for i in $(seq 1 12); do printf '%d|p%d\n' "$i" "$i" > "$fx/p$i.txt"; up "p$i.txt" "many/p$(printf %03d "$i").txt"; done

# An object that vanishes between the listing and the read (tests/load/sql/load_errors.test).
printf '1|a\n' > "$fx/v1.txt"; up v1.txt vanish/a.txt; up v1.txt vanish/b.txt
export STRATA_FAULT_VANISH=s3://strata-test/vanish/b.txt

# The SQL tests (the cluster inherits the AWS_* settings).
"$sqltest" --strata "$strata" --dir "$here/sql"

# DuckDB reads what Strata unloaded as Parquet (tests/load/sql/manifest_unload.test writes it).
mkdir -p "$work/unloaded"
for url in $("$strata" objects ls s3://strata-test/unload/pq/ | awk '{print $2}'); do
  "$strata" objects cp "$url" "$work/unloaded/$(basename "$url")" > /dev/null
done
got=$(cd "$tools" && node "$tools/load_parquet.mjs" --check "$work/unloaded")
want="1000 500500 858 536786.25"
if [ "$got" == "$want" ]; then
  echo "ok   DuckDB reads Strata's Parquet: $got"
else
  echo "FAIL DuckDB reads Strata's Parquet: expected '$want', got '$got'"
  exit 1
fi
