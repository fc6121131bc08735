#!/usr/bin/env python3
"""Writes the SQL fuzz corpus from the SQL logic tests: every distinct statement of
tests/sql/**/*.test (the text after `statement ...` / `query ...` up to a blank line or
`----`), one file each, named <test file>-<n>.sql, after the last few CREATE TABLE / VIEW
statements that succeeded before it in the same file (so that its tables exist in the fuzz
target's catalog; tests/fuzz/front_end.h). Statements longer than --max-bytes are
left out (the fuzz targets care about small inputs), as is anything listed in --exclude
(one regular expression per line: known crashers not fixed yet).

  extract_sql_seeds.py TESTS_SQL_DIR OUT_DIR [--max-bytes N] [--exclude FILE]
"""
import argparse
import hashlib
import os
import re


def statements(path):
    lines = open(path, encoding="utf-8", errors="replace").read().split("\n")
    i = 0
    while i < len(lines):
        head = lines[i].strip()
        i += 1
        if not (head.startswith("statement") or head.startswith("query")):
            continue
        body = []
        while i < len(lines) and lines[i].strip() != "" and lines[i].strip() != "----":
            body.append(lines[i])
            i += 1
        if body:
            yield head, "\n".join(body)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("tests_dir")
    p.add_argument("out_dir")
    p.add_argument("--max-bytes", type=int, default=2048)
    p.add_argument("--exclude")
    a = p.parse_args()
    excludes = []
    if a.exclude:
        excludes = [re.compile(l.strip()) for l in open(a.exclude) if l.strip() and not l.startswith("#")]
    os.makedirs(a.out_dir, exist_ok=True)
    seen = set()
    for root, _, files in sorted(os.walk(a.tests_dir)):
        for name in sorted(files):
            if not name.endswith(".test"):
                continue
            stem = os.path.relpath(os.path.join(root, name), a.tests_dir)[:-5].replace("/", "_")
            creates = []
            for n, (head, sql) in enumerate(statements(os.path.join(root, name))):
                stmt = sql
                sql = ";\n".join(creates[-6:] + [stmt])
                if head.startswith("statement ok") and re.match(r"(?is)\s*create\s+(or\s+replace\s+)?(table|view)", stmt):
                    creates.append(stmt)
                digest = hashlib.sha1(sql.encode()).hexdigest()
                if digest in seen or len(sql.encode()) > a.max_bytes or any(e.search(sql) for e in excludes):
                    continue
                seen.add(digest)
                with open(os.path.join(a.out_dir, f"{stem}-{n}.sql"), "w", encoding="utf-8") as f:
                    f.write(sql)


if __name__ == "__main__":
    main()
