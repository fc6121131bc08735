// Client test with the real pgjdbc driver (issue 6): DatabaseMetaData, PreparedStatement
// round trips of every type (executed more than five times, so pgjdbc moves to a named statement
// and binary results), ResultSetMetaData, batches, fetch-size portals, CopyManager, SQLSTATEs,
// Statement.cancel() and transaction visibility across two connections. Each check prints
// "ok   name" or "FAIL name" with details; the exit code is 1 if any check failed. Run by
// tests/client/jdbc_test.sh: java JdbcClientTest PORT [PASSWORD] (a password turns on
// sslmode=require as well). The expectations are PostgreSQL 15's answers to the same calls.

import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.sql.*;
import java.util.*;
import java.util.concurrent.*;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

public class JdbcClientTest {
  private static int passed = 0;
  private static int failed = 0;
  private static String url;
  private static Properties props = new Properties();

  interface Body { void run(Connection c) throws Exception; }

  static void check(String name, boolean ok, String detail) {
    if (ok) {
      System.out.println("ok   " + name);
      passed++;
    } else {
      System.out.println("FAIL " + name + (detail.isEmpty() ? "" : "\n  " + detail));
      failed++;
    }
  }

  static void checkEq(String name, Object expected, Object actual) {
    check(name, Objects.equals(expected, actual), "expected: " + expected + "\n  actual:   " + actual);
  }

  static String describe(Throwable e) {
    if (e instanceof SQLException) {
      return "SQLException " + ((SQLException) e).getSQLState() + ": " + e.getMessage();
    }
    return e.toString();
  }

  // Runs one group of checks on a connection of its own; an unexpected exception is one FAIL and
  // the next group still runs (on a new connection, so one broken session does not hide the rest).
  static void section(String name, Body body) {
    try (Connection c = connect()) {
      body.run(c);
    } catch (Throwable e) {
      check(name + " (no exception)", false, describe(e));
    }
  }

  static Connection connect() throws SQLException { return DriverManager.getConnection(url, props); }

  static void exec(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) { s.execute(sql); }
  }

  static long scalar(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  public static void main(String[] args) throws Exception {
    TimeZone.setDefault(TimeZone.getTimeZone("UTC"));
    String port = args[0];
    String password = args.length > 1 ? args[1] : "";
    url = "jdbc:postgresql://127.0.0.1:" + port + "/dev";
    props.setProperty("user", "strata");
    props.setProperty("connectTimeout", "10");
    props.setProperty("socketTimeout", "60");
    if (!password.isEmpty()) {
      props.setProperty("password", password);
      props.setProperty("sslmode", "require");
    }
    section("metadata", JdbcClientTest::metadata);
    section("type info", JdbcClientTest::typeInfo);
    section("types", JdbcClientTest::types);
    section("result set metadata", JdbcClientTest::resultSetMetaData);
    section("batches", JdbcClientTest::batches);
    section("generated keys", JdbcClientTest::generatedKeys);
    section("fetch size", JdbcClientTest::fetchSize);
    section("copy", JdbcClientTest::copy);
    section("errors", JdbcClientTest::errors);
    section("transactions", JdbcClientTest::transactions);
    section("cancel", JdbcClientTest::cancel);
    System.out.println(passed + " passed, " + failed + " failed");
    System.exit(failed == 0 ? 0 : 1);
  }

  // One column of the metadata table jm: name, SQL type, java.sql.Types code, pgjdbc's type
  // name, and the COLUMN_SIZE / DECIMAL_DIGITS (= ResultSetMetaData precision / scale) that
  // pgjdbc derives from the type OID and typmod.
  record Col(String name, String sqlType, int types, String typeName, int size, int digits) {}

  static final Col[] kColumns = {
      new Col("id", "integer not null", Types.INTEGER, "int4", 10, 0),
      new Col("si", "smallint", Types.SMALLINT, "int2", 5, 0),
      new Col("bi", "bigint", Types.BIGINT, "int8", 19, 0),
      new Col("n", "numeric(12,3)", Types.NUMERIC, "numeric", 12, 3),
      new Col("r", "real", Types.REAL, "float4", 8, 8),
      new Col("d", "double precision", Types.DOUBLE, "float8", 17, 17),
      new Col("b", "boolean", Types.BIT, "bool", 1, 0),
      new Col("c", "char(5)", Types.CHAR, "bpchar", 5, 0),
      new Col("v", "varchar(20)", Types.VARCHAR, "varchar", 20, 0),
      new Col("dt", "date", Types.DATE, "date", 13, 0),
      new Col("ts", "timestamp", Types.TIMESTAMP, "timestamp", 29, 6),
  };

  // getTypeInfo()'s rows (TYPE_NAME through NUM_PREC_RADIX) for some of the types Strata has, as
  // PostgreSQL 15 returns them. pgjdbc builds them from pg_type and its own tables, asking
  // `typinput = 'pg_catalog.array_in'::regproc` over generate_series(1, array_upper(
  // current_schemas(false), 1)) to tell arrays.
  static final String[] kTypeInfo = {
      "bool|-7|0|'|'|null|1|f|3|t|f|f|null|0|0|null|null|10",
      "bigserial|-5|0|null|null|null|1|f|3|f|f|t|null|0|0|null|null|10",
      "serial|4|0|null|null|null|1|f|3|f|f|t|null|0|0|null|null|10",
      "smallserial|5|0|null|null|null|1|f|3|f|f|t|null|0|0|null|null|10",
      "int8|-5|0|null|null|null|1|f|3|f|f|f|null|0|0|null|null|10",
      "oid|-5|0|null|null|null|1|f|3|t|f|f|null|0|0|null|null|10",
      "char|1|0|'|'|null|1|t|3|t|f|f|null|0|0|null|null|10",
      "bpchar|1|10485760|'|'|null|1|t|3|t|f|f|null|0|0|null|null|10",
      "numeric|2|1000|null|null|null|1|f|3|f|f|f|null|0|1000|null|null|10",
      "int4|4|0|null|null|null|1|f|3|f|f|f|null|0|0|null|null|10",
      "int2|5|0|null|null|null|1|f|3|f|f|f|null|0|0|null|null|10",
      "float4|7|0|null|null|null|1|f|3|f|f|f|null|0|0|null|null|10",
      "float8|8|0|null|null|null|1|f|3|f|f|f|null|0|0|null|null|10",
      "name|12|0|'|'|null|1|t|3|t|f|f|null|0|0|null|null|10",
      "text|12|0|'|'|null|1|t|3|t|f|f|null|0|0|null|null|10",
      "varchar|12|10485760|'|'|null|1|t|3|t|f|f|null|0|0|null|null|10",
      "date|91|0|'|'|null|1|f|3|t|f|f|null|0|0|null|null|10",
      "time|92|6|'|'|null|1|f|3|t|f|f|null|0|0|null|null|10",
      "timetz|92|6|'|'|null|1|f|3|t|f|f|null|0|0|null|null|10",
      "timestamp|93|6|'|'|null|1|f|3|t|f|f|null|0|0|null|null|10",
      "timestamptz|93|6|'|'|null|1|f|3|t|f|f|null|0|0|null|null|10",
      "int2vector|1111|0|'|'|null|1|t|3|t|f|f|null|0|0|null|null|10",
      "unknown|1111|0|'|'|null|1|t|3|t|f|f|null|0|0|null|null|10",
      "interval|1111|6|'|'|null|1|f|3|t|f|f|null|0|0|null|null|10",
      "regclass|1111|0|'|'|null|1|t|3|t|f|f|null|0|0|null|null|10",
      "_int4|2003|0|'|'|null|1|f|3|f|f|f|null|0|0|null|null|10",
      "_text|2003|0|'|'|null|1|t|3|t|f|f|null|0|0|null|null|10",
      "_aclitem|2003|0|'|'|null|1|t|3|t|f|f|null|0|0|null|null|10"
  };

  static void typeInfo(Connection c) throws SQLException {
    Map<String, String> rows = new TreeMap<>();
    int previous = Integer.MIN_VALUE, count = 0;
    boolean sorted = true;
    try (ResultSet rs = c.getMetaData().getTypeInfo()) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        count++;
        StringBuilder row = new StringBuilder();
        for (int i = 1; i <= n; i++) row.append(i > 1 ? "|" : "").append(rs.getString(i));
        rows.put(rs.getString("TYPE_NAME"), row.toString());
        sorted &= rs.getInt("DATA_TYPE") >= previous;
        previous = rs.getInt("DATA_TYPE");
      }
    }
    List<String> problems = new ArrayList<>();
    for (String want : kTypeInfo) {
      String name = want.substring(0, want.indexOf('|'));
      if (!want.equals(rows.get(name))) problems.add("expected [" + want + "] actual [" + rows.get(name) + "]");
    }
    check("getTypeInfo: the rows PostgreSQL 15 gives for these types", problems.isEmpty(), String.join("\n  ", problems));
    // One row per type pgjdbc lists, and its own serial, bigserial and smallserial.
    checkEq("getTypeInfo: one row per type", 3 + scalar(c, "select count(*) from pg_type t join pg_namespace n on t.typnamespace = n.oid "
        + "where n.nspname <> 'pg_toast' and (t.typrelid = 0 or (select c.relkind = 'c' from pg_class c where c.oid = t.typrelid))"),
        (long) count);
    check("getTypeInfo: ordered by DATA_TYPE", sorted, "");
  }

  static void metadata(Connection c) throws SQLException {
    StringBuilder ddl = new StringBuilder("create table jm (");
    for (Col col : kColumns) ddl.append(col == kColumns[0] ? "" : ", ").append(col.name()).append(' ').append(col.sqlType());
    exec(c, ddl.append(")").toString());
    exec(c, "create table jm2 (a int)");
    exec(c, "create view jmv as select id, v from jm");
    DatabaseMetaData md = c.getMetaData();
    checkEq("getDatabaseProductName", "PostgreSQL", md.getDatabaseProductName());
    Map<String, String> tables = new TreeMap<>();
    try (ResultSet rs = md.getTables(null, "public", "%", new String[] {"TABLE", "VIEW"})) {
      while (rs.next()) {
        if (rs.getString("TABLE_NAME").startsWith("jm")) tables.put(rs.getString("TABLE_NAME"), rs.getString("TABLE_TYPE"));
      }
    }
    checkEq("getTables lists the tables and the view", "{jm=TABLE, jm2=TABLE, jmv=VIEW}", tables.toString());
    int position = 0;
    List<String> problems = new ArrayList<>();
    try (ResultSet rs = md.getColumns(null, "public", "jm", "%")) {
      while (rs.next()) {
        if (position >= kColumns.length) { problems.add("extra column " + rs.getString("COLUMN_NAME")); continue; }
        Col col = kColumns[position++];
        String actual = rs.getString("COLUMN_NAME") + " " + rs.getInt("DATA_TYPE") + " " + rs.getString("TYPE_NAME") + " "
            + rs.getInt("COLUMN_SIZE") + " " + rs.getInt("DECIMAL_DIGITS") + " " + rs.getInt("NULLABLE") + " "
            + rs.getInt("ORDINAL_POSITION");
        String expected = col.name() + " " + col.types() + " " + col.typeName() + " " + col.size() + " " + col.digits() + " "
            + (position == 1 ? DatabaseMetaData.columnNoNulls : DatabaseMetaData.columnNullable) + " " + position;
        if (!expected.equals(actual)) problems.add("expected [" + expected + "] actual [" + actual + "]");
      }
    }
    checkEq("getColumns returns every column", kColumns.length, position);
    check("getColumns name/DATA_TYPE/TYPE_NAME/COLUMN_SIZE/DECIMAL_DIGITS/NULLABLE/ORDINAL_POSITION",
          problems.isEmpty(), String.join("\n  ", problems));
    // An external table (Spectrum) is listed and described like any table; its location is
    // only read when it is queried.
    exec(c, "create external schema jspectrum from data catalog database 'jdbc'");
    exec(c, "create external table jspectrum.events (id bigint, name varchar(20)) partitioned by (day date) "
        + "stored as parquet location 's3://nowhere/events/'");
    List<String> external = new ArrayList<>();
    try (ResultSet rs = md.getTables(null, "jspectrum", "%", new String[] {"TABLE"})) {
      while (rs.next()) external.add(rs.getString("TABLE_NAME"));
    }
    checkEq("getTables lists an external table", "[events]", external.toString());
    List<String> externalColumns = new ArrayList<>();
    try (ResultSet rs = md.getColumns(null, "jspectrum", "events", "%")) {
      while (rs.next()) externalColumns.add(rs.getString("COLUMN_NAME") + ":" + rs.getString("TYPE_NAME"));
    }
    checkEq("getColumns describes it, partition column last", "[id:int8, name:varchar, day:date]", externalColumns.toString());
    boolean has_public = false;
    try (ResultSet rs = md.getSchemas()) {
      while (rs.next()) has_public |= "public".equals(rs.getString("TABLE_SCHEM"));
    }
    check("getSchemas has public", has_public, "");
    int keys = 0;
    try (ResultSet rs = md.getPrimaryKeys(null, "public", "jm")) {
      while (rs.next()) keys++;
    }
    System.out.println("     getPrimaryKeys(jm) returned " + keys + " rows");
    check("getPrimaryKeys runs", true, "");
    // Foreign keys are recorded (not enforced) and pgjdbc finds them through pg_constraint.
    exec(c, "create table jk_parent (id int primary key, name varchar(10))");
    exec(c, "create table jk_child (pid int references jk_parent, x int)");
    List<String> pk = new ArrayList<>();
    exec(c, "create table jk_pair (a int, b int, c int, primary key (c, a))");
    try (ResultSet rs = md.getPrimaryKeys(null, "public", "jk_pair")) {
      while (rs.next()) pk.add(rs.getString("COLUMN_NAME") + " " + rs.getInt("KEY_SEQ") + " " + rs.getString("PK_NAME"));
    }
    checkEq("getPrimaryKeys(jk_pair): columns in key order", List.of("c 1 jk_pair_pkey", "a 2 jk_pair_pkey"), pk);
    String want = "jk_parent.id <- jk_child.pid seq 1 fk jk_child_pid_fkey pk jk_parent_pkey";
    for (int exported = 0; exported < 2; exported++) {
      List<String> rows = new ArrayList<>();
      try (ResultSet rs = exported == 1 ? md.getExportedKeys(null, "public", "jk_parent")
                                        : md.getImportedKeys(null, "public", "jk_child")) {
        while (rs.next()) {
          rows.add(rs.getString("PKTABLE_NAME") + "." + rs.getString("PKCOLUMN_NAME") + " <- " + rs.getString("FKTABLE_NAME")
                   + "." + rs.getString("FKCOLUMN_NAME") + " seq " + rs.getInt("KEY_SEQ") + " fk " + rs.getString("FK_NAME")
                   + " pk " + rs.getString("PK_NAME"));
        }
      }
      checkEq(exported == 1 ? "getExportedKeys(jk_parent)" : "getImportedKeys(jk_child)", List.of(want), rows);
    }
  }

  static void resultSetMetaData(Connection c) throws SQLException {
    StringBuilder sql = new StringBuilder("select ");
    for (Col col : kColumns) sql.append(col == kColumns[0] ? "" : ", ").append(col.name());
    try (PreparedStatement ps = c.prepareStatement(sql.append(" from jm where id > ?").toString())) {
      ps.setInt(1, 0);
      try (ResultSet rs = ps.executeQuery()) {
        ResultSetMetaData md = rs.getMetaData();
        checkEq("ResultSetMetaData column count", kColumns.length, md.getColumnCount());
        List<String> problems = new ArrayList<>();
        for (int i = 1; i <= Math.min(kColumns.length, md.getColumnCount()); i++) {
          Col col = kColumns[i - 1];
          String expected = col.name() + " " + col.types() + " " + col.typeName() + " " + col.size() + " " + col.digits();
          String actual = md.getColumnName(i) + " " + md.getColumnType(i) + " " + md.getColumnTypeName(i) + " "
              + md.getPrecision(i) + " " + md.getScale(i);
          if (!expected.equals(actual)) problems.add("expected [" + expected + "] actual [" + actual + "]");
        }
        check("ResultSetMetaData name/type/type name/precision/scale", problems.isEmpty(), String.join("\n  ", problems));
      }
    }
  }

  interface Setter { void set(PreparedStatement ps, int index, Object value) throws SQLException; }
  interface Getter { Object get(ResultSet rs, int index) throws SQLException; }

  // One type's round trip: values (null included) set with the setter, read back with the
  // getter and compared to expected (the value as the column stores it: CHAR pads, NUMERIC scales).
  record TypeCase(String sqlType, int types, Setter setter, Getter getter, Class<?> objectClass, Object[] values,
                  Object[] expected) {}

  static TypeCase[] typeCases() {
    Object[] numerics = {new BigDecimal("0.000"), new BigDecimal("-123456789.123"), new BigDecimal("999999999.999"),
                         new BigDecimal("0.001"), new BigDecimal("-0.5"), null};
    Object[] numerics_stored = numerics.clone();
    numerics_stored[4] = new BigDecimal("-0.500");
    return new TypeCase[] {
        new TypeCase("smallint", Types.SMALLINT, (p, i, v) -> p.setShort(i, (Short) v), ResultSet::getShort, Integer.class,
                     new Object[] {(short) 0, Short.MIN_VALUE, Short.MAX_VALUE, (short) -7, null}, null),
        new TypeCase("integer", Types.INTEGER, (p, i, v) -> p.setInt(i, (Integer) v), ResultSet::getInt, Integer.class,
                     new Object[] {0, Integer.MIN_VALUE, Integer.MAX_VALUE, -42, null}, null),
        new TypeCase("bigint", Types.BIGINT, (p, i, v) -> p.setLong(i, (Long) v), ResultSet::getLong, Long.class,
                     new Object[] {0L, Long.MIN_VALUE, Long.MAX_VALUE, -1234567890123L, null}, null),
        new TypeCase("numeric(12,3)", Types.NUMERIC, (p, i, v) -> p.setBigDecimal(i, (BigDecimal) v), ResultSet::getBigDecimal,
                     BigDecimal.class, numerics, numerics_stored),
        new TypeCase("real", Types.REAL, (p, i, v) -> p.setFloat(i, (Float) v), ResultSet::getFloat, Float.class,
                     new Object[] {0f, -1.5f, Float.MAX_VALUE, 0.1f, 1.17549435e-38f, null}, null),
        new TypeCase("double precision", Types.DOUBLE, (p, i, v) -> p.setDouble(i, (Double) v), ResultSet::getDouble,
                     Double.class, new Object[] {0.0, -2.5, Double.MAX_VALUE, 0.1, 4.9e-324, 1e-300, null}, null),
        new TypeCase("boolean", Types.BOOLEAN, (p, i, v) -> p.setBoolean(i, (Boolean) v), ResultSet::getBoolean,
                     Boolean.class, new Object[] {true, false, null}, null),
        new TypeCase("char(5)", Types.CHAR, (p, i, v) -> p.setString(i, (String) v), ResultSet::getString, String.class,
                     new Object[] {"abcde", "ab", "x", null}, new Object[] {"abcde", "ab   ", "x    ", null}),
        new TypeCase("varchar(20)", Types.VARCHAR, (p, i, v) -> p.setString(i, (String) v), ResultSet::getString,
                     String.class, new Object[] {"", "hello", "ünïcödé €", "quote'\"\\", " blanks  ", null}, null),
        new TypeCase("date", Types.DATE, (p, i, v) -> p.setDate(i, (java.sql.Date) v), ResultSet::getDate,
                     java.sql.Date.class, new Object[] {java.sql.Date.valueOf("2024-01-02"), java.sql.Date.valueOf("1970-01-01"),
                     java.sql.Date.valueOf("1969-12-31"), java.sql.Date.valueOf("2000-02-29"), java.sql.Date.valueOf("1900-03-01"), null}, null),
        new TypeCase("timestamp", Types.TIMESTAMP, (p, i, v) -> p.setTimestamp(i, (Timestamp) v), ResultSet::getTimestamp,
                     Timestamp.class, new Object[] {Timestamp.valueOf("2024-01-02 03:04:05.123456"), Timestamp.valueOf("1970-01-01 00:00:00"),
                     Timestamp.valueOf("2000-02-29 23:59:59.999999"), Timestamp.valueOf("1969-12-31 23:59:59.5"),
                     Timestamp.valueOf("1900-03-01 12:00:00"), null}, null),
        // An instant: sent with its offset, stored in UTC, read back at offset 0 (the session zone).
        new TypeCase("timestamptz", Types.TIMESTAMP_WITH_TIMEZONE, (p, i, v) -> p.setObject(i, (OffsetDateTime) v),
                     (rs, i) -> rs.getObject(i, OffsetDateTime.class), Timestamp.class,
                     new Object[] {OffsetDateTime.parse("2024-01-02T03:04:05.123456+02:00"), OffsetDateTime.parse("1970-01-01T00:00:00Z"),
                     OffsetDateTime.parse("2000-02-29T23:59:59.999999-08:30"), OffsetDateTime.parse("1969-12-31T23:59:59.5Z"), null},
                     new Object[] {OffsetDateTime.parse("2024-01-02T01:04:05.123456Z"), OffsetDateTime.parse("1970-01-01T00:00:00Z"),
                     OffsetDateTime.parse("2000-03-01T08:29:59.999999Z"), OffsetDateTime.parse("1969-12-31T23:59:59.5Z"), null}),
    };
  }

  static void types(Connection c) throws SQLException {
    int table = 0;
    for (TypeCase tc : typeCases()) {
      try {
        roundTrip(c, tc, "jp" + table++);
      } catch (SQLException e) {
        check(tc.sqlType() + " round trip (no exception)", false, describe(e));
      }
    }
  }

  static void roundTrip(Connection c, TypeCase tc, String name) throws SQLException {
    {
      String label = tc.sqlType();
      Object[] expected = tc.expected() != null ? tc.expected() : tc.values();
      exec(c, "create table " + name + " (id int, v " + tc.sqlType() + ")");
      int n = tc.values().length;
      int copies = (8 + n - 1) / n;  // every statement below runs at least 8 times
      try (PreparedStatement ps = c.prepareStatement("insert into " + name + " values (?, ?)")) {
        for (int id = 0; id < n * copies; id++) {
          ps.setInt(1, id);
          Object v = tc.values()[id % n];
          if (v == null) ps.setNull(2, tc.types()); else tc.setter().set(ps, 2, v);
          checkEq(label + " insert " + id, 1, ps.executeUpdate());
        }
      }
      List<String> problems = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("select v from " + name + " where id = ?")) {
        for (int id = 0; id < n * copies; id++) {
          ps.setInt(1, id);
          try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) { problems.add("id " + id + ": no row"); continue; }
            Object want = expected[id % n];
            Object got = tc.getter().get(rs, 1);
            if (rs.wasNull()) got = null;
            if (!Objects.equals(want, got)) problems.add("execution " + (id + 1) + ": expected " + want + " got " + got);
            Object object = rs.getObject(1);
            if (want != null && (object == null || object.getClass() != tc.objectClass()))
              problems.add("execution " + (id + 1) + ": getObject " + (object == null ? "null" : object.getClass().getName()));
          }
        }
      }
      check(label + " round trip by id (8+ executions, text then binary results)", problems.isEmpty(), String.join("\n  ", problems));
      problems.clear();
      int executions = 0;
      try (PreparedStatement ps = c.prepareStatement("select count(*), min(id) from " + name + " where v = ?")) {
        while (executions < 8) {
          for (int k = 0; k < n; k++) {
            if (tc.values()[k] == null) continue;
            tc.setter().set(ps, 1, tc.values()[k]);
            executions++;
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              String got = rs.getLong(1) + "/" + rs.getInt(2);
              if (!(copies + "/" + k).equals(got)) problems.add("where v = " + tc.values()[k] + ": expected " + copies + "/" + k + " got " + got);
            }
          }
        }
      }
      check(label + " parameterised WHERE v = ? (8+ executions)", problems.isEmpty(), String.join("\n  ", problems));
      try (PreparedStatement ps = c.prepareStatement("select count(*) from " + name + " where v is null and id >= ?")) {
        ps.setInt(1, 0);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          checkEq(label + " NULL rows", (long) copies, rs.getLong(1));
        }
      }
    }
  }

  // getGeneratedKeys: pgjdbc appends RETURNING to the INSERT and reads the keys back through the
  // extended protocol (Describe must report RETURNING's columns); an UPDATE ... RETURNING too.
  static void generatedKeys(Connection c) throws SQLException {
    exec(c, "create table jg (id int generated by default as identity, name varchar(10))");
    List<Integer> ids = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("insert into jg (name) values (?)", new String[] {"id"})) {
      for (String n : new String[] {"a", "b", "c"}) {
        ps.setString(1, n);
        checkEq("insert with generated keys counts 1 row", 1, ps.executeUpdate());
        try (ResultSet rs = ps.getGeneratedKeys()) {
          while (rs.next()) ids.add(rs.getInt(1));
        }
      }
    }
    checkEq("getGeneratedKeys gives the identity values in order", List.of(1, 2, 3), ids);
    try (PreparedStatement ps = c.prepareStatement("update jg set name = upper(name) where id >= ? returning id, name")) {
      ps.setInt(1, 2);
      List<String> rows = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) rows.add(rs.getInt(1) + ":" + rs.getString(2));
      }
      Collections.sort(rows);
      checkEq("UPDATE ... RETURNING through a prepared statement", List.of("2:B", "3:C"), rows);
    }
    exec(c, "drop table jg");
  }

  static void batches(Connection c) throws SQLException {
    exec(c, "create table jb (a int, b varchar(20))");
    int[] counts;
    try (PreparedStatement ps = c.prepareStatement("insert into jb values (?, ?)")) {
      for (int i = 0; i < 100; i++) {
        ps.setInt(1, i);
        ps.setString(2, "row " + i);
        ps.addBatch();
      }
      counts = ps.executeBatch();
    }
    checkEq("executeBatch returns 100 counts", 100, counts.length);
    boolean all_one = true;
    for (int n : counts) all_one &= (n == 1 || n == Statement.SUCCESS_NO_INFO);
    check("each batch count is 1", all_one, Arrays.toString(counts));
    checkEq("batch rows counted", 100L, scalar(c, "select count(*) from jb"));
    checkEq("batch rows summed", 4950L, scalar(c, "select sum(a) from jb"));
    // A big batch in autocommit: pgjdbc pipelines it (one Sync), so it is one transaction, its
    // rows written together (server/leader_insert_buffer.cpp).
    exec(c, "create table jbig (a int not null, b varchar(20))");
    try (PreparedStatement ps = c.prepareStatement("insert into jbig values (?, ?)")) {
      for (int i = 0; i < 5000; i++) {
        ps.setInt(1, i);
        ps.setString(2, "r" + i);
        ps.addBatch();
      }
      counts = ps.executeBatch();
    }
    checkEq("5,000-row batch counts", 5000, counts.length);
    checkEq("5,000-row batch rows", 5000L, scalar(c, "select count(*) from jbig"));
    checkEq("5,000-row batch sum", 4999L * 5000 / 2, scalar(c, "select sum(a) from jbig"));
    // A bad row fails the batch, and as in PostgreSQL none of its rows stays.
    boolean failed = false;
    try (PreparedStatement ps = c.prepareStatement("insert into jbig values (?, ?)")) {
      for (int i = 0; i < 50; i++) {
        if (i == 30) ps.setNull(1, java.sql.Types.INTEGER); else ps.setInt(1, 10000 + i);
        ps.setString(2, "bad batch");
        ps.addBatch();
      }
      ps.executeBatch();
    } catch (BatchUpdateException e) {
      failed = "23502".equals(e.getSQLState()) || (e.getNextException() != null && "23502".equals(e.getNextException().getSQLState()));
    }
    check("a batch with a NULL in a NOT NULL column fails with 23502", failed, "");
    checkEq("a failed batch leaves none of its rows", 0L, scalar(c, "select count(*) from jbig where a >= 10000"));
  }

  static void fetchSize(Connection c) throws SQLException {
    exec(c, "create table jf (a int)");
    exec(c, "insert into jf values (0)");
    for (int step = 1; step < 1000; step *= 2) exec(c, "insert into jf select a + " + step + " from jf");
    c.setAutoCommit(false);
    long rows = 0, sum = 0, previous = -1;
    boolean ordered = true;
    try (PreparedStatement ps = c.prepareStatement("select a from jf order by a")) {
      ps.setFetchSize(10);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          int a = rs.getInt(1);
          ordered &= a == previous + 1;
          previous = a;
          rows++;
          sum += a;
        }
      }
    }
    c.commit();
    c.setAutoCommit(true);
    checkEq("fetchSize(10) reads every row", 1024L, rows);
    checkEq("fetchSize(10) rows are in order", true, ordered);
    checkEq("fetchSize(10) sum", 1023L * 1024 / 2, sum);
  }

  static void copy(Connection c) throws Exception {
    exec(c, "create table jc (a int, b varchar(30), d date)");
    CopyManager cm = c.unwrap(PGConnection.class).getCopyAPI();
    String csv = "1,plain,2024-01-02\n2,\"comma, \"\"quoted\"\"\",\n3,,1999-12-31\n";
    long in = cm.copyIn("COPY jc FROM STDIN CSV", new StringReader(csv));
    checkEq("copyIn row count", 3L, in);
    StringWriter out = new StringWriter();
    long n = cm.copyOut("COPY (select a, b, d from jc order by a) TO STDOUT CSV", out);
    checkEq("copyOut row count", 3L, n);
    checkEq("copyOut matches copyIn", csv, out.toString());
    checkEq("copy NULLs", 1L, scalar(c, "select count(*) from jc where b is null"));
  }

  static String stateOf(Connection c, String sql) {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
      return "no error";
    } catch (SQLException e) {
      return e.getSQLState();
    }
  }

  static void errors(Connection c) throws SQLException {
    exec(c, "create table je (a int)");
    String[][] cases = {
        {"select * from no_such_table", "42P01"},
        {"select no_such_column from je", "42703"},
        {"selec 1", "42601"},
        {"select 1 / 0", "22012"},
    };
    for (String[] t : cases) {
      checkEq("SQLSTATE of " + t[0], t[1], stateOf(c, t[0]));
      checkEq("usable after " + t[1], 1L, scalar(c, "select 1"));
    }
    // The same errors through a PreparedStatement (extended protocol, Parse fails).
    try (PreparedStatement ps = c.prepareStatement("select * from no_such_table where 1 = ?")) {
      ps.setInt(1, 1);
      ps.executeQuery();
      check("prepared unknown table fails", false, "no error");
    } catch (SQLException e) {
      checkEq("prepared unknown table SQLSTATE", "42P01", e.getSQLState());
    }
    checkEq("usable after a failed Parse", 1L, scalar(c, "select 1"));
    c.setAutoCommit(false);
    exec(c, "insert into je values (1)");
    checkEq("error inside a transaction", "22012", stateOf(c, "select 1 / 0"));
    checkEq("failed transaction block", "25P02", stateOf(c, "select 1"));
    c.rollback();
    c.setAutoCommit(true);
    checkEq("usable after rollback", 1L, scalar(c, "select 1"));
    checkEq("rolled-back insert is gone", 0L, scalar(c, "select count(*) from je"));
  }

  static void transactions(Connection c) throws SQLException {
    exec(c, "create table jt (a int)");
    try (Connection other = connect()) {
      c.setAutoCommit(false);
      exec(c, "insert into jt values (1), (2)");
      checkEq("own uncommitted rows visible", 2L, scalar(c, "select count(*) from jt"));
      checkEq("uncommitted rows invisible to a second connection", 0L, scalar(other, "select count(*) from jt"));
      c.commit();
      checkEq("committed rows visible to a second connection", 2L, scalar(other, "select count(*) from jt"));
      exec(c, "insert into jt values (3)");
      c.rollback();
      checkEq("rolled-back row gone (same connection)", 2L, scalar(c, "select count(*) from jt"));
      checkEq("rolled-back row never seen by a second connection", 2L, scalar(other, "select count(*) from jt"));
      c.setAutoCommit(true);
    }
  }

  static void cancel(Connection c) throws Exception {
    exec(c, "create table jx (k int, v int) distkey(v)");
    exec(c, "insert into jx values (0, 1)");
    for (int i = 1; i <= 32768; i *= 2) exec(c, "insert into jx select (v + " + i + ") % 10, v + " + i + " from jx");
    checkEq("rows for the cancel test", 65536L, scalar(c, "select count(*) from jx"));
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    try (Statement s = c.createStatement()) {
      timer.schedule(() -> { try { s.cancel(); } catch (SQLException e) { System.out.println("cancel(): " + describe(e)); } },
                     1, TimeUnit.SECONDS);
      long started = System.nanoTime();
      String state = "no error";
      try {
        s.executeQuery("select count(*) from jx a join jx b on a.k = b.k join jx c on b.k = c.k");  // hours unless cancelled
      } catch (SQLException e) {
        state = e.getSQLState() + " " + e.getMessage();
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      check("cancel gives 57014", state.startsWith("57014"), state);
      check("cancel returns within 15 s", seconds < 15, seconds + " s");
    } finally {
      timer.shutdownNow();
    }
    checkEq("connection usable after cancel", 65536L, scalar(c, "select count(*) from jx"));
  }
}
