-- TPC-H schema (specification clause 1.4) for Strata, with Redshift distribution: the two big
-- tables are co-located on the order key (lineitem ⋈ orders is DS_DIST_NONE), the mid-sized ones
-- are distributed on their own key, and the small dimension tables (nation, region, supplier)
-- are copied to every node (DISTSTYLE ALL) so that joins to them never move data. Sort keys are
-- the date columns most queries filter on, so zone maps skip blocks.
CREATE TABLE region (
  r_regionkey INTEGER NOT NULL,
  r_name      CHAR(25) NOT NULL,
  r_comment   VARCHAR(152)
) DISTSTYLE ALL;

CREATE TABLE nation (
  n_nationkey INTEGER NOT NULL,
  n_name      CHAR(25) NOT NULL,
  n_regionkey INTEGER NOT NULL,
  n_comment   VARCHAR(152)
) DISTSTYLE ALL;

CREATE TABLE part (
  p_partkey     INTEGER NOT NULL,
  p_name        VARCHAR(55) NOT NULL,
  p_mfgr        CHAR(25) NOT NULL,
  p_brand       CHAR(10) NOT NULL,
  p_type        VARCHAR(25) NOT NULL,
  p_size        INTEGER NOT NULL,
  p_container   CHAR(10) NOT NULL,
  p_retailprice DECIMAL(15,2) NOT NULL,
  p_comment     VARCHAR(23) NOT NULL
) DISTKEY(p_partkey);

CREATE TABLE supplier (
  s_suppkey   INTEGER NOT NULL,
  s_name      CHAR(25) NOT NULL,
  s_address   VARCHAR(40) NOT NULL,
  s_nationkey INTEGER NOT NULL,
  s_phone     CHAR(15) NOT NULL,
  s_acctbal   DECIMAL(15,2) NOT NULL,
  s_comment   VARCHAR(101) NOT NULL
) DISTSTYLE ALL;

CREATE TABLE partsupp (
  ps_partkey    INTEGER NOT NULL,
  ps_suppkey    INTEGER NOT NULL,
  ps_availqty   INTEGER NOT NULL,
  ps_supplycost DECIMAL(15,2) NOT NULL,
  ps_comment    VARCHAR(199) NOT NULL
) DISTKEY(ps_partkey);

CREATE TABLE customer (
  c_custkey    INTEGER NOT NULL,
  c_name       VARCHAR(25) NOT NULL,
  c_address    VARCHAR(40) NOT NULL,
  c_nationkey  INTEGER NOT NULL,
  c_phone      CHAR(15) NOT NULL,
  c_acctbal    DECIMAL(15,2) NOT NULL,
  c_mktsegment CHAR(10) NOT NULL,
  c_comment    VARCHAR(117) NOT NULL
) DISTKEY(c_custkey);

CREATE TABLE orders (
  o_orderkey      INTEGER NOT NULL,
  o_custkey       INTEGER NOT NULL,
  o_orderstatus   CHAR(1) NOT NULL,
  o_totalprice    DECIMAL(15,2) NOT NULL,
  o_orderdate     DATE NOT NULL,
  o_orderpriority CHAR(15) NOT NULL,
  o_clerk         CHAR(15) NOT NULL,
  o_shippriority  INTEGER NOT NULL,
  o_comment       VARCHAR(79) NOT NULL
) DISTKEY(o_orderkey) SORTKEY(o_orderdate);

CREATE TABLE lineitem (
  l_orderkey      INTEGER NOT NULL,
  l_partkey       INTEGER NOT NULL,
  l_suppkey       INTEGER NOT NULL,
  l_linenumber    INTEGER NOT NULL,
  l_quantity      DECIMAL(15,2) NOT NULL,
  l_extendedprice DECIMAL(15,2) NOT NULL,
  l_discount      DECIMAL(15,2) NOT NULL,
  l_tax           DECIMAL(15,2) NOT NULL,
  l_returnflag    CHAR(1) NOT NULL,
  l_linestatus    CHAR(1) NOT NULL,
  l_shipdate      DATE NOT NULL,
  l_commitdate    DATE NOT NULL,
  l_receiptdate   DATE NOT NULL,
  l_shipinstruct  CHAR(25) NOT NULL,
  l_shipmode      CHAR(10) NOT NULL,
  l_comment       VARCHAR(44) NOT NULL
) DISTKEY(l_orderkey) SORTKEY(l_shipdate);
