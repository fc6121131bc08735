#!/usr/bin/env python3
"""Writes the synthetic part of the wire fuzz corpus: one small file per protocol path the
recorded client sessions (record_client.py) do not reach, built message by message like the
pgwire unit tests' builders (tests/unit/pgwire/wire_test_support.h).

  make_wire_seeds.py OUT_DIR
"""
import os
import struct
import sys


def i16(v): return struct.pack(">h", v)
def i32(v): return struct.pack(">i", v)
def cstr(s): return s.encode() + b"\0"
def frame(t, body=b""): return t.encode() + i32(len(body) + 4) + body


def startup(user="alice", db="dev", version=196608, extra=()):
    body = i32(version) + cstr("user") + cstr(user) + cstr("database") + cstr(db)
    for k, v in extra:
        body += cstr(k) + cstr(v)
    body += b"\0"
    return i32(len(body) + 4) + body


def ssl(): return i32(8) + i32(80877103)
def gss(): return i32(8) + i32(80877104)
def cancel(pid, key): return i32(16) + i32(80877102) + i32(pid) + i32(key)
def query(sql): return frame("Q", cstr(sql))


def parse(name, sql, oids=()):
    return frame("P", cstr(name) + cstr(sql) + i16(len(oids)) + b"".join(i32(o) for o in oids))


def bind(portal, stmt, params=(), pfmts=(), rfmts=()):
    body = cstr(portal) + cstr(stmt) + i16(len(pfmts)) + b"".join(i16(f) for f in pfmts)
    body += i16(len(params))
    for p in params:
        body += i32(-1) if p is None else i32(len(p)) + p
    return frame("B", body + i16(len(rfmts)) + b"".join(i16(f) for f in rfmts))


def describe(kind, name): return frame("D", kind.encode() + cstr(name))
def execute(portal, n=0): return frame("E", cstr(portal) + i32(n))
def close(kind, name): return frame("C", kind.encode() + cstr(name))
def sync(): return frame("S")
def flush(): return frame("H")
def term(): return frame("X")
def copy_data(b): return frame("d", b)
def copy_done(): return frame("c")
def copy_fail(msg): return frame("f", cstr(msg))


S = startup()
SEEDS = {
    "ssl_then_startup": ssl() + S + query("select 1") + term(),
    "gss_ssl_then_startup": gss() + ssl() + S + query("select a from t") + term(),
    "cancel_request": cancel(1, 2),
    "cancel_garbage": i32(12) + i32(80877102) + i32(7),
    "protocol_3_1_options": startup(version=196609, extra=[("_pq_.foo", "1"), ("options", "-c search_path=public"),
                                                          ("application_name", "fz"), ("client_encoding", "UTF8")])
                            + query("show application_name") + term(),
    "protocol_2": startup(version=131072),
    "replication_startup": startup(extra=[("replication", "database")]) + query("select 1"),
    "empty_query": S + query("") + query(";;") + query("-- c\n") + term(),
    "extended_full": S + parse("s1", "select a, c, d from t where a = $1 and c = $2", [23, 25])
                     + describe("S", "s1") + bind("p1", "s1", [b"1", b"x"]) + describe("P", "p1")
                     + execute("p1", 0) + close("P", "p1") + close("S", "s1") + sync() + term(),
    "extended_binary": S + parse("", "select b, d, e, f, g, h from t where a = $1 and b = $2", [23, 20])
                       + bind("", "", [i32(7), struct.pack(">q", 9)], [1], [1, 0, 1, 1, 1, 1])
                       + execute("", 0) + sync() + term(),
    "extended_binary_types": S + parse("q", "select $1::int2, $2::float4, $3::float8, $4::bool, $5::date, $6::timestamp, $7::numeric",
                                       [21, 700, 701, 16, 1082, 1114, 1700])
                             + bind("", "q", [i16(3), struct.pack(">f", 1.5), struct.pack(">d", -2.25), b"\1",
                                              i32(-365), struct.pack(">q", 86400000000),
                                              i16(2) + i16(0) + i16(0) + i16(0) + i16(12) + i16(3400)], [1], [1])
                             + describe("P", "") + execute("", 0) + sync() + term(),
    "extended_nulls": S + parse("", "insert into n values ($1, $2)") + bind("", "", [None, None]) + execute("")
                      + sync() + term(),
    # Once crashed the leader (issue 14 item 2): parameter numbers $0 and past 65535.
    "regression_parse_param_zero": S + parse("", "insert into t (a, b) values ($0, $2)") + bind("", "", [b"1", b"2"])
                                   + execute("") + sync() + query("select 1 where 1 = $0") + term(),
    "regression_parse_param_huge": S + parse("", "select $2147483647", [23]) + describe("S", "") + sync()
                                   + parse("", "select $60000000") + sync() + term(),
    "extended_row_limit": S + query("begin") + parse("", "select id, name from n") + bind("c", "")
                          + execute("c", 1) + execute("c", 1) + execute("c", 0) + sync() + query("commit") + term(),
    "extended_error_skips": S + parse("", "select nosuch from t") + bind("", "") + execute("") + flush() + sync()
                            + query("select 1") + term(),
    "extended_no_sync_eof": S + parse("x", "select 1") + bind("", "x") + execute(""),
    "extended_unknown_portal": S + describe("P", "nope") + execute("nope", 0) + close("S", "nope") + sync() + term(),
    "extended_bad_describe": S + frame("D", b"Z" + cstr("x")) + sync() + term(),
    "extended_params_mismatch": S + parse("", "select $1 + $2") + bind("", "", [b"1"]) + sync()
                                + bind("", "", [b"1", b"2", b"3"], [0, 1]) + sync() + term(),
    "copy_in_simple": S + query("copy n from stdin") + copy_data(b"1\tone\n2\t\\N\n") + copy_data(b"3\tth")
                      + copy_data(b"ree\n\\.\n") + copy_done() + query("select 1") + term(),
    "copy_in_types": S + query("copy t from stdin") + copy_data(
        b"1\t2\tx\t1.25\t2020-01-01\t2020-01-01 10:11:12.5\tt\tNaN\n"
        b"\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\n-2147483648\t9223372036854775807\t\t-0\tinfinity\t-infinity\tfalse\t1e308\n")
                     + copy_done() + term(),
    "copy_in_fail": S + query("copy n from stdin") + copy_data(b"1\tone\n") + copy_fail("client gave up") + query("select 1") + term(),
    "copy_in_other_message": S + query("copy n from stdin") + copy_data(b"1\tone\n") + query("select 2") + term(),
    "copy_in_extended": S + parse("", "copy u from stdin") + bind("", "") + execute("") + copy_data(b"1\tab\t2\t1.5\tx\t2020-01-01 00:00:00+00\t3.5\n")
                        + copy_done() + sync() + term(),
    "copy_in_bad_row": S + query("copy n from stdin") + copy_data(b"x\ty\tz\n") + copy_done() + query("select 1") + term(),
    "copy_out": S + query("copy t to stdout") + query("copy (select a from t) to stdout") + term(),
    "copy_data_outside_copy": S + copy_data(b"junk") + copy_done() + copy_fail("x") + query("select 1") + term(),
    "function_call": S + frame("F", i32(1234) + i16(0) + i16(0) + i16(0)) + sync() + term(),
    "unknown_message": S + frame("?", b"abc") + term(),
    "bad_length": S + b"Q" + i32(2) + b"x",
    "huge_length": S + b"Q" + i32(0x7FFFFFFF),
    "startup_too_long": i32(20000) + i32(196608),
    "startup_no_user": i32(9) + i32(196608) + b"\0",
    "startup_unterminated": i32(20) + i32(196608) + b"user\0alice\0dat",
    "password_when_trusted": S + frame("p", cstr("pw")) + query("select 1") + term(),
    "scram_bad_mechanism": startup(user="scram_user") + frame("p", cstr("PLAIN") + i32(4) + b"abcd"),
    "scram_first": startup(user="scram_user") + frame("p", cstr("SCRAM-SHA-256") + i32(28) + b"n,,n=,r=rOprNGfwEbeRWgbNEkqO")
                   + frame("p", b"c=biws,r=rOprNGfwEbeRWgbNEkqO,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="),
    "md5_wrong": startup(user="md5_user") + frame("p", cstr("md5" + "0" * 32)),
    "txn_states": S + query("begin") + query("select nosuch") + query("select 1") + query("rollback")
                  + query("begin; select 1; commit") + query("commit") + term(),
    "set_and_show": S + query("set application_name = 'x'; show application_name; set search_path = public") + term(),
    "multi_statement_error": S + query("select 1; select nosuch; select 2") + term(),
    "cursor": S + query("begin; declare c cursor for select a from t; fetch 2 from c; close c; commit") + term(),
}


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for name, data in SEEDS.items():
        with open(os.path.join(out, "synthetic_" + name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
