# Sourced by the kill loops (tests/server/failover_loop.sh, bench/reliability/kill_compute.sh):
# a ledger of transactions whose acknowledged ones must all survive, whole.
#   ledger_tables_sql        the SQL that creates it: ledger_rows (txn, i), ledger_txn (txn, n),
#                            acct (two accounts a transaction moves one unit between)
#   ledger_chunk FIRST       prints 20 transactions numbered from FIRST as a psql script: each
#                            inserts 1-8 rows and its count, moves a unit, commits, then echoes
#                            "ack TXN N" (the writer keeps those lines: what was acknowledged)
#   ledger_state_sql         the SQL that reads it back in one transaction
#   ledger_verdict ACKED STATE   prints "LOST PARTIAL": acknowledged transactions missing or not
#                            whole, and transactions half-applied (rows without their count, a
#                            count that does not match, accounts that do not balance)
ledger_tables_sql="create table ledger_rows (txn int, i int) distkey(txn); create table ledger_txn (txn int, n int);
  create table acct (id int, bal int); insert into acct values (1, 0), (2, 0)"

ledger_chunk() {
  awk -v first="$1" 'BEGIN { srand(first)
    for (x = first; x < first + 20; ++x) {
      n = 1 + int(rand() * 8); rows = ""
      for (i = 1; i <= n; ++i) rows = rows (i > 1 ? "," : "") "(" x "," i ")"
      print "begin;\ninsert into ledger_rows values " rows ";\ninsert into ledger_txn values (" x "," n ");"
      print "update acct set bal = bal - 1 where id = 1;\nupdate acct set bal = bal + 1 where id = 2;\ncommit;"
      print "\\echo ack " x " " n
    } }'
}

ledger_state_sql="begin; select 'r', txn, count(*) from ledger_rows group by txn; select 't', txn, n from ledger_txn;
  select 'a', sum(case when id = 1 then bal else 0 end), sum(case when id = 2 then bal else 0 end) from acct; commit"

ledger_verdict() {
  awk -F'[| ]' '
    FILENAME == ARGV[1] { want[$1] = $2; next }
    $1 == "r" { rows[$2] = $3 } $1 == "t" { n[$2] = $3; seen[$2]++ } $1 == "a" { a1 = $2; a2 = $3 }
    END {
      lost = 0; part = 0; present = 0
      for (t in want) if (!(t in n) || rows[t] != want[t]) lost++
      for (t in seen) { present++; if (seen[t] != 1 || rows[t] != n[t]) part++ }
      for (t in rows) if (!(t in n)) part++
      if (a1 + a2 != 0 || a2 != present) part++
      print lost, part
    }' "$1" "$2"
}
