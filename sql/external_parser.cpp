// See external_parser.h.
#include "sql/external_parser.h"

#include <cctype>

#include "sql/error.h"
#include "sql/parser.h"
#include "sql/sqlstate.h"
#include "sql/token_cursor.h"

namespace strata {
namespace {

using Ext = ast::ExternalStmt;

std::string Upper(std::string s) {
  for (char& ch : s) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return s;
}

class ExternalParser {
 public:
  explicit ExternalParser(std::string_view sql) : c_(sql) {}

  ast::Statement Parse() {
    ast::Statement st;
    st.text = std::string(c_.sql());
    st.kind = ast::StatementKind::kExternal;
    st.external = std::make_unique<Ext>();
    Ext& e = *st.external;
    if (c_.AcceptWord("crawl")) {
      e.action = Ext::Action::kCrawl;
      e.location = c_.StringLiteral();
      c_.ExpectWord("into");
      c_.ExpectWord("schema");
      e.schema = c_.Identifier();
      if (c_.AcceptWord("table")) e.name = c_.Identifier();
    } else if (c_.AcceptWord("msck")) {
      c_.ExpectWord("repair");
      c_.ExpectWord("table");
      e.action = Ext::Action::kRepair;
      c_.QualifiedName(&e.schema, &e.name);
    } else if (c_.AcceptWord("drop")) {
      c_.ExpectWord("schema");
      e.action = Ext::Action::kDropSchema;
      e.if_exists = c_.AcceptWords({"if", "exists"});
      e.name = c_.Identifier();
      if (c_.AcceptWord("drop")) {
        c_.ExpectWord("external");
        c_.ExpectWord("database");
        e.drop_database = true;
      }
      if (c_.AcceptWord("cascade")) e.cascade = true;
      else c_.AcceptWord("restrict");
    } else if (c_.AcceptWord("alter")) {
      c_.ExpectWord("table");
      c_.QualifiedName(&e.schema, &e.name);
      Alter(&e);
    } else {
      c_.ExpectWord("create");
      c_.ExpectWord("external");
      if (c_.AcceptWord("schema")) {
        CreateSchema(&e);
      } else {
        c_.ExpectWord("table");
        CreateTable(&e);
      }
    }
    if (!c_.AtEnd()) c_.SyntaxErrorHere();
    return st;
  }

 private:
  void CreateSchema(Ext* e) {
    e->action = Ext::Action::kCreateSchema;
    e->if_not_exists = c_.AcceptWords({"if", "not", "exists"});
    e->name = c_.Identifier();
    c_.ExpectWord("from");
    if (c_.PeekWord() == "hive" || c_.PeekWord() == "postgres" || c_.PeekWord() == "mysql" || c_.PeekWord() == "kinesis" ||
        c_.PeekWord() == "kafka" || c_.PeekWord() == "msk" || c_.PeekWord() == "redshift") {
      throw SqlError(sqlstate::kFeatureNotSupported,
                     StrCat("external schemas FROM ", Upper(c_.PeekWord()), " are not supported: Strata's own data catalog is FROM DATA CATALOG"),
                     CharPositionAt(c_.sql(), c_.Offset()));
    }
    c_.ExpectWord("data");
    c_.ExpectWord("catalog");
    while (!c_.AtEnd()) {
      if (c_.AcceptWord("database")) {
        e->database = c_.StringLiteral();
      } else if (c_.AcceptWord("iam_role")) {
        if (c_.AcceptWord("default")) e->iam_role = "default";
        else e->iam_role = c_.StringLiteral();
      } else if (c_.AcceptWord("region")) {
        e->region = c_.StringLiteral();
      } else if (c_.AcceptWord("catalog_role")) {
        if (!c_.AcceptWord("session")) c_.StringLiteral();
      } else if (c_.AcceptWord("catalog_id")) {
        c_.StringLiteral();
      } else if (c_.AcceptWords({"create", "external", "database", "if", "not", "exists"})) {
        e->create_database = true;
      } else {
        c_.SyntaxErrorHere();
      }
    }
    if (e->database.empty()) e->database = e->name;
  }

  void CreateTable(Ext* e) {
    e->action = Ext::Action::kCreateTable;
    e->if_not_exists = c_.AcceptWords({"if", "not", "exists"});
    c_.QualifiedName(&e->schema, &e->name);
    if (c_.AcceptPunct("(")) e->columns = Columns(/*types=*/true);
    while (!c_.AtEnd()) {
      if (c_.AcceptWords({"partitioned", "by"})) {
        c_.ExpectPunct("(");
        e->partition_columns = Columns(/*types=*/e->columns.size() > 0);
      } else if (c_.AcceptWords({"row", "format"})) {
        RowFormat(e);
      } else if (c_.AcceptWords({"stored", "as"})) {
        if (c_.AcceptWord("inputformat")) {
          e->stored_as = c_.StringLiteral();
          c_.ExpectWord("outputformat");
          c_.StringLiteral();
        } else {
          e->stored_as = AsciiLower(c_.Identifier());
        }
      } else if (c_.AcceptWord("location")) {
        e->location_offset = c_.Offset();
        e->location = c_.StringLiteral();
      } else if (c_.AcceptWords({"table", "properties"}) || c_.AcceptWord("tblproperties")) {
        e->table_properties = Properties();
      } else if (c_.AcceptWord("as")) {
        size_t begin = c_.pos();
        if (c_.AtEnd()) c_.SyntaxErrorHere();
        c_.set_pos(c_.size());
        e->query_text = std::string(c_.TextFrom(begin));
      } else {
        c_.SyntaxErrorHere();
      }
    }
    if (e->columns.empty() && e->query_text.empty()) c_.SyntaxErrorHere();
    if (e->location.empty()) c_.Fail("CREATE EXTERNAL TABLE needs a LOCATION", static_cast<int>(c_.sql().size()));
  }

  void RowFormat(Ext* e) {
    if (c_.AcceptWord("serde")) {
      e->row_format = c_.StringLiteral();
      if (c_.AcceptWord("with")) {
        c_.ExpectWord("serdeproperties");
        e->serde_properties = Properties();
      }
      return;
    }
    c_.ExpectWord("delimited");
    e->row_format = "delimited";
    for (;;) {
      if (c_.AcceptWords({"fields", "terminated", "by"})) {
        e->delimiter = c_.StringLiteral();
        if (c_.AcceptWords({"escaped", "by"})) e->serde_properties.emplace_back("escape.delim", c_.StringLiteral());
      } else if (c_.AcceptWords({"lines", "terminated", "by"})) {
        e->line_delimiter = c_.StringLiteral();
      } else if (c_.AcceptWords({"collection", "items", "terminated", "by"}) || c_.AcceptWords({"map", "keys", "terminated", "by"})) {
        c_.StringLiteral();
      } else if (c_.AcceptWords({"null", "defined", "as"})) {
        e->serde_properties.emplace_back("serialization.null.format", c_.StringLiteral());
      } else {
        return;
      }
    }
  }

  // ('k' = 'v', ...), after the opening parenthesis is still to be read.
  std::vector<std::pair<std::string, std::string>> Properties() {
    std::vector<std::pair<std::string, std::string>> out;
    c_.ExpectPunct("(");
    do {
      std::string k = c_.StringLiteral();
      c_.ExpectPunct("=");
      out.emplace_back(k, c_.StringLiteral());
    } while (c_.AcceptPunct(","));
    c_.ExpectPunct(")");
    return out;
  }

  // (k = v, ...): values are strings, numbers or words, kept as text.
  Ext::Partition PartitionSpec() {
    Ext::Partition p;
    c_.ExpectPunct("(");
    do {
      std::string k = c_.Identifier();
      c_.ExpectPunct("=");
      std::string v;
      if (c_.PeekClass() == SqlTokenClass::kString) {
        v = c_.StringLiteral();
      } else {
        if (c_.AcceptPunct("-")) v = "-";
        if (c_.AtEnd() || (c_.PeekClass() != SqlTokenClass::kNumber && c_.PeekClass() != SqlTokenClass::kWord)) c_.SyntaxErrorHere();
        v += std::string(c_.Peek());
        c_.set_pos(c_.pos() + 1);
      }
      p.values.emplace_back(k, v);
    } while (c_.AcceptPunct(","));
    c_.ExpectPunct(")");
    return p;
  }

  void Alter(Ext* e) {
    if (c_.AcceptWord("add")) {
      e->action = Ext::Action::kAddPartitions;
      e->if_not_exists = c_.AcceptWords({"if", "not", "exists"});
      while (c_.AcceptWord("partition")) {
        Ext::Partition p = PartitionSpec();
        if (c_.AcceptWord("location")) p.location = c_.StringLiteral();
        e->partitions.push_back(std::move(p));
        c_.AcceptPunct(",");
      }
      if (e->partitions.empty()) c_.SyntaxErrorHere();
    } else if (c_.AcceptWord("drop")) {
      e->action = Ext::Action::kDropPartitions;
      e->if_exists = c_.AcceptWords({"if", "exists"});
      while (c_.AcceptWord("partition")) {
        e->partitions.push_back(PartitionSpec());
        c_.AcceptPunct(",");
      }
      if (e->partitions.empty()) c_.SyntaxErrorHere();
    } else if (c_.AcceptWord("partition")) {
      e->action = Ext::Action::kSetLocation;
      e->partitions.push_back(PartitionSpec());
      c_.ExpectWord("set");
      c_.ExpectWord("location");
      e->location = c_.StringLiteral();
    } else {
      c_.ExpectWord("set");
      if (c_.AcceptWord("location")) {
        e->action = Ext::Action::kSetLocation;
        e->location = c_.StringLiteral();
      } else {
        c_.ExpectWord("table");
        c_.ExpectWord("properties");
        e->action = Ext::Action::kSetProperties;
        e->table_properties = Properties();
      }
    }
  }

  // A column list after its "(": name type, ... ")". Hive's type names become SQL's, and the
  // list is parsed as a CREATE TABLE by the PostgreSQL parser (so every SQL type spelling and
  // Redshift's VARCHAR(MAX) work). Without types (CTAS's PARTITIONED BY), names only.
  std::vector<ast::ColumnDef> Columns(bool types) {
    std::vector<ast::ColumnDef> out;
    std::string sql = "create table t (";
    bool first = true;
    for (;;) {
      int offset = c_.Offset();
      std::string name_text(c_.Peek());
      std::string name = c_.Identifier();
      if (!types || c_.Peek() == "," || c_.Peek() == ")") {
        ast::ColumnDef d;
        d.name = name;
        d.location = offset;
        out.push_back(std::move(d));
      } else {
        std::string type;
        std::string word = c_.PeekWord();
        if (word == "array" || word == "struct" || word == "map" || word == "uniontype") {
          if (c_.Peek(1) == "<") {
            throw SqlError(sqlstate::kFeatureNotSupported, StrCat("the nested type of column \"", name, "\" is not supported yet"),
                           CharPositionAt(c_.sql(), c_.Offset()));
          }
        }
        if (word == "string") type = "varchar(max)";
        else if (word == "double" && c_.PeekWord(1) != "precision") type = "double precision";
        else if (word == "tinyint") type = "smallint";
        else if (word == "binary") type = "varbyte";
        if (!type.empty()) c_.set_pos(c_.pos() + 1);
        size_t begin = c_.pos();
        int depth = 0;
        while (!c_.AtEnd() && !(depth == 0 && (c_.Peek() == "," || c_.Peek() == ")"))) {
          if (c_.Peek() == "(") ++depth;
          if (c_.Peek() == ")") --depth;
          c_.set_pos(c_.pos() + 1);
        }
        type += std::string(c_.TextFrom(begin));
        if (type.empty()) c_.SyntaxErrorHere();
        sql += StrCat(first ? "" : ", ", name_text, " ", type);
        first = false;
        ast::ColumnDef d;
        d.name = name;
        d.location = offset;
        out.push_back(std::move(d));
      }
      if (c_.AcceptPunct(",")) continue;
      c_.ExpectPunct(")");
      break;
    }
    if (!first) {
      std::vector<ast::Statement> parsed = ParseSql(sql + ")");
      if (parsed.size() != 1 || parsed[0].kind != ast::StatementKind::kCreateTable) c_.SyntaxErrorHere();
      auto& defs = parsed[0].create_table->columns;
      size_t k = 0;
      for (auto& d : out) {
        if (k < defs.size() && defs[k].name == d.name) d.type = std::move(defs[k++].type);
      }
    }
    return out;
  }

  TokenCursor c_;
};

bool LooksExternal(const TokenCursor& c) {
  if (c.PeekWord() == "msck") return true;
  if (c.PeekWord() == "crawl") return c.PeekClass() == SqlTokenClass::kWord && c.size() > 1 && c.token(1).cls == SqlTokenClass::kString;
  if (c.PeekWord() == "create") return c.PeekWord(1) == "external";
  if (c.PeekWord() == "drop" && c.PeekWord(1) == "schema") {
    for (size_t i = 2; i + 1 < c.size() && i < 8; ++i) {
      std::string w = AsciiLower(c.Text(i));
      if (w == "drop" && AsciiLower(c.Text(i + 1)) == "external") return true;
    }
    return false;
  }
  if (c.PeekWord() == "alter" && c.PeekWord(1) == "table") {
    size_t at = 3;  // after ALTER TABLE name
    if (c.Peek(3) == ".") at = 5;
    std::string w = c.PeekWord(at), w2 = c.PeekWord(at + 1);
    if (w == "partition") return true;
    if ((w == "add" || w == "drop") && (w2 == "partition" || (w2 == "if" && (c.PeekWord(at + 3) == "partition" || c.PeekWord(at + 4) == "partition")))) {
      return true;
    }
    if (w == "set" && (w2 == "location" || (w2 == "table" && c.PeekWord(at + 2) == "properties"))) return true;
  }
  return false;
}

}  // namespace

bool IsExternalStatement(std::string_view sql) {
  try {
    return LooksExternal(TokenCursor(sql));
  } catch (const SqlError&) {
    return false;  // the scanner's error: the PostgreSQL parser reports it
  }
}

ast::Statement ParseExternalStatement(std::string_view sql) { return ExternalParser(sql).Parse(); }

}  // namespace strata
