#!/usr/bin/env bash
# Row-level security against PostgreSQL 15 as the oracle: the same table, the same users and
# policies with the same meaning in each dialect (Strata's RLS policies with CONJUNCTION TYPE OR
# = PostgreSQL's permissive policies; Strata's default AND = a permissive policy plus restrictive
# ones; no policy for a user = no rows in both), then the same queries and DELETEs run as each
# user through SET SESSION AUTHORIZATION in both, and their rows compared. Then masking, which
# PostgreSQL lacks, against the expected values, and the RLS plan against the same WHERE clause
# (the predicate reaches the scan, so zone maps prune the same blocks). Servers listen on
# loopback and are stopped by PID / process group; every wait is bounded.
set -euo pipefail
strata=${1:?usage: rls_differential_test.sh path/to/strata}
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../lib/strata_cluster.sh"
source "$here/../lib/check.sh"
CHECK_VERBOSE=1

work=$(mktemp -d)
chown postgres: "$work"
PGBIN=/usr/lib/postgresql/15/bin
pg_port=""
cleanup() {
  cluster_kill
  [ -n "$pg_port" ] && runuser -u postgres -- "$PGBIN/pg_ctl" -D "$work/pg" -m immediate -w -t 20 stop > /dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

# PostgreSQL 15 (initdb refuses root: it runs as postgres).
runuser -u postgres -- "$PGBIN/initdb" -D "$work/pg" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync > /dev/null
free_port
pg_port=$port
runuser -u postgres -- "$PGBIN/pg_ctl" -D "$work/pg" -l "$work/pg.log" -w -t 30 \
  -o "-c listen_addresses=127.0.0.1 -p $pg_port -k $work -c fsync=off" start > /dev/null
pg() { PGCONNECT_TIMEOUT=5 psql -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -X -q -v ON_ERROR_STOP=1 "$@"; }

mkdir -p "$work/strata"
cluster_start "$strata" "$work/strata/data" --spectrum-workers 0 || { echo "strata did not start"; exit 1; }
st() { cluster_psql -v ON_ERROR_STOP=1 "$@"; }

# The same rows in both: 2,000 orders over four regions, ordered by id (so blocks hold id
# ranges and a predicate on id prunes by zone map).
rows="insert into orders select g, (array['east','west','north','south'])[1 + g % 4], g % 97, 'rep' || (g % 5)
      from generate_series(1, 2000) g"
pg -c "create table orders (id int, region varchar(10), amount int, rep varchar(10))" -c "$rows"
st -c "create table orders (id int, region varchar(10), amount int, rep varchar(10)) sortkey(id)"
pg -At -c "select id, region, amount, rep from orders order by id" > "$work/rows.txt"
st -c "\\copy orders from '$work/rows.txt' with (delimiter '|')"
check "the same rows in both" "$(pg -At -c 'select count(*), sum(amount) from orders')" "$(st -At -c 'select count(*), sum(amount) from orders')"

for db in pg st; do
  for u in u_east u_multi u_and u_none; do
    if [ $db = pg ]; then pg -c "create role $u login"; else st -c "create user $u password 'Secret123'"; fi
    $db -c "grant select, delete on orders to $u"
  done
done

# u_east: one policy. u_multi: two policies, either allows (PostgreSQL's permissive; Strata's
# CONJUNCTION TYPE OR). u_and: both must allow (PostgreSQL: permissive + restrictive; Strata's
# default AND) — on a second table, as Strata's conjunction is per table. u_none: no policy.
pg -c "alter table orders enable row level security" \
   -c "create policy p_east on orders to u_east using (region = 'east')" \
   -c "create policy p_west on orders to u_multi using (region = 'west')" \
   -c "create policy p_big on orders to u_multi using (amount > 90)"
st -c "create rls policy p_east with (region varchar(10)) using (region = 'east')" \
   -c "create rls policy p_west with (region varchar(10)) using (region = 'west')" \
   -c "create rls policy p_big with (amount int) using (amount > 90)" \
   -c "attach rls policy p_east on orders to u_east" \
   -c "attach rls policy p_west on orders to u_multi" \
   -c "attach rls policy p_big on orders to u_multi" \
   -c "alter table orders row level security on conjunction type or"

pg -c "create table orders2 as select * from orders" -c "alter table orders2 enable row level security" \
   -c "grant select on orders2 to u_and" \
   -c "create policy q_region on orders2 to u_and using (region in ('east', 'north'))" \
   -c "create policy q_rep on orders2 as restrictive to u_and using (rep = 'rep1')"
st -c "create table orders2 as select * from orders" -c "grant select on orders2 to u_and" \
   -c "create rls policy q_region with (region varchar(10)) using (region in ('east', 'north'))" \
   -c "create rls policy q_rep with (rep varchar(10)) using (rep = 'rep1')" \
   -c "attach rls policy q_region on orders2 to u_and" -c "attach rls policy q_rep on orders2 to u_and" \
   -c "alter table orders2 row level security on"

queries=(
  "select count(*), sum(amount) from orders"
  "select region, count(*), min(id), max(id) from orders group by region order by region"
  "select id, region, amount from orders where id between 100 and 140 order by id"
  "select rep, sum(amount) from orders where amount > 50 group by rep order by rep"
  "select count(*) from orders a join orders b on a.id = b.id + 1"
  "select count(*) from (select distinct region from orders) d"
  "select count(*), sum(amount) from orders2"
  "select region, rep, count(*) from orders2 group by region, rep order by 1, 2"
)
cases=0
for u in u_east u_multi u_and u_none; do
  for q in "${queries[@]}"; do
    expected=$({ pg -At -c "set session authorization $u" -c "$q" 2>&1 || true; } | sed 's/^ERROR: .*permission denied.*/denied/')
    actual=$({ st -At -c "set session authorization $u" -c "$q" 2>&1 || true; } | sed 's/^ERROR: .*permission denied.*/denied/')
    check "$u: $q" "$expected" "$actual"
    cases=$((cases + 1))
  done
done
# A DELETE sees only the rows the user may see, in both.
pg -c "set session authorization u_east" -c "delete from orders where amount < 10"
st -c "set session authorization u_east" -c "delete from orders where amount < 10"
check "after u_east's DELETE, the same rows remain" "$(pg -At -c 'select count(*), sum(amount) from orders')" \
  "$(st -At -c 'select count(*), sum(amount) from orders')"
check "u_east deleted only east rows" "0" "$(st -At -c "select count(*) from orders where region = 'east' and amount < 10")"
check "and kept the others" "$(pg -At -c "select count(*) from orders where region <> 'east' and amount < 10")" \
  "$(st -At -c "select count(*) from orders where region <> 'east' and amount < 10")"
echo "rls differential: $cases queries x users compared with PostgreSQL 15"

# The RLS predicate reaches the scan: as u_east with a policy on id, the blocks read are those
# the same WHERE clause reads as the superuser (stl_scan).
st -c "create rls policy p_low with (id int) using (id <= 100)" -c "attach rls policy p_low on orders2 to u_east" \
   -c "grant select on orders2 to u_east"
st -At -c "set session authorization u_east" -c "select count(*) /* rls_blocks */ from orders2" > /dev/null
st -At -c "select count(*) /* where_blocks */ from orders2 where id <= 100" > /dev/null
blocks() { st -At -c "select sum(s.blocks_read) from stl_scan s join stl_query q on s.query = q.query where q.querytxt like '%$1%' and q.querytxt not like '%stl_scan%'"; }
check "RLS reads no more blocks than the same WHERE clause" "$(blocks where_blocks)" "$(blocks rls_blocks)"

# Masking (PostgreSQL has none): the highest priority wins per column, PUBLIC covers everyone,
# a WHERE clause sees the masked value, UPDATE and DELETE never write masked values back.
st -c "create masking policy m_rep with (rep varchar(10)) using ('***')" \
   -c "create masking policy m_amount with (amount int) using (amount / 10 * 10)" \
   -c "attach masking policy m_rep on orders (rep) to public" \
   -c "attach masking policy m_amount on orders (amount) to u_east priority 20" \
   -c "create masking policy m_none with (rep varchar(10)) using (rep)" \
   -c "attach masking policy m_none on orders (rep) to u_east priority 30"
check "PUBLIC's mask covers the superuser" "***" "$(st -At -c 'select distinct rep from orders')"
check "a higher priority wins" "rep1" "$(st -At -c 'set session authorization u_east' -c "select distinct rep from orders where id = 16")"
check "an amount is masked for u_east" "0" "$(st -At -c 'set session authorization u_east' -c 'select count(*) from orders where amount % 10 <> 0')"
check "WHERE sees the masked value" "0" "$(st -At -c "select count(*) from orders where rep = 'rep1'")"
st -c "detach masking policy m_rep on orders (rep) from public"
check "detached, the values are real" "rep1" "$(st -At -c 'select rep from orders where id = 41')"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
