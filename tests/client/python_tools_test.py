#!/usr/bin/python3
# SQLAlchemy 1.4 reflection and pandas 1.5 (Debian's python3-sqlalchemy, python3-psycopg2,
# python3-pandas) against a running server: python_tools_test.py URL, URL being a SQLAlchemy
# URL (postgresql+psycopg2://user@host:port/db). Run by tests/client/python_tools_test.sh
# against a Strata cluster; the expectations are PostgreSQL 15's answers to the same calls (the
# script passes against PostgreSQL 15 too). Each check prints "ok   name" or "FAIL name" with
# what was expected; the exit code is 1 if any check failed.
import datetime
import decimal
import sys
import warnings

import pandas
import sqlalchemy
from sqlalchemy import MetaData, Table, inspect, text

passed = 0
failed = 0


def check(name, expected, actual):
    global passed, failed
    if expected == actual:
        print("ok   " + name)
        passed += 1
    else:
        print("FAIL %s\n  expected: %r\n  actual:   %r" % (name, expected, actual))
        failed += 1


def section(name, body):
    # One group of checks; an unexpected exception is one FAIL and the next group still runs.
    global failed
    try:
        body()
    except Exception as e:  # noqa: BLE001 - a failing client call is what this test reports
        print("FAIL %s (no exception)\n  %s: %s" % (name, type(e).__name__, str(e).strip()))
        failed += 1


engine = sqlalchemy.create_engine(sys.argv[1])
with engine.connect() as probe:
    STRATA = "Strata" in probe.execute(text("select version()")).scalar()
# Redshift's TEXT is VARCHAR(256), and so is Strata's (Redshift's documented rule); PostgreSQL
# keeps TEXT.
TEXT = "VARCHAR(256)" if STRATA else "TEXT"
# Warnings (e.g. "did not recognize type") are failures here: reflection must understand every column.
warnings.simplefilter("error", sqlalchemy.exc.SAWarning)

SETUP = [
    "drop view if exists pyt_big_orders",
    "drop table if exists pyt_orders",
    "drop table if exists pyt_customers",
    "drop table if exists pyt_frame",
    "drop table if exists pyt_s.items",
    "drop table if exists pyt_s.kinds",
    "drop schema if exists pyt_s",
    """create table pyt_customers (
         id integer primary key,
         name varchar(40) not null,
         region char(2) default 'EU',
         small smallint,
         big bigint default 7,
         score double precision,
         ratio real,
         amount numeric(12,2),
         active boolean,
         born date,
         created timestamp,
         seen timestamptz,
         note text)""",
    """create table pyt_orders (
         order_no bigint not null,
         line smallint not null,
         customer_id integer references pyt_customers (id),
         total decimal(10,3),
         ref varchar(20),
         primary key (order_no, line),
         unique (ref))""",
    "comment on table pyt_orders is 'one row per order line'",
    "create view pyt_big_orders as select order_no, total from pyt_orders where total > 100",
    """insert into pyt_customers values
         (1, 'Ann', 'EU', 1, 10000000000, 1.5, 0.25, 12.34, true, '1990-01-02', '2024-01-01 10:11:12', '2024-01-01 10:11:12+00', 'x'),
         (2, 'Bob', null, null, null, null, null, null, false, null, null, null, null)""",
    "insert into pyt_orders values (10, 1, 1, 150.5, 'r1'), (10, 2, 1, 20, 'r2'), (11, 1, 2, 300, null)",
    "create schema pyt_s",
    "create table pyt_s.kinds (k int primary key, label varchar(10) not null default 'x')",
    "create table pyt_s.items (id int primary key, kind int references pyt_s.kinds (k), qty smallint default 1)",
]


def setup():
    with engine.begin() as c:
        for s in SETUP:
            c.execute(text(s))


def reflection():
    insp = inspect(engine)
    schemas = insp.get_schema_names()
    check("get_schema_names has public", True, "public" in schemas)
    check("get_schema_names has information_schema", True, "information_schema" in schemas)
    check("get_schema_names has no pg_ schema", [], [s for s in schemas if s.startswith("pg_")])
    tables = insp.get_table_names()
    check("get_table_names lists the tables", ["pyt_customers", "pyt_orders"],
          sorted(t for t in tables if t.startswith("pyt_")))
    check("get_view_names lists the view", ["pyt_big_orders"],
          sorted(v for v in insp.get_view_names() if v.startswith("pyt_")))
    check("has_table", (True, False), (insp.has_table("pyt_orders"), insp.has_table("pyt_nothing")))

    cols = insp.get_columns("pyt_customers")
    check("get_columns: names", ["id", "name", "region", "small", "big", "score", "ratio", "amount", "active", "born",
                                 "created", "seen", "note"], [c["name"] for c in cols])
    check("get_columns: types",
          ["INTEGER", "VARCHAR(40)", "CHAR(2)", "SMALLINT", "BIGINT", "DOUBLE PRECISION", "REAL", "NUMERIC(12, 2)",
           "BOOLEAN", "DATE", "TIMESTAMP WITHOUT TIME ZONE", "TIMESTAMP WITH TIME ZONE", TEXT],
          [c["type"].compile(dialect=engine.dialect) for c in cols])
    check("get_columns: nullable", [False, False] + [True] * 11, [c["nullable"] for c in cols])
    check("get_columns: defaults", {"region": "'EU'::bpchar", "big": "7"},
          {c["name"]: c["default"] for c in cols if c["default"] is not None})
    check("get_columns: autoincrement", [False] * 13, [c["autoincrement"] for c in cols])
    check("get_columns of the view", ["order_no", "total"], [c["name"] for c in insp.get_columns("pyt_big_orders")])

    check("get_pk_constraint (one column)", {"constrained_columns": ["id"], "name": "pyt_customers_pkey"},
          insp.get_pk_constraint("pyt_customers"))
    check("get_pk_constraint (two columns, in key order)",
          {"constrained_columns": ["order_no", "line"], "name": "pyt_orders_pkey"}, insp.get_pk_constraint("pyt_orders"))
    check("get_foreign_keys",
          [{"name": "pyt_orders_customer_id_fkey", "constrained_columns": ["customer_id"], "referred_schema": None,
            "referred_table": "pyt_customers", "referred_columns": ["id"], "options": {}}],
          insp.get_foreign_keys("pyt_orders"))
    check("get_foreign_keys of a table without", [], insp.get_foreign_keys("pyt_customers"))
    check("get_indexes (the unique constraint's index)",
          [{"name": "pyt_orders_ref_key", "unique": True, "column_names": ["ref"], "include_columns": [],
            "duplicates_constraint": "pyt_orders_ref_key", "dialect_options": {"postgresql_include": []}}],
          insp.get_indexes("pyt_orders"))
    check("get_unique_constraints", [{"name": "pyt_orders_ref_key", "column_names": ["ref"]}],
          insp.get_unique_constraints("pyt_orders"))
    check("get_table_comment", {"text": "one row per order line"}, insp.get_table_comment("pyt_orders"))
    check("get_table_comment without one", {"text": None}, insp.get_table_comment("pyt_customers"))
    check("get_check_constraints", [], insp.get_check_constraints("pyt_orders"))

    md = MetaData()
    orders = Table("pyt_orders", md, autoload_with=engine)
    check("Table autoload: columns", ["order_no", "line", "customer_id", "total", "ref"], [c.name for c in orders.columns])
    check("Table autoload: primary key", ["order_no", "line"], [c.name for c in orders.primary_key.columns])
    check("Table autoload: foreign key (the referred table loads too)", ["pyt_customers.id"],
          [fk.target_fullname for fk in orders.foreign_keys])
    check("Table autoload: the referred table", ["id"], [c.name for c in md.tables["pyt_customers"].primary_key.columns])
    check("Table autoload: comment", "one row per order line", orders.comment)
    with engine.connect() as c:
        rows = c.execute(orders.select().where(orders.c.total > 100).order_by(orders.c.order_no)).all()
    check("select through the reflected Table", [(10, 1, 1, decimal.Decimal("150.500"), "r1"),
                                                 (11, 1, 2, decimal.Decimal("300.000"), None)], [tuple(r) for r in rows])
    view = Table("pyt_big_orders", MetaData(), autoload_with=engine)
    check("Table autoload of the view", ["order_no", "total"], [c.name for c in view.columns])


def reflection_in_a_schema():
    insp = inspect(engine)
    check("get_schema_names has the schema", True, "pyt_s" in insp.get_schema_names())
    check("get_table_names(schema)", ["items", "kinds"], sorted(insp.get_table_names(schema="pyt_s")))
    check("get_columns(schema)", [("id", "INTEGER", False, None), ("kind", "INTEGER", True, None), ("qty", "SMALLINT", True, "1")],
          [(c["name"], str(c["type"]), c["nullable"], c["default"]) for c in insp.get_columns("items", schema="pyt_s")])
    check("get_foreign_keys(schema): the referred schema", [("items_kind_fkey", "pyt_s", "kinds", ["k"])],
          [(f["name"], f["referred_schema"], f["referred_table"], f["referred_columns"])
           for f in insp.get_foreign_keys("items", schema="pyt_s")])
    items = Table("items", MetaData(), autoload_with=engine, schema="pyt_s")
    check("Table autoload(schema): foreign key", ["pyt_s.kinds.k"], [fk.target_fullname for fk in items.foreign_keys])


def pandas_reads():
    frame = pandas.read_sql_table("pyt_customers", engine)
    check("read_sql_table: columns", ["id", "name", "region", "small", "big", "score", "ratio", "amount", "active",
                                      "born", "created", "seen", "note"], list(frame.columns))
    check("read_sql_table: rows", 2, len(frame))
    first = frame.sort_values("id").iloc[0]
    check("read_sql_table: values", [1, "Ann", "EU", 10000000000, 1.5, 12.34, True],
          [int(first["id"]), first["name"], first["region"], int(first["big"]), float(first["score"]),
           float(first["amount"]), bool(first["active"])])
    check("read_sql_table: timestamp", pandas.Timestamp("2024-01-01 10:11:12"), first["created"])
    check("read_sql_table: dtypes", {"id": "int64", "score": "float64", "created": "datetime64[ns]", "name": "object"},
          {k: str(frame.dtypes[k]) for k in ("id", "score", "created", "name")})
    q = pandas.read_sql_query(text("select order_no, sum(total) as s from pyt_orders where line >= :l "
                                   "group by order_no order by order_no"), engine, params={"l": 1})
    check("read_sql_query with a parameter", [[10, 170.5], [11, 300.0]], [[int(a), float(b)] for a, b in q.values])


def pandas_writes():
    frame = pandas.DataFrame({
        "k": [1, 2, 3],
        "x": [0.5, None, -2.25],
        "s": ["a", None, "c'd"],
        "b": [True, False, True],
        "t": pandas.to_datetime(["2024-03-01 00:00:01", "2023-12-31 23:59:59", "2000-01-01"]),
    })
    with engine.begin() as c:
        c.execute(text("drop table if exists pyt_frame"))
    frame.to_sql("pyt_frame", engine, index=False)
    back = pandas.read_sql_table("pyt_frame", engine).sort_values("k").reset_index(drop=True)
    check("to_sql then read_sql_table: equal", True, frame.equals(back))
    if not frame.equals(back):
        print(back, back.dtypes, sep="\n")
    insp = inspect(engine)
    check("to_sql's column types", ["BIGINT", "DOUBLE PRECISION", TEXT, "BOOLEAN", "TIMESTAMP WITHOUT TIME ZONE"],
          [c["type"].compile(dialect=engine.dialect) for c in insp.get_columns("pyt_frame")])
    frame.to_sql("pyt_frame", engine, index=False, if_exists="append", method="multi", chunksize=2)
    check("to_sql append, multi-row INSERTs", 6, int(pandas.read_sql_query("select count(*) as n from pyt_frame", engine)["n"][0]))
    frame.to_sql("pyt_frame", engine, index=False, if_exists="replace")
    check("to_sql replace", 3, int(pandas.read_sql_query("select count(*) as n from pyt_frame", engine)["n"][0]))


def orm_writes():
    # The ORM on a table whose key the server numbers (SQLAlchemy creates it SERIAL): each flush
    # is INSERT ... RETURNING id, several rows at once through psycopg2's execute_values, and
    # the objects must get their own rows' ids.
    from sqlalchemy.orm import Session, declarative_base
    Base = declarative_base()

    class Item(Base):
        __tablename__ = "pyt_orm_items"
        id = sqlalchemy.Column(sqlalchemy.Integer, primary_key=True)
        name = sqlalchemy.Column(sqlalchemy.String(20), nullable=False)

    Base.metadata.drop_all(engine)
    Base.metadata.create_all(engine)
    with Session(engine) as s:
        items = [Item(name=n) for n in ["first", "second", "third", "fourth"]]
        s.add_all(items)
        s.commit()
        check("ORM objects get their own rows' ids", [(i.id, i.name) for i in items],
              [(r.id, r.name) for r in s.query(Item).order_by(Item.id)])
        check("ORM ids are numbered in order", [1, 2, 3, 4], [i.id for i in items])
    col = [c for c in inspect(engine).get_columns("pyt_orm_items") if c["name"] == "id"][0]
    check("reflected key is numbered by the server", True, col.get("autoincrement") is True or "identity" in col)
    Base.metadata.drop_all(engine)


section("setup", setup)
section("reflection", reflection)
section("reflection in a schema", reflection_in_a_schema)
section("pandas reads", pandas_reads)
section("pandas writes", pandas_writes)
section("ORM writes", orm_writes)
print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
