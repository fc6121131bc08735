// What pgjdbc sends, for the wire fuzz corpus (run through record_client.py; see
// tests/fuzz/README.md): typed parameters of each kind executed more than five times (pgjdbc
// switches to a named statement and binary results at the 5th), a batch, NULLs, metadata.
import java.math.BigDecimal;
import java.sql.*;

public class JdbcSeed {
  public static void main(String[] args) throws Exception {
    String url = "jdbc:postgresql://127.0.0.1:" + args[0] + "/dev?sslmode=disable";
    try (Connection c = DriverManager.getConnection(url, "alice", "")) {
      for (int i = 0; i < 6; ++i) {
        try (PreparedStatement p = c.prepareStatement("select a, b, c, d, e, f, g, h from t where a = ? and c <> ? and d > ?")) {
          p.setInt(1, i);
          p.setString(2, "s" + i);
          p.setBigDecimal(3, new BigDecimal("1.25"));
          try (ResultSet r = p.executeQuery()) { while (r.next()) r.getString(1); }
        }
      }
      try (PreparedStatement p = c.prepareStatement("insert into u (k, s, v, w, x, m) values (?, ?, ?, ?, ?, ?)")) {
        for (int i = 0; i < 3; ++i) {
          p.setInt(1, i);
          p.setString(2, "k" + i);
          p.setShort(3, (short) i);
          p.setFloat(4, 1.5f);
          if (i == 1) p.setNull(5, Types.VARCHAR); else p.setString(5, "x");
          p.setBigDecimal(6, new BigDecimal("12345.6789"));
          p.addBatch();
        }
        p.executeBatch();
      }
      try (PreparedStatement p = c.prepareStatement("select ?::date, ?::timestamp, ?::bigint, ?::boolean, ?::float8")) {
        p.setDate(1, Date.valueOf("2021-03-04"));
        p.setTimestamp(2, Timestamp.valueOf("2021-03-04 05:06:07.123456"));
        p.setLong(3, 9000000000L);
        p.setBoolean(4, true);
        p.setDouble(5, 2.5);
        try (ResultSet r = p.executeQuery()) { while (r.next()) r.getString(1); }
      }
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        s.execute("update n set name = 'y' where id = 1");
        s.setFetchSize(2);
        try (ResultSet r = s.executeQuery("select id, name from n")) { while (r.next()) r.getInt(1); }
      }
      c.rollback();
      try (ResultSet r = c.getMetaData().getTables(null, "public", "%", new String[] {"TABLE"})) { while (r.next()) r.getString(3); }
    }
  }
}
