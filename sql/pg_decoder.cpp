// libpg_query's protobuf parse tree -> Strata's AST (sql/ast.h), and the parser entry points of
// sql/parser.h. This is the only file that includes the generated "pg_query.pb.h", so the 4.5 MB
// of generated classes are compiled against once.
//
// How a statement travels: the dialect layer blanks Redshift clauses out of the text
// (LiftRedshiftClauses), pg_query_parse_protobuf parses the remainder, and a Decoder walks each
// RawStmt. Node locations in the tree are byte offsets into the whole input; the AST stores them
// relative to the statement's own text, and errors report 1-based character positions in the
// whole input, as PostgreSQL does. Anything PostgreSQL accepts but Strata cannot run is refused
// here with 0A000 and the construct's name, so the binder only ever sees shapes it knows.
#include <pg_query.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "pg_query.pb.h"
#include "sql/error.h"
#include "sql/parser.h"
#include "sql/copy_parser.h"
#include "sql/external_parser.h"
#include "sql/snapshot_parser.h"
#include "sql/cluster_parser.h"
#include "sql/maintenance_parser.h"
#include "sql/nesting_limit.h"
#include "sql/redshift_dialect.h"
#include "sql/user_parser.h"
#include "sql/policy_parser.h"
#include "sql/privilege_parser.h"

namespace strata {
namespace {

namespace pq = pg_query;
using ast::Expr;
using ast::ExprKind;
using ast::ExprPtr;

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

// [begin, end) of `text` without surrounding whitespace.
std::pair<size_t, size_t> TrimRange(std::string_view text, size_t begin, size_t end) {
  while (begin < end && IsBlank(text[begin])) ++begin;
  while (end > begin && IsBlank(text[end - 1])) --end;
  return {begin, end};
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// "update_stmt" -> "UPDATE", "create_schema_stmt" -> "CREATE SCHEMA", "a_indirection" -> ...
std::string NodeName(const pq::Node& n) {
  const auto* field = pq::Node::descriptor()->FindFieldByNumber(n.node_case());
  std::string name = field ? field->name() : "unknown";
  if (name.size() > 5 && name.compare(name.size() - 5, 5, "_stmt") == 0) name.resize(name.size() - 5);
  for (char& c : name) c = c == '_' ? ' ' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return name;
}

// A byte position in libpg_query's text -> the 1-based character position in the original.
// Both texts have the same bytes except blanked Redshift clauses, so we go through the byte.
int OriginalPosition(std::string_view pg_text, std::string_view original, int pg_cursor) {
  if (pg_cursor <= 0) return 0;
  int chars = 0;
  size_t byte = 0;
  for (; byte < pg_text.size(); ++byte) {
    if ((static_cast<unsigned char>(pg_text[byte]) & 0xC0) == 0x80) continue;
    if (++chars == pg_cursor) break;
  }
  return CharPositionAt(original, static_cast<int>(byte));
}

class Decoder {
 public:
  Decoder(std::string_view input, const DialectResult& dialect) : input_(input), dialect_(dialect) {}

  ast::Statement DecodeRaw(const pq::RawStmt& raw) {
    size_t begin = raw.stmt_location();
    size_t end = raw.stmt_len() == 0 ? input_.size() : begin + raw.stmt_len();
    auto [b, e] = TrimRange(input_, begin, std::min(end, input_.size()));
    base_ = static_cast<int>(b);
    stmt_end_ = static_cast<int>(e);
    ast::Statement stmt = DecodeStatement(raw.stmt());
    stmt.text = std::string(input_.substr(b, e - b));
    return stmt;
  }

 private:
  // 0A000 "<what> is not supported yet" (UnsupportedPlural: "<what> are ...").
  [[noreturn]] void Unsupported(const std::string& what, int location = -1) const {
    Refuse(what + " is not supported yet", location);
  }
  [[noreturn]] void UnsupportedPlural(const std::string& what, int location = -1) const {
    Refuse(what + " are not supported yet", location);
  }
  [[noreturn]] void Refuse(std::string message, int location) const {
    throw SqlError(sqlstate::kFeatureNotSupported, std::move(message),
                   location >= 0 ? CharPositionAt(input_, location) : 0);
  }
  int Loc(int location) const { return location < 0 ? -1 : location - base_; }

  // ---- statements --------------------------------------------------------------------------
  ast::Statement DecodeStatement(const pq::Node& n) {
    ast::Statement s;
    switch (n.node_case()) {
      case pq::Node::kSelectStmt:
        if (n.select_stmt().has_into_clause()) {  // SELECT ... INTO t FROM ...: CREATE TABLE t AS
          s.kind = ast::StatementKind::kCreateTable;
          s.create_table = SelectInto(n.select_stmt());
          break;
        }
        s.kind = ast::StatementKind::kSelect;
        s.select = Select(n.select_stmt());
        break;
      case pq::Node::kCreateStmt:
        s.kind = ast::StatementKind::kCreateTable;
        s.create_table = CreateTable(n.create_stmt());
        break;
      case pq::Node::kCreateTableAsStmt:
        s.kind = ast::StatementKind::kCreateTable;
        s.create_table = CreateTableAs(n.create_table_as_stmt());
        break;
      case pq::Node::kCreateFunctionStmt:
        s.kind = ast::StatementKind::kFunction;
        s.function = CreateFunction(n.create_function_stmt());
        break;
      case pq::Node::kCallStmt: {  // CALL name(args)
        const pq::FuncCall& call = n.call_stmt().funccall();
        s.kind = ast::StatementKind::kCall;
        s.function = std::make_unique<ast::FunctionStmt>();
        s.function->action = ast::FunctionStmt::Action::kCall;
        s.function->procedure = true;
        FunctionName(call.funcname(), &s.function->schema, &s.function->name);
        for (const pq::Node& a : call.args()) s.function->call_args.push_back(Convert(a));
        s.function->location = Loc(call.location());
        break;
      }
      case pq::Node::kDropStmt:
        if (n.drop_stmt().remove_type() == pq::OBJECT_FUNCTION || n.drop_stmt().remove_type() == pq::OBJECT_PROCEDURE) {
          s.kind = ast::StatementKind::kFunction;
          s.function = DropFunction(n.drop_stmt());
          break;
        }
        s.kind = ast::StatementKind::kDrop;
        s.drop = Drop(n.drop_stmt());
        break;
      case pq::Node::kInsertStmt:
        s.kind = ast::StatementKind::kInsert;
        s.insert = Insert(n.insert_stmt());
        break;
      case pq::Node::kViewStmt:
        s.kind = ast::StatementKind::kCreateView;
        s.create_view = CreateView(n.view_stmt());
        break;
      case pq::Node::kTransactionStmt:
        s.kind = Transaction(n.transaction_stmt());
        if (s.kind == ast::StatementKind::kBegin) s.set_more = TransactionModes(n.transaction_stmt().options());
        break;
      case pq::Node::kExplainStmt: {
        const pq::ExplainStmt& e = n.explain_stmt();
        s.kind = ast::StatementKind::kExplain;
        for (const pq::Node& opt : e.options()) {
          const pq::DefElem& d = opt.def_elem();
          bool on = !d.has_arg() || DefElemBool(d.arg());
          if (d.defname() == "analyze") {
            s.explain_analyze = on;
          } else if (d.defname() != "verbose") {
            Unsupported("EXPLAIN option \"" + d.defname() + "\"", d.location());
          }
        }
        s.explained = std::make_unique<ast::Statement>(DecodeStatement(e.query()));
        s.explained->text = std::string(input_.substr(base_, stmt_end_ - base_));
        break;
      }
      case pq::Node::kVariableSetStmt:
        s.kind = ast::StatementKind::kSet;
        VariableSet(n.variable_set_stmt(), &s);
        break;
      case pq::Node::kDeclareCursorStmt:
      case pq::Node::kFetchStmt:
      case pq::Node::kClosePortalStmt:
        Cursor(n, &s);
        break;
      case pq::Node::kVariableShowStmt:
        s.kind = ast::StatementKind::kShow;
        s.set_name = Lower(n.variable_show_stmt().name());
        break;
      case pq::Node::kCopyStmt:  // never reached: COPY goes to sql/copy_parser
        Unsupported("this form of COPY");
        break;
      case pq::Node::kGrantStmt:  // never reached: GRANT and REVOKE go to sql/privilege_parser
        Unsupported(n.grant_stmt().is_grant() ? "this form of GRANT" : "this form of REVOKE");
      case pq::Node::kIndexStmt:
        Unsupported("CREATE INDEX");
      case pq::Node::kDeleteStmt:
        s.kind = ast::StatementKind::kDelete;
        s.del = Delete(n.delete_stmt());
        break;
      case pq::Node::kUpdateStmt:
        s.kind = ast::StatementKind::kUpdate;
        s.update = Update(n.update_stmt());
        break;
      case pq::Node::kMergeStmt:
        s.kind = ast::StatementKind::kMerge;
        s.merge = Merge(n.merge_stmt());
        break;
      case pq::Node::kTruncateStmt:
        s.kind = ast::StatementKind::kTruncate;
        s.truncate_tables = RelationList(n.truncate_stmt().relations());
        break;
      case pq::Node::kLockStmt:  // LOCK [TABLE] t [, ...] [IN mode MODE] [NOWAIT]
        if (n.lock_stmt().nowait()) Unsupported("LOCK ... NOWAIT");
        s.kind = ast::StatementKind::kLock;
        s.lock_mode = n.lock_stmt().mode();
        s.truncate_tables = RelationList(n.lock_stmt().relations());
        break;
      case pq::Node::kAlterTableStmt:
        s.kind = ast::StatementKind::kAlterTable;
        s.alter = AlterTable(n.alter_table_stmt());
        break;
      case pq::Node::kVacuumStmt: {
        const pq::VacuumStmt& v = n.vacuum_stmt();
        if (v.is_vacuumcmd()) Unsupported("this form of VACUUM");
        s.kind = ast::StatementKind::kAnalyze;
        for (const pq::Node& rel : v.rels()) {
          const pq::VacuumRelation& vr = rel.vacuum_relation();
          ast::QualifiedName q;
          RelationName(vr.relation(), &q.schema, &q.name, "tables");
          q.location = Loc(vr.relation().location());
          s.analyze_tables.push_back(std::move(q));
          for (const pq::Node& col : vr.va_cols()) s.analyze_columns.push_back(col.string().sval());
        }
        break;
      }
      case pq::Node::kCreatedbStmt:
        Unsupported("CREATE DATABASE");
      case pq::Node::kCommentStmt:
        s.kind = ast::StatementKind::kComment;
        s.comment = Comment(n.comment_stmt());
        break;
      case pq::Node::kRenameStmt:
        if (n.rename_stmt().rename_type() == pq::OBJECT_SCHEMA) {  // ALTER SCHEMA s RENAME TO t
          s.kind = ast::StatementKind::kSchema;
          s.schema = std::make_unique<ast::SchemaStmt>();
          s.schema->action = ast::SchemaStmt::Action::kRename;
          s.schema->name = n.rename_stmt().subname();
          s.schema->new_name = n.rename_stmt().newname();
          break;
        }
        s.kind = ast::StatementKind::kAlterTable;
        s.alter = Rename(n.rename_stmt());
        break;
      case pq::Node::kCreateSchemaStmt: {
        const pq::CreateSchemaStmt& c = n.create_schema_stmt();
        if (c.schema_elts_size() > 0) UnsupportedPlural("statements inside CREATE SCHEMA");
        s.kind = ast::StatementKind::kSchema;
        s.schema = std::make_unique<ast::SchemaStmt>();
        s.schema->if_not_exists = c.if_not_exists();
        s.schema->owner = RoleName(c.authrole());
        // CREATE SCHEMA AUTHORIZATION u names the schema after the user.
        s.schema->name = c.schemaname().empty() ? s.schema->owner : c.schemaname();
        break;
      }
      case pq::Node::kAlterOwnerStmt: {
        const pq::AlterOwnerStmt& a = n.alter_owner_stmt();
        if (a.object_type() != pq::OBJECT_SCHEMA) Unsupported("ALTER ... OWNER TO");
        s.kind = ast::StatementKind::kSchema;
        s.schema = std::make_unique<ast::SchemaStmt>();
        s.schema->action = ast::SchemaStmt::Action::kOwner;
        s.schema->name = a.object().string().sval();
        s.schema->owner = RoleName(a.newowner());
        break;
      }
      case pq::Node::kPrepareStmt: {  // PREPARE name [(types)] AS statement
        const pq::PrepareStmt& p = n.prepare_stmt();
        s.kind = ast::StatementKind::kPrepare;
        s.prepared_name = p.name();
        for (const pq::Node& t : p.argtypes()) s.prepare_types.push_back(DecodeTypeName(t.type_name()));
        s.prepared = std::make_unique<ast::Statement>(DecodeStatement(p.query()));
        s.prepared->text = std::string(input_.substr(base_, stmt_end_ - base_));
        break;
      }
      case pq::Node::kExecuteStmt:  // EXECUTE name [(values)]
        s.kind = ast::StatementKind::kExecute;
        s.prepared_name = n.execute_stmt().name();
        for (const pq::Node& v : n.execute_stmt().params()) s.execute_args.push_back(Convert(v));
        break;
      case pq::Node::kDeallocateStmt:  // DEALLOCATE [PREPARE] name | ALL (name empty)
        s.kind = ast::StatementKind::kDeallocate;
        s.prepared_name = n.deallocate_stmt().name();
        break;
      default:
        Unsupported(NodeName(n));
    }
    return s;
  }

  static bool DefElemBool(const pq::Node& arg) {
    if (arg.has_string()) {
      std::string v = Lower(arg.string().sval());
      return v == "true" || v == "on" || v == "1" || v == "yes";
    }
    if (arg.has_boolean()) return arg.boolean().boolval();
    if (arg.has_integer()) return arg.integer().ival() != 0;
    return true;
  }

  ast::StatementKind Transaction(const pq::TransactionStmt& t) {
    switch (t.kind()) {
      case pq::TRANS_STMT_BEGIN:
      case pq::TRANS_STMT_START:
        return ast::StatementKind::kBegin;
      case pq::TRANS_STMT_COMMIT:
        if (t.chain()) Unsupported("COMMIT AND CHAIN");
        return ast::StatementKind::kCommit;
      case pq::TRANS_STMT_ROLLBACK:
        if (t.chain()) Unsupported("ROLLBACK AND CHAIN");
        return ast::StatementKind::kRollback;
      case pq::TRANS_STMT_SAVEPOINT:
      case pq::TRANS_STMT_RELEASE:
      case pq::TRANS_STMT_ROLLBACK_TO:
        Unsupported("SAVEPOINT");
      default:
        Unsupported("two-phase commit");
    }
  }

  // DECLARE / FETCH / MOVE / CLOSE: cursors go forward only, as Redshift's do.
  void Cursor(const pq::Node& n, ast::Statement* s) {
    auto c = std::make_unique<ast::CursorStmt>();
    if (n.has_declare_cursor_stmt()) {
      const pq::DeclareCursorStmt& d = n.declare_cursor_stmt();
      constexpr int kBinary = 0x1, kScroll = 0x2, kHold = 0x20;  // PostgreSQL's CURSOR_OPT_*
      if (d.options() & kScroll) Unsupported("SCROLL cursors");
      s->kind = ast::StatementKind::kDeclareCursor;
      c->name = d.portalname();
      c->binary = (d.options() & kBinary) != 0;
      c->with_hold = (d.options() & kHold) != 0;
      c->query = std::make_unique<ast::Statement>(DecodeStatement(d.query()));
      c->query->text = std::string(input_.substr(base_, stmt_end_ - base_));
    } else if (n.has_fetch_stmt()) {
      const pq::FetchStmt& f = n.fetch_stmt();
      if (f.direction() != pq::FETCH_FORWARD || f.how_many() < 0) {
        Unsupported(std::string(f.ismove() ? "MOVE" : "FETCH") + " other than FORWARD");
      }
      s->kind = ast::StatementKind::kFetch;
      c->name = f.portalname();
      c->move = f.ismove();
      c->count = f.how_many() == INT64_MAX ? ast::CursorStmt::kAll : f.how_many();
    } else {
      s->kind = ast::StatementKind::kCloseCursor;
      c->name = n.close_portal_stmt().portalname();  // empty: CLOSE ALL
    }
    s->cursor = std::move(c);
  }

  static std::string QuoteIdentifierIfNeeded(const std::string& name) {
    bool plain = !name.empty() && (std::islower(static_cast<unsigned char>(name[0])) || name[0] == '_');
    for (char c : name) {
      plain = plain && (std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '_' || c == '$');
    }
    if (plain) return name;
    std::string out = "\"";
    for (char c : name) {
      if (c == '"') out += '"';
      out += c;
    }
    return out + "\"";
  }

  void VariableSet(const pq::VariableSetStmt& v, ast::Statement* s) {
    s->set_name = Lower(v.name());
    s->set_local = v.is_local();
    s->set_default = v.kind() == pq::VAR_SET_DEFAULT || v.kind() == pq::VAR_RESET || v.kind() == pq::VAR_RESET_ALL;
    switch (v.kind()) {
      case pq::VAR_SET_VALUE:
        for (const pq::Node& arg : v.args()) {
          if (!s->set_value.empty()) s->set_value += ", ";
          // search_path lists identifiers: each element is one exact name (the parser has
          // already lowered unquoted ones), kept quoted where it needs quotes, as PostgreSQL
          // shows it.
          s->set_value += s->set_name == "search_path" ? QuoteIdentifierIfNeeded(SetArgText(arg)) : SetArgText(arg);
        }
        return;
      case pq::VAR_SET_DEFAULT:
      case pq::VAR_RESET:
        return;
      case pq::VAR_RESET_ALL:
        s->set_name = "all";
        return;
      case pq::VAR_SET_MULTI:
        // SET TRANSACTION ISOLATION LEVEL x / SET SESSION CHARACTERISTICS AS TRANSACTION ...
        if (v.name() == "TRANSACTION" || v.name() == "SESSION CHARACTERISTICS") {
          // SET SESSION CHARACTERISTICS AS TRANSACTION x sets the session's default, as in PostgreSQL.
          std::string prefix = v.name() == "SESSION CHARACTERISTICS" ? "default_" : "";
          s->set_name.clear();
          for (const auto& [name, value] : TransactionModes(v.args())) {
            if (s->set_name.empty()) {
              s->set_name = prefix + name;
              s->set_value = value;
            } else {
              s->set_more.emplace_back(prefix + name, value);
            }
          }
          if (!s->set_name.empty()) return;
        }
        Unsupported("SET " + v.name());
      default:
        Unsupported("SET ... FROM CURRENT");
    }
  }

  // ISOLATION LEVEL x, READ ONLY | READ WRITE, [NOT] DEFERRABLE, as (setting, value) pairs.
  std::vector<std::pair<std::string, std::string>> TransactionModes(const google::protobuf::RepeatedPtrField<pq::Node>& modes) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const pq::Node& m : modes) {
      if (!m.has_def_elem() || !m.def_elem().has_arg()) Unsupported("this transaction mode");
      out.emplace_back(m.def_elem().defname(), SetArgText(m.def_elem().arg()));
    }
    return out;
  }

  std::string SetArgText(const pq::Node& arg) {
    if (!arg.has_a_const()) Unsupported("this SET value");
    const pq::A_Const& c = arg.a_const();
    if (c.has_sval()) return c.sval().sval();
    if (c.has_ival()) return std::to_string(c.ival().ival());
    if (c.has_fval()) return c.fval().fval();
    if (c.has_boolval()) return c.boolval().boolval() ? "on" : "off";
    Unsupported("this SET value", c.location());
  }

  const RedshiftTableOptions* DialectOptions() const {
    for (const RedshiftTableOptions& t : dialect_.tables) {
      if (t.create_offset >= base_ && t.create_offset < stmt_end_) return &t;
    }
    return nullptr;
  }

  void ApplyDialect(ast::CreateTableStmt* ct) const {
    const RedshiftTableOptions* opts = DialectOptions();
    if (!opts) return;
    ct->diststyle = opts->diststyle;
    ct->distkey = opts->distkey;
    ct->sortkey = opts->sortkey;
    ct->sortstyle = opts->sortstyle;
    for (ast::ColumnDef& col : ct->columns) {
      auto it = opts->columns.find(col.name);
      if (it == opts->columns.end()) continue;
      col.encode = it->second.encode;
      col.distkey = it->second.distkey;
      col.sortkey = it->second.sortkey;
      if (it->second.identity || it->second.identity_args) {
        if (it->second.identity && col.identity.present) {
          throw SqlError(sqlstate::kSyntaxError, StrCat("multiple identity specifications for column \"", col.name, "\""));
        }
        col.identity.present = true;
        col.identity.start_given = true;
        col.identity.start = it->second.identity_seed;
        col.identity.increment = it->second.identity_step;
      }
    }
  }

  // TRUNCATE's and LOCK's list of tables.
  std::vector<ast::QualifiedName> RelationList(const google::protobuf::RepeatedPtrField<pq::Node>& relations) {
    std::vector<ast::QualifiedName> out;
    for (const pq::Node& rel : relations) {
      ast::QualifiedName q;
      RelationName(rel.range_var(), &q.schema, &q.name, "tables");
      q.location = Loc(rel.range_var().location());
      out.push_back(std::move(q));
    }
    return out;
  }

  // `temporary` (CREATE TEMP TABLE) is set for a temporary relation; without it one is refused.
  void RelationName(const pq::RangeVar& r, std::string* schema, std::string* name, const char* what, bool* temporary = nullptr) {
    if (r.relpersistence() == "t" && temporary == nullptr) UnsupportedPlural(std::string("temporary ") + what, r.location());
    if (temporary != nullptr) *temporary = r.relpersistence() == "t";
    *schema = r.schemaname();
    *name = r.relname();
  }

  // A role as CREATE SCHEMA AUTHORIZATION / OWNER TO name it: "" for CURRENT_USER / SESSION_USER.
  std::string RoleName(const pq::RoleSpec& r) {
    if (r.roletype() == pq::ROLESPEC_CSTRING) return r.rolename();
    return "";
  }

  // COMMENT ON TABLE [[db.]s.]t / VIEW [[db.]s.]v / COLUMN [s.]t.c IS ...; other objects are refused.
  std::unique_ptr<ast::CommentStmt> Comment(const pq::CommentStmt& c) {
    auto out = std::make_unique<ast::CommentStmt>();
    std::vector<std::string> names;
    if (c.object().has_list()) {
      for (const pq::Node& n : c.object().list().items()) names.push_back(n.string().sval());
    }
    if (c.objtype() == pq::OBJECT_SCHEMA && c.object().has_string()) {
      out->object = ast::CommentStmt::Object::kSchema;
      out->schema = c.object().string().sval();
      out->text = c.comment();
      return out;
    }
    switch (c.objtype()) {
      case pq::OBJECT_TABLE: out->object = ast::CommentStmt::Object::kTable; break;
      case pq::OBJECT_VIEW: out->object = ast::CommentStmt::Object::kView; break;
      case pq::OBJECT_COLUMN:
        out->object = ast::CommentStmt::Object::kColumn;
        if (names.size() < 2) Unsupported("COMMENT ON COLUMN without a table");
        out->column = names.back();
        names.pop_back();
        break;
      default: Unsupported("COMMENT on this kind of object");
    }
    if (names.size() == 3) names.erase(names.begin());  // database.schema.name: the database is this one
    if (names.empty() || names.size() > 2) Unsupported("this COMMENT target");
    out->table = names.back();
    if (names.size() == 2) out->schema = names[0];
    out->text = c.comment();
    return out;
  }

  std::unique_ptr<ast::CreateTableStmt> CreateTable(const pq::CreateStmt& c) {
    auto ct = std::make_unique<ast::CreateTableStmt>();
    RelationName(c.relation(), &ct->schema, &ct->name, "tables", &ct->temporary);
    ct->if_not_exists = c.if_not_exists();
    if (c.inh_relations_size() > 0) Unsupported("INHERITS");
    if (c.has_partspec()) Unsupported("PARTITION BY");
    if (c.has_partbound()) Unsupported("PARTITION OF");
    if (c.has_of_typename()) Unsupported("CREATE TABLE OF");
    StorageParameters(c.options());
    std::vector<std::string> primary_key;
    for (const pq::Node& elt : c.table_elts()) {
      if (elt.has_column_def()) {
        ct->columns.push_back(Column(elt.column_def(), &ct->constraints));
      } else if (elt.has_constraint()) {
        const pq::Constraint& k = elt.constraint();
        if (k.contype() == pq::CONSTR_PRIMARY || k.contype() == pq::CONSTR_UNIQUE ||
            k.contype() == pq::CONSTR_FOREIGN) {
          ct->constraints.push_back(KeyConstraint(k, {}));
          if (k.contype() == pq::CONSTR_PRIMARY) {
            for (const pq::Node& key : k.keys()) primary_key.push_back(key.string().sval());
          }
        } else {
          UnsupportedPlural(ConstraintName(k), k.location());
        }
      } else if (elt.has_table_like_clause()) {
        if (c.table_elts_size() != 1) Unsupported("LIKE together with column definitions");
        RelationName(elt.table_like_clause().relation(), &ct->like_schema, &ct->like_name, "tables");
        // PostgreSQL's TableLikeOption bits: CREATE_TABLE_LIKE_DEFAULTS is 1 << 3.
        ct->like_including_defaults = (elt.table_like_clause().options() & (1u << 3)) != 0;
      } else {
        Unsupported(NodeName(elt));
      }
    }
    // PRIMARY KEY is not enforced (as in Redshift) but, as in PostgreSQL, implies NOT NULL.
    for (ast::ColumnDef& col : ct->columns) {
      if (std::find(primary_key.begin(), primary_key.end(), col.name) != primary_key.end()) col.not_null = true;
    }
    ApplyDialect(ct.get());
    return ct;
  }

  // A PRIMARY KEY / UNIQUE / FOREIGN KEY constraint; `column` names the column of a column-level one.
  ast::TableConstraintDef KeyConstraint(const pq::Constraint& k, const std::string& column) {
    ast::TableConstraintDef def;
    def.name = k.conname();
    def.location = Loc(k.location());
    auto names = [](const auto& list, std::vector<std::string>* out) {
      for (const pq::Node& n : list) out->push_back(n.string().sval());
    };
    if (k.contype() == pq::CONSTR_FOREIGN) {
      def.kind = ast::TableConstraintDef::Kind::kForeignKey;
      names(k.fk_attrs(), &def.columns);
      names(k.pk_attrs(), &def.ref_columns);
      RelationName(k.pktable(), &def.ref_schema, &def.ref_table, "tables");
    } else {
      def.kind = k.contype() == pq::CONSTR_PRIMARY ? ast::TableConstraintDef::Kind::kPrimaryKey
                                                   : ast::TableConstraintDef::Kind::kUnique;
      names(k.keys(), &def.columns);
    }
    if (!column.empty()) def.columns = {column};
    return def;
  }

  static std::string ConstraintName(const pq::Constraint& k) {
    switch (k.contype()) {
      case pq::CONSTR_CHECK: return "CHECK constraints";
      case pq::CONSTR_EXCLUSION: return "EXCLUDE constraints";
      case pq::CONSTR_IDENTITY: return "identity columns";
      case pq::CONSTR_GENERATED: return "generated columns";
      default: return "such constraints";
    }
  }

  // A column definition; its column-level PRIMARY KEY / UNIQUE / REFERENCES go to `constraints`
  // (ignored when null, as in ALTER TABLE ADD COLUMN).
  ast::ColumnDef Column(const pq::ColumnDef& c, std::vector<ast::TableConstraintDef>* constraints = nullptr) {
    ast::ColumnDef col;
    col.name = c.colname();
    col.type = DecodeTypeName(c.type_name());
    col.location = Loc(c.location());
    // PostgreSQL's serial types: an integer column numbered by default (here an identity column
    // GENERATED BY DEFAULT, where PostgreSQL makes a sequence and a nextval() default).
    static const std::map<std::string, std::string> kSerial = {
        {"serial", "int4"}, {"serial4", "int4"}, {"bigserial", "int8"}, {"serial8", "int8"},
        {"smallserial", "int2"}, {"serial2", "int2"}};
    if (auto s = kSerial.find(col.type.name); s != kSerial.end() && c.type_name().names_size() == 1 && col.type.mods.empty()) {
      col.type.name = s->second;
      col.not_null = true;
      col.identity.present = col.identity.by_default = col.identity.serial = true;
    }
    col.not_null = c.is_not_null();
    if (c.has_coll_clause()) Unsupported("COLLATE", c.coll_clause().location());
    if (c.has_raw_default()) col.default_expr = Convert(c.raw_default());
    for (const pq::Node& n : c.constraints()) {
      const pq::Constraint& k = n.constraint();
      switch (k.contype()) {
        case pq::CONSTR_NOTNULL:
          col.not_null = true;
          break;
        case pq::CONSTR_PRIMARY:
          col.not_null = true;
          if (constraints != nullptr) constraints->push_back(KeyConstraint(k, col.name));
          break;
        case pq::CONSTR_NULL:
          col.not_null = false;
          break;
        case pq::CONSTR_DEFAULT:
          col.default_expr = Convert(k.raw_expr());
          break;
        case pq::CONSTR_UNIQUE:
        case pq::CONSTR_FOREIGN:
          if (constraints != nullptr) constraints->push_back(KeyConstraint(k, col.name));
          break;
        case pq::CONSTR_IDENTITY:
          if (col.identity.present) {
            throw SqlError(sqlstate::kSyntaxError, StrCat("multiple identity specifications for column \"", col.name, "\""),
                           CharPositionAt(input_, k.location()));
          }
          col.identity.present = true;
          col.identity.by_default = k.generated_when() == "d";
          IdentityOptions(k, &col.identity);
          break;
        case pq::CONSTR_ATTR_DEFERRABLE:
        case pq::CONSTR_ATTR_NOT_DEFERRABLE:
        case pq::CONSTR_ATTR_DEFERRED:
        case pq::CONSTR_ATTR_IMMEDIATE:
          break;  // accepted and not enforced, like Redshift
        default:
          UnsupportedPlural(ConstraintName(k), k.location());
      }
    }
    return col;
  }

  // The sequence options of GENERATED ... AS IDENTITY (START WITH, INCREMENT BY); the others
  // are accepted where they change nothing here (CACHE, NO MINVALUE / MAXVALUE, SEQUENCE NAME).
  void IdentityOptions(const pq::Constraint& k, ast::IdentitySpec* spec) {
    for (const pq::Node& o : k.options()) {
      if (!o.has_def_elem()) continue;
      const pq::DefElem& d = o.def_elem();
      auto number = [&]() -> int64_t {
        if (d.arg().has_integer()) return d.arg().integer().ival();
        if (d.arg().has_float_()) {
          const std::string& f = d.arg().float_().fval();
          if (f.find_first_not_of("-0123456789") == std::string::npos && f.size() <= 19) {
            try {
              return std::stoll(f);
            } catch (const std::exception&) {
            }
          }
        }
        throw SqlError(sqlstate::kInvalidParameterValue, StrCat("invalid value for identity option \"", d.defname(), "\""),
                       CharPositionAt(input_, d.location()));
      };
      if (d.defname() == "start") {
        spec->start = number();
        spec->start_given = true;
      } else if (d.defname() == "increment") {
        spec->increment = number();
        if (spec->increment == 0) {
          throw SqlError(sqlstate::kInvalidParameterValue, "INCREMENT must not be zero", CharPositionAt(input_, d.location()));
        }
      } else if (d.defname() == "cache" || d.defname() == "sequence_name" ||
                 ((d.defname() == "minvalue" || d.defname() == "maxvalue") && !d.has_arg()) ||
                 (d.defname() == "cycle" && d.arg().has_boolean() && !d.arg().boolean().boolval())) {
        continue;
      } else {
        Unsupported(StrCat("identity option ", d.defname()), d.location());
      }
    }
  }

  std::unique_ptr<ast::CreateTableStmt> CreateTableAs(const pq::CreateTableAsStmt& c) {
    if (c.objtype() == pq::OBJECT_MATVIEW) Unsupported("CREATE MATERIALIZED VIEW");
    if (c.is_select_into()) Unsupported("SELECT INTO");
    auto ct = std::make_unique<ast::CreateTableStmt>();
    const pq::IntoClause& into = c.into();
    RelationName(into.rel(), &ct->schema, &ct->name, "tables", &ct->temporary);
    ct->if_not_exists = c.if_not_exists();
    StorageParameters(into.options());
    if (into.skip_data()) Unsupported("CREATE TABLE AS ... WITH NO DATA");
    // Column names without types: the binder takes the types from the query.
    for (const pq::Node& name : into.col_names()) {
      ast::ColumnDef col;
      col.name = name.string().sval();
      ct->columns.push_back(std::move(col));
    }
    ct->as_select = SelectNode(c.query());
    ApplyDialect(ct.get());
    return ct;
  }

  // SELECT list INTO [TEMP] t FROM ...: PostgreSQL's and Redshift's older spelling of CREATE
  // TABLE t AS SELECT (the INTO clause may stand only in the outermost SELECT).
  std::unique_ptr<ast::CreateTableStmt> SelectInto(const pq::SelectStmt& select) {
    pq::SelectStmt query = select;
    pq::IntoClause into = query.into_clause();
    query.clear_into_clause();
    auto ct = std::make_unique<ast::CreateTableStmt>();
    RelationName(into.rel(), &ct->schema, &ct->name, "tables", &ct->temporary);
    ct->as_select = Select(query);
    ApplyDialect(ct.get());
    return ct;
  }

  // CREATE TABLE ... WITH (fillfactor = 100, ...): PostgreSQL's heap storage parameters mean
  // nothing to columnar blocks, so they are accepted (pgbench and pg_dump write them) and
  // ignored; a name PostgreSQL does not know is refused as PostgreSQL refuses it.
  static void StorageParameters(const google::protobuf::RepeatedPtrField<pq::Node>& options) {
    static const std::set<std::string> kKnown = {
        "fillfactor", "toast_tuple_target", "parallel_workers", "autovacuum_enabled", "vacuum_index_cleanup",
        "vacuum_truncate", "user_catalog_table", "oids", "log_autovacuum_min_duration"};
    for (const pq::Node& o : options) {
      if (!o.has_def_elem()) continue;
      const std::string& name = o.def_elem().defname();
      if (kKnown.count(name) > 0 || name.starts_with("autovacuum_") || o.def_elem().defnamespace() == "toast") continue;
      throw SqlError(sqlstate::kInvalidParameterValue, StrCat("unrecognized parameter \"", name, "\""));
    }
  }

  std::unique_ptr<ast::DropStmt> Drop(const pq::DropStmt& d) {
    auto drop = std::make_unique<ast::DropStmt>();
    if (d.remove_type() == pq::OBJECT_SCHEMA) {
      drop->kind = ast::DropStmt::Kind::kSchema;
      drop->if_exists = d.missing_ok();
      drop->cascade = d.behavior() == pq::DROP_CASCADE;
      for (const pq::Node& obj : d.objects()) {
        ast::QualifiedName q;
        q.name = obj.string().sval();
        drop->names.push_back(std::move(q));
      }
      return drop;
    }
    if (d.remove_type() == pq::OBJECT_TABLE) {
      drop->kind = ast::DropStmt::Kind::kTable;
    } else if (d.remove_type() == pq::OBJECT_VIEW) {
      drop->kind = ast::DropStmt::Kind::kView;
    } else {
      std::string type = pq::ObjectType_Name(d.remove_type()).substr(7);  // "OBJECT_SCHEMA"
      std::replace(type.begin(), type.end(), '_', ' ');
      Unsupported("DROP " + type);
    }
    drop->cascade = d.behavior() == pq::DROP_CASCADE;
    drop->if_exists = d.missing_ok();
    for (const pq::Node& obj : d.objects()) {
      const auto& parts = obj.list().items();
      ast::QualifiedName q;
      if (parts.size() > 3 || parts.empty()) Unsupported("this object name");
      q.name = parts[parts.size() - 1].string().sval();
      if (parts.size() >= 2) q.schema = parts[parts.size() - 2].string().sval();
      drop->names.push_back(std::move(q));
    }
    return drop;
  }

  // RETURNING items, as select-list items.
  std::vector<ast::SelectItem> ReturningList(const google::protobuf::RepeatedPtrField<pq::Node>& list) {
    std::vector<ast::SelectItem> out;
    for (const pq::Node& t : list) {
      const pq::ResTarget& rt = t.res_target();
      if (rt.indirection_size() > 0) UnsupportedPlural("subscripts", rt.location());
      out.push_back(ast::SelectItem{Convert(rt.val()), rt.name()});
    }
    return out;
  }

  std::unique_ptr<ast::InsertStmt> Insert(const pq::InsertStmt& i) {
    if (i.has_on_conflict_clause()) Unsupported("ON CONFLICT", i.on_conflict_clause().location());
    auto ins = std::make_unique<ast::InsertStmt>();
    if (i.relation().has_alias()) ins->alias = i.relation().alias().aliasname();
    ins->returning = ReturningList(i.returning_list());
    ins->default_values = !i.has_select_stmt();
    if (i.override() == pq::OVERRIDING_SYSTEM_VALUE) ins->overriding = ast::InsertStmt::Overriding::kSystemValue;
    if (i.override() == pq::OVERRIDING_USER_VALUE) ins->overriding = ast::InsertStmt::Overriding::kUserValue;
    RelationName(i.relation(), &ins->schema, &ins->name, "tables");
    ins->location = Loc(i.relation().location());
    for (const pq::Node& col : i.cols()) {
      const pq::ResTarget& rt = col.res_target();
      if (rt.indirection_size() > 0) UnsupportedPlural("subscripted INSERT targets", rt.location());
      ins->columns.push_back(rt.name());
    }
    if (ins->default_values) {
      if (i.has_with_clause()) Unsupported("WITH ... INSERT ... DEFAULT VALUES");
      return ins;
    }
    ins->select = SelectNode(i.select_stmt());
    if (i.has_with_clause()) {
      // WITH c AS (...) INSERT INTO t SELECT ... FROM c: the CTEs belong to the inserted query
      // (ahead of any of its own).
      ast::SelectStmt outer;
      With(i.with_clause(), &outer);
      for (auto& cte : ins->select->with) outer.with.push_back(std::move(cte));
      ins->select->with = std::move(outer.with);
    }
    return ins;
  }

  // The target of DELETE / UPDATE as the first FROM item, and the column naming its rows.
  std::unique_ptr<ast::TableRef> TargetRef(const pq::RangeVar& r, std::string* schema, std::string* name,
                                           ast::ExprPtr* row_id) {
    RelationName(r, schema, name, "tables");
    if (!r.inh()) Unsupported("ONLY", r.location());
    auto ref = std::make_unique<ast::TableRef>();
    ref->kind = ast::TableRef::Kind::kTable;
    ref->schema = *schema;
    ref->name = *name;
    ref->location = Loc(r.location());
    if (r.has_alias()) TableAlias(r.alias(), ref.get(), r.location());
    *row_id = std::make_unique<ast::Expr>();
    (*row_id)->kind = ast::ExprKind::kColumnRef;
    (*row_id)->names = {ref->alias.empty() ? *name : ref->alias, ast::kRowIdColumnName};
    return ref;
  }

  // WITH c AS (...) DELETE / UPDATE: the CTEs belong to the statement's query (the target
  // itself is never a CTE: one named like it is refused rather than shadowing it).
  void AttachWith(const pq::WithClause& w, const std::string& target, ast::SelectStmt* q) {
    With(w, q);
    for (const auto& cte : q->with) {
      if (cte.name == target) Unsupported("a WITH query named like the table it modifies");
    }
  }

  std::unique_ptr<ast::DeleteStmt> Delete(const pq::DeleteStmt& d) {
    auto del = std::make_unique<ast::DeleteStmt>();
    del->returning = ReturningList(d.returning_list());
    del->location = Loc(d.relation().location());
    del->select = std::make_unique<ast::SelectStmt>();
    ast::ExprPtr row_id;
    del->select->from.push_back(TargetRef(d.relation(), &del->schema, &del->name, &row_id));
    for (const pq::Node& f : d.using_clause()) del->select->from.push_back(Table(f));
    if (d.has_where_clause()) del->select->where = Convert(d.where_clause());
    del->qualifier = row_id->names[0];
    del->select->targets.push_back({std::move(row_id), ""});
    if (!del->returning.empty()) {  // the deleted rows' values, for RETURNING
      auto star = std::make_unique<ast::Expr>();
      star->kind = ast::ExprKind::kStar;
      star->carries_target = true;
      star->names = {del->qualifier};
      del->select->targets.push_back({std::move(star), ""});
    }
    if (d.has_with_clause()) AttachWith(d.with_clause(), del->name, del->select.get());
    return del;
  }

  std::unique_ptr<ast::UpdateStmt> Update(const pq::UpdateStmt& u) {
    auto up = std::make_unique<ast::UpdateStmt>();
    up->returning = ReturningList(u.returning_list());
    up->location = Loc(u.relation().location());
    up->select = std::make_unique<ast::SelectStmt>();
    ast::ExprPtr row_id;
    up->select->from.push_back(TargetRef(u.relation(), &up->schema, &up->name, &row_id));
    std::string qualifier = row_id->names[0];
    up->qualifier = qualifier;
    up->select->targets.push_back({std::move(row_id), ""});
    for (const pq::Node& t : u.target_list()) {
      const pq::ResTarget& rt = t.res_target();
      if (rt.indirection_size() > 0) UnsupportedPlural("subscripted UPDATE targets", rt.location());
      up->set_columns.push_back(rt.name());
      up->set_locations.push_back(Loc(rt.location()));
      up->select->targets.push_back({rt.val().has_multi_assign_ref() ? MultiAssignValue(rt.val().multi_assign_ref()) : Convert(rt.val()), ""});
    }
    for (const pq::Node& f : u.from_clause()) up->select->from.push_back(Table(f));
    if (u.has_where_clause()) up->select->where = Convert(u.where_clause());
    auto star = std::make_unique<ast::Expr>();
    star->kind = ast::ExprKind::kStar;
    star->carries_target = true;
    star->names = {qualifier};
    up->select->targets.push_back({std::move(star), ""});
    if (u.has_with_clause()) AttachWith(u.with_clause(), up->name, up->select.get());
    return up;
  }

  // UPDATE ... SET (a, b) = (x, y) | ROW(x, y) | (SELECT x, y ...): each target of the list has
  // its own MultiAssignRef with the whole source; column `colno` takes its part of it.
  const pq::Node& MultiAssignElement(const pq::MultiAssignRef& m) {
    const pq::RowExpr& row = m.source().row_expr();
    if (row.args_size() != m.ncolumns() || m.colno() < 1 || m.colno() > row.args_size()) {
      throw SqlError(sqlstate::kSyntaxError, "number of columns does not match number of values",
                     CharPositionAt(input_, row.location()));
    }
    return row.args(m.colno() - 1);
  }
  ExprPtr MultiAssignValue(const pq::MultiAssignRef& m) {
    if (m.source().has_row_expr()) return Convert(MultiAssignElement(m));
    if (!m.source().has_sub_link() || (m.source().sub_link().sub_link_type() != pq::EXPR_SUBLINK &&
                                       m.source().sub_link().sub_link_type() != pq::MULTIEXPR_SUBLINK)) {
      throw SqlError(sqlstate::kFeatureNotSupported, "source for a multiple-column UPDATE item must be a sub-SELECT or ROW() expression");
    }
    // The subquery, keeping the one select-list item this column takes (a scalar subquery).
    const pq::SubLink& link = m.source().sub_link();
    ExprPtr e = Make(ExprKind::kSubquery, link.location());
    e->subquery = SelectNode(link.subselect());
    auto& targets = e->subquery->targets;
    if (e->subquery->op != ast::SetOp::kNone || targets.empty() ||
        std::any_of(targets.begin(), targets.end(), [](const ast::SelectItem& t) { return t.expr->kind == ExprKind::kStar; })) {
      Unsupported("UPDATE ... SET (columns) = (this subquery)", link.location());
    }
    if (static_cast<int>(targets.size()) != m.ncolumns()) {
      throw SqlError(sqlstate::kSyntaxError, "number of columns does not match number of values",
                     CharPositionAt(input_, link.location()));
    }
    ast::SelectItem kept = std::move(targets[m.colno() - 1]);
    targets.clear();
    targets.push_back(std::move(kept));
    return e;
  }

  // Qualifies `e`'s unqualified column references (not those of its subqueries) with `q`.
  static void QualifyColumns(ast::Expr* e, const std::string& q) {
    if (e == nullptr) return;
    if (e->kind == ast::ExprKind::kColumnRef && e->names.size() == 1) e->names.insert(e->names.begin(), q);
    for (auto& a : e->args) QualifyColumns(a.get(), q);
    for (auto& a : e->when) QualifyColumns(a.get(), q);
    for (auto& a : e->then) QualifyColumns(a.get(), q);
    QualifyColumns(e->case_operand.get(), q);
    QualifyColumns(e->else_expr.get(), q);
    QualifyColumns(e->filter.get(), q);
  }

  // MERGE (see ast::MergeStmt for the query it becomes).
  std::unique_ptr<ast::MergeStmt> Merge(const pq::MergeStmt& m) {
    auto merge = std::make_unique<ast::MergeStmt>();
    merge->location = Loc(m.relation().location());
    auto& select = merge->select = std::make_unique<ast::SelectStmt>();
    ast::ExprPtr row_id;
    auto join = std::make_unique<ast::TableRef>();
    join->kind = ast::TableRef::Kind::kJoin;
    join->left = TargetRef(m.relation(), &merge->schema, &merge->name, &row_id);
    join->right = Table(m.source_relation());
    join->on = Convert(m.join_condition());
    join->location = join->left->location;
    std::string qualifier = row_id->names[0];
    select->targets.push_back({std::move(row_id), ""});
    // A WHEN NOT MATCHED clause sees only the source (PostgreSQL): its unqualified names are the
    // source's, even where the target has a column of the same name.
    std::string source_name = join->right->alias.empty() ? join->right->name : join->right->alias;
    bool not_matched = false;
    auto item = [&](const pq::Node& n) {
      ast::ExprPtr e = Convert(n);
      if (not_matched && !source_name.empty()) QualifyColumns(e.get(), source_name);
      select->targets.push_back({std::move(e), ""});
      return static_cast<int>(select->targets.size()) - 1;
    };
    // The NOT MATCHED clauses' expressions again, over the source alone (MergeStmt::source_only).
    std::unique_ptr<ast::SelectStmt> source_only;
    auto source_item = [&](const pq::Node& n) {
      if (!source_only) {
        source_only = std::make_unique<ast::SelectStmt>();
        source_only->from.push_back(Table(m.source_relation()));
      }
      source_only->targets.push_back({Convert(n), ""});
    };
    bool matched_unconditional = false, not_matched_unconditional = false;
    for (const pq::Node& w : m.merge_when_clauses()) {
      const pq::MergeWhenClause& c = w.merge_when_clause();
      bool& unconditional = c.matched() ? matched_unconditional : not_matched_unconditional;
      if (unconditional) {
        throw SqlError(sqlstate::kSyntaxError, "unreachable WHEN clause specified after unconditional WHEN clause");
      }
      unconditional = !c.has_condition();
      if (c.override() == pq::OVERRIDING_USER_VALUE || c.override() == pq::OVERRIDING_SYSTEM_VALUE) {
        Unsupported("INSERT ... OVERRIDING");
      }
      ast::MergeClause clause;
      clause.matched = c.matched();
      not_matched = !c.matched();
      if (c.has_condition()) {
        clause.condition = item(c.condition());
        if (!c.matched()) source_item(c.condition());
      }
      switch (c.command_type()) {
        case pq::CMD_UPDATE:
          clause.action = ast::MergeClause::Action::kUpdate;
          for (const pq::Node& t : c.target_list()) {
            const pq::ResTarget& rt = t.res_target();
            if (rt.indirection_size() > 0) UnsupportedPlural("subscripted UPDATE targets", rt.location());
            clause.columns.push_back(rt.name());
            clause.column_locations.push_back(Loc(rt.location()));
            if (rt.val().has_multi_assign_ref()) {
              const pq::MultiAssignRef& m = rt.val().multi_assign_ref();
              if (!m.source().has_row_expr()) Unsupported("MERGE ... SET (columns) = (subquery)", rt.location());
              clause.values.push_back(item(MultiAssignElement(m)));
            } else {
              clause.values.push_back(rt.val().has_set_to_default() ? -1 : item(rt.val()));
            }
          }
          break;
        case pq::CMD_INSERT:
          clause.action = ast::MergeClause::Action::kInsert;
          for (const pq::Node& t : c.target_list()) {
            const pq::ResTarget& rt = t.res_target();
            if (rt.indirection_size() > 0) UnsupportedPlural("subscripted INSERT targets", rt.location());
            clause.columns.push_back(rt.name());
            clause.column_locations.push_back(Loc(rt.location()));
          }
          for (const pq::Node& v : c.values()) {
            if (v.has_set_to_default()) {
              clause.values.push_back(-1);
            } else {
              clause.values.push_back(item(v));
              source_item(v);
            }
          }
          break;
        case pq::CMD_DELETE: clause.action = ast::MergeClause::Action::kDelete; break;
        case pq::CMD_NOTHING: clause.action = ast::MergeClause::Action::kNothing; break;
        default: Unsupported("this MERGE action");
      }
      merge->clauses.push_back(std::move(clause));
    }
    bool inserts = std::any_of(merge->clauses.begin(), merge->clauses.end(), [](const ast::MergeClause& c) { return !c.matched; });
    join->join_type = inserts ? ast::JoinType::kRight : ast::JoinType::kInner;
    select->from.push_back(std::move(join));
    auto star = std::make_unique<ast::Expr>();
    star->kind = ast::ExprKind::kStar;
    star->carries_target = true;
    star->names = {qualifier};
    select->targets.push_back({std::move(star), ""});
    merge->source_only = std::move(source_only);
    if (m.has_with_clause() && m.with_clause().recursive()) {  // as PostgreSQL
      throw SqlError(sqlstate::kSyntaxError, "WITH RECURSIVE is not supported for MERGE statement");
    }
    if (m.has_with_clause()) {  // WITH … MERGE: the source (a WITH query, say) sees them
      AttachWith(m.with_clause(), merge->name, merge->select.get());
      if (merge->source_only) With(m.with_clause(), merge->source_only.get());
    }
    return merge;
  }

  std::unique_ptr<ast::AlterTableStmt> AlterTable(const pq::AlterTableStmt& a) {
    if (a.cmds_size() != 1) Unsupported("ALTER TABLE with more than one action");
    const bool owner_change = a.cmds(0).alter_table_cmd().subtype() == pq::AT_ChangeOwner;
    if (a.objtype() != pq::OBJECT_TABLE && !(owner_change && a.objtype() == pq::OBJECT_VIEW)) {
      Unsupported("this ALTER statement");
    }
    auto alter = std::make_unique<ast::AlterTableStmt>();
    RelationName(a.relation(), &alter->schema, &alter->name, "tables");
    alter->location = Loc(a.relation().location());
    alter->if_exists = a.missing_ok();
    const pq::AlterTableCmd& cmd = a.cmds(0).alter_table_cmd();
    switch (cmd.subtype()) {
      case pq::AT_AddColumn:
        alter->action = ast::AlterTableStmt::Action::kAddColumn;
        alter->column = Column(cmd.def().column_def());
        if (const RedshiftTableOptions* opts = DialectOptions()) {
          auto it = opts->columns.find(alter->column.name);
          if (it != opts->columns.end()) alter->column.encode = it->second.encode;
        }
        break;
      case pq::AT_DropColumn:
        if (cmd.behavior() == pq::DROP_CASCADE) Unsupported("DROP COLUMN ... CASCADE");
        alter->action = ast::AlterTableStmt::Action::kDropColumn;
        alter->old_name = cmd.name();
        break;
      case pq::AT_AddConstraint: {  // ADD [CONSTRAINT name] PRIMARY KEY | UNIQUE | FOREIGN KEY (...)
        const pq::Constraint& k = cmd.def().constraint();
        if (k.contype() != pq::CONSTR_PRIMARY && k.contype() != pq::CONSTR_UNIQUE && k.contype() != pq::CONSTR_FOREIGN) {
          UnsupportedPlural(ConstraintName(k), k.location());
        }
        alter->action = ast::AlterTableStmt::Action::kAddConstraint;
        alter->constraint = KeyConstraint(k, {});
        break;
      }
      case pq::AT_ChangeOwner:  // ALTER TABLE | VIEW t OWNER TO u
        alter->action = ast::AlterTableStmt::Action::kOwner;
        alter->new_name = RoleName(cmd.newowner());
        break;
      case pq::AT_DropConstraint:
        alter->action = ast::AlterTableStmt::Action::kDropConstraint;
        alter->old_name = cmd.name();
        alter->if_exists_inner = cmd.missing_ok();
        break;
      default:
        Unsupported("this ALTER TABLE action");
    }
    return alter;
  }

  std::unique_ptr<ast::AlterTableStmt> Rename(const pq::RenameStmt& r) {
    auto alter = std::make_unique<ast::AlterTableStmt>();
    if (r.rename_type() == pq::OBJECT_TABLE || r.rename_type() == pq::OBJECT_VIEW) {  // ALTER TABLE | VIEW ... RENAME TO
      alter->action = ast::AlterTableStmt::Action::kRenameTable;
    } else if (r.rename_type() == pq::OBJECT_COLUMN && r.relation_type() == pq::OBJECT_TABLE) {
      alter->action = ast::AlterTableStmt::Action::kRenameColumn;
      alter->old_name = r.subname();
    } else {
      Unsupported("this ALTER ... RENAME");
    }
    RelationName(r.relation(), &alter->schema, &alter->name, "tables");
    alter->location = Loc(r.relation().location());
    alter->new_name = r.newname();
    alter->if_exists = r.missing_ok();
    return alter;
  }

  void FunctionName(const google::protobuf::RepeatedPtrField<pq::Node>& names, std::string* schema, std::string* name) {
    if (names.size() > 2 || names.empty()) Unsupported("this function name");
    *name = names[names.size() - 1].string().sval();
    if (names.size() == 2) *schema = names[0].string().sval();
  }

  // CREATE [OR REPLACE] FUNCTION name(args) RETURNS type ... AS $$body$$ LANGUAGE l, and
  // CREATE PROCEDURE. The body stays text: the leader checks it (server/leader_functions.cpp).
  std::unique_ptr<ast::FunctionStmt> CreateFunction(const pq::CreateFunctionStmt& c) {
    auto f = std::make_unique<ast::FunctionStmt>();
    f->procedure = c.is_procedure();
    f->or_replace = c.replace();
    FunctionName(c.funcname(), &f->schema, &f->name);
    for (const pq::Node& p : c.parameters()) {
      const pq::FunctionParameter& fp = p.function_parameter();
      if (fp.has_defexpr()) UnsupportedPlural("argument defaults");
      int mode = 'i';
      switch (fp.mode()) {
        case pq::FUNC_PARAM_IN: case pq::FUNC_PARAM_DEFAULT: break;
        case pq::FUNC_PARAM_OUT: mode = 'o'; break;
        case pq::FUNC_PARAM_INOUT: mode = 'b'; break;
        default: UnsupportedPlural("VARIADIC and TABLE arguments");
      }
      if (fp.arg_type().setof() || fp.arg_type().pct_type()) Unsupported("this argument type", fp.arg_type().location());
      f->arg_names.push_back(fp.name());
      f->arg_types.push_back(DecodeTypeName(fp.arg_type()));
      f->arg_modes.push_back(mode);
    }
    if (c.has_return_type()) {
      if (c.return_type().setof()) UnsupportedPlural("set-returning functions", c.return_type().location());
      f->return_type = DecodeTypeName(c.return_type());
    }
    if (c.has_sql_body()) Unsupported("a function body in SQL-standard form (RETURN or BEGIN ATOMIC)");
    for (const pq::Node& o : c.options()) {
      const pq::DefElem& d = o.def_elem();
      if (d.defname() == "as") {
        if (d.arg().has_list()) {
          if (d.arg().list().items_size() != 1) Unsupported("a function body with a link symbol");
          f->body = d.arg().list().items(0).string().sval();
        } else if (d.arg().has_string()) {
          f->body = d.arg().string().sval();
        }
      } else if (d.defname() == "language") {
        f->language = Lower(d.arg().string().sval());
      } else if (d.defname() == "volatility") {
        std::string v = Lower(d.arg().string().sval());
        f->volatility = v == "immutable" ? "i" : v == "stable" ? "s" : "v";
      } else if (d.defname() == "window") {
        UnsupportedPlural("window functions written by users");
      }
      // STRICT, COST, ROWS, PARALLEL, LEAKPROOF, SECURITY, SET: accepted, without effect.
    }
    f->location = 0;
    return f;
  }

  // DROP FUNCTION | PROCEDURE [IF EXISTS] name[(types)], ... [CASCADE | RESTRICT].
  std::unique_ptr<ast::FunctionStmt> DropFunction(const pq::DropStmt& d) {
    auto f = std::make_unique<ast::FunctionStmt>();
    f->action = ast::FunctionStmt::Action::kDrop;
    f->procedure = d.remove_type() == pq::OBJECT_PROCEDURE;
    f->if_exists = d.missing_ok();
    for (const pq::Node& obj : d.objects()) {
      const pq::ObjectWithArgs& o = obj.object_with_args();
      ast::FunctionStmt::Signature sig;
      FunctionName(o.objname(), &sig.schema, &sig.name);
      sig.args_given = !o.args_unspecified();
      for (const pq::Node& t : o.objargs()) sig.arg_types.push_back(DecodeTypeName(t.type_name()));
      f->drops.push_back(std::move(sig));
    }
    return f;
  }

  std::unique_ptr<ast::CreateViewStmt> CreateView(const pq::ViewStmt& v) {
    if (v.options_size() > 0) Unsupported("CREATE VIEW WITH options");
    if (v.with_check_option() > pq::NO_CHECK_OPTION) Unsupported("WITH CHECK OPTION");
    auto view = std::make_unique<ast::CreateViewStmt>();
    RelationName(v.view(), &view->schema, &view->name, "views");
    view->or_replace = v.replace();
    for (const pq::Node& a : v.aliases()) view->column_names.push_back(a.string().sval());
    view->query = SelectNode(v.query());
    view->query_text = ViewQueryText();
    for (int offset : dialect_.late_binding_views) {
      if (offset >= static_cast<int>(base_) && offset < static_cast<int>(stmt_end_)) view->late_binding = true;
    }
    if (view->late_binding) {
      // The stored query ends before the clause (the original text still has it).
      std::vector<SqlToken> tokens;
      if (ScanSqlTokens(view->query_text, &tokens)) {
        std::vector<SqlToken> words;
        for (const SqlToken& t : tokens) if (t.cls != SqlTokenClass::kComment) words.push_back(t);
        if (words.size() >= 4 && Lower(view->query_text.substr(words[words.size() - 4].start, 4)) == "with") {
          view->query_text = view->query_text.substr(0, words[words.size() - 4].start);
          while (!view->query_text.empty() && std::isspace(static_cast<unsigned char>(view->query_text.back()))) view->query_text.pop_back();
        }
      }
    }
    return view;
  }

  // The text after the first top-level AS that follows VIEW: the defining query.
  std::string ViewQueryText() const {
    std::string text(input_.substr(base_, stmt_end_ - base_));
    std::vector<SqlToken> tokens;
    if (!ScanSqlTokens(text, &tokens)) return "";
    bool after_view = false;
    int depth = 0;
    for (const SqlToken& t : tokens) {
      std::string word = Lower(text.substr(t.start, t.end - t.start));
      if (t.cls == SqlTokenClass::kPunct && word == "(") ++depth;
      if (t.cls == SqlTokenClass::kPunct && word == ")") --depth;
      if (t.cls != SqlTokenClass::kWord || depth != 0) continue;
      if (word == "view") after_view = true;
      if (after_view && word == "as") {
        auto [b, e] = TrimRange(text, t.end, text.size());
        return text.substr(b, e - b);
      }
    }
    return "";
  }

  // ---- queries ------------------------------------------------------------------------------
  std::unique_ptr<ast::SelectStmt> SelectNode(const pq::Node& n) {
    if (!n.has_select_stmt()) Unsupported(NodeName(n) + " as a query");
    return Select(n.select_stmt());
  }

  std::unique_ptr<ast::SelectStmt> Select(const pq::SelectStmt& s) {
    NestingGuard guard;
    auto out = std::make_unique<ast::SelectStmt>();
    if (s.has_into_clause()) Unsupported("SELECT INTO");
    WindowClauseScope windows(this, s);
    if (s.locking_clause_size() > 0) Unsupported("SELECT ... FOR UPDATE/SHARE");
    if (s.group_distinct()) Unsupported("GROUP BY DISTINCT");
    if (s.limit_option() == pq::LIMIT_OPTION_WITH_TIES) Unsupported("FETCH ... WITH TIES");
    if (s.has_with_clause()) With(s.with_clause(), out.get());
    ExprPtr top;  // SELECT TOP n's count, and where TOP stands
    int top_location = 0;
    if (s.op() != pq::SETOP_NONE) {
      out->op = s.op() == pq::SETOP_UNION       ? ast::SetOp::kUnion
                : s.op() == pq::SETOP_INTERSECT ? ast::SetOp::kIntersect
                                                : ast::SetOp::kExcept;
      out->all = s.all();
      out->larg = Select(s.larg());
      out->rarg = Select(s.rarg());
    } else if (s.values_lists_size() > 0) {
      for (const pq::Node& row : s.values_lists()) {
        std::vector<ExprPtr> values;
        for (const pq::Node& v : row.list().items()) values.push_back(Convert(v));
        out->values.push_back(std::move(values));
      }
    } else {
      if (s.distinct_clause_size() > 0) {
        if (s.distinct_clause(0).node_case() != pq::Node::NODE_NOT_SET) {
          for (const pq::Node& d : s.distinct_clause()) out->distinct_on.push_back(Convert(d));
        } else {
          out->distinct = true;
        }
      }
      for (const pq::Node& t : s.target_list()) {
        const pq::ResTarget& rt = t.res_target();
        if (IsTopMarker(rt)) {  // Redshift's SELECT TOP n (sql/redshift_dialect.h)
          top = Convert(rt.val().func_call().args(0));
          top_location = rt.val().func_call().location();
          continue;
        }
        if (rt.indirection_size() > 0) UnsupportedPlural("subscripts", rt.location());
        out->targets.push_back(ast::SelectItem{Convert(rt.val()), rt.name()});
      }
      for (const pq::Node& f : s.from_clause()) out->from.push_back(Table(f));
      if (s.has_where_clause()) out->where = Convert(s.where_clause());
      bool any_set = false;
      for (const pq::Node& g : s.group_clause()) any_set = any_set || g.has_grouping_set();
      if (!any_set) {
        for (const pq::Node& g : s.group_clause()) out->group_by.push_back(Convert(g));
      } else {
        // Each item's grouping sets, crossed with those of the items before it.
        GroupingSets sets = {{}};
        for (const pq::Node& g : s.group_clause()) {
          GroupingSets item = ExpandGroupingSets(g, out.get());
          GroupingSets crossed;
          for (const auto& a : sets) {
            for (const auto& b : item) {
              std::vector<int> both = a;
              both.insert(both.end(), b.begin(), b.end());
              crossed.push_back(std::move(both));
              if (crossed.size() > kMaxGroupingSets) TooManyGroupingSets(g);
            }
          }
          sets = std::move(crossed);
        }
        out->grouping_sets = std::move(sets);
      }
      if (s.has_having_clause()) out->having = Convert(s.having_clause());
    }
    for (const pq::Node& o : s.sort_clause()) {
      const pq::SortBy& sb = o.sort_by();
      if (sb.sortby_dir() == pq::SORTBY_USING) Unsupported("ORDER BY ... USING", sb.location());
      ast::OrderItem item;
      item.expr = Convert(sb.node());
      item.desc = sb.sortby_dir() == pq::SORTBY_DESC;
      if (sb.sortby_nulls() == pq::SORTBY_NULLS_FIRST) item.nulls_first = true;
      if (sb.sortby_nulls() == pq::SORTBY_NULLS_LAST) item.nulls_first = false;
      out->order_by.push_back(std::move(item));
    }
    if (s.has_limit_count() && !IsNullConst(s.limit_count())) {
      if (top) throw SqlError(sqlstate::kSyntaxError, "TOP and LIMIT cannot be used together", CharPositionAt(input_, top_location));
      out->limit = Convert(s.limit_count());
    } else if (top) {
      out->limit = std::move(top);
    }
    if (s.has_limit_offset()) out->offset = Convert(s.limit_offset());
    return out;
  }

  static bool IsNullConst(const pq::Node& n) { return n.has_a_const() && n.a_const().isnull(); }

  // The first select-list item the dialect layer made of `TOP n`.
  bool IsTopMarker(const pq::ResTarget& rt) const {
    if (!rt.val().has_func_call() || rt.val().func_call().args_size() != 1) return false;
    const auto& at = dialect_.top_offsets;
    return std::find(at.begin(), at.end(), rt.val().func_call().location()) != at.end();
  }

  void With(const pq::WithClause& w, ast::SelectStmt* out) {
    for (const pq::Node& n : w.ctes()) {
      const pq::CommonTableExpr& c = n.common_table_expr();
      ast::CommonTableExpr cte;
      cte.name = c.ctename();
      cte.recursive = w.recursive();
      if (c.has_search_clause() || c.has_cycle_clause()) UnsupportedPlural("SEARCH and CYCLE clauses", c.location());
      cte.location = Loc(c.location());
      for (const pq::Node& col : c.aliascolnames()) cte.column_names.push_back(col.string().sval());
      if (!c.ctequery().has_select_stmt()) UnsupportedPlural("data-modifying statements in WITH", c.location());
      cte.query = Select(c.ctequery().select_stmt());
      out->with.push_back(std::move(cte));
    }
  }

  // A table's alias. A column list is kept only for one name, the index of a SUPER array
  // unnested in FROM (`c.arr AS o AT i`, see sql/redshift_dialect.cpp); the binder refuses it on
  // a real table.
  void TableAlias(const pq::Alias& a, ast::TableRef* ref, int location) {
    if (a.colnames_size() > 1) UnsupportedPlural("column alias lists in FROM", location);
    for (const pq::Node& c : a.colnames()) ref->column_names.push_back(c.string().sval());
    ref->alias = a.aliasname();
  }

  // FROM (query) AS s(c1, c2, ...): the AST has no column alias list, so the names are pushed
  // into the query itself: its (leftmost arm's) select-list aliases, or for a VALUES list a
  // wrapping SELECT column1 AS c1, ... that renames PostgreSQL's default names.
  void RenameOutputs(ast::TableRef* ref, const std::vector<std::string>& names) {
    ast::SelectStmt* q = ref->subquery.get();
    while (q->op != ast::SetOp::kNone) q = q->larg.get();
    size_t width = q->values.empty() ? q->targets.size() : q->values[0].size();
    for (const ast::SelectItem& item : q->targets) {
      if (item.expr->kind == ExprKind::kStar) {
        UnsupportedPlural("column alias lists on subqueries that select *", item.expr->location + base_);
      }
    }
    if (names.size() > width) {
      throw SqlError(sqlstate::kInvalidColumnReference,
                     StrCat("table \"", ref->alias, "\" has ", width, " columns available but ", names.size(),
                            " columns specified"));
    }
    if (q->values.empty()) {
      for (size_t i = 0; i < names.size(); ++i) q->targets[i].alias = names[i];
      return;
    }
    auto wrapper = std::make_unique<ast::SelectStmt>();
    for (size_t i = 0; i < width; ++i) {
      std::string column = StrCat("column", i + 1);
      ExprPtr ref_expr = Make(ExprKind::kColumnRef, -1);
      ref_expr->names = {"*values*", column};
      wrapper->targets.push_back(ast::SelectItem{std::move(ref_expr), i < names.size() ? names[i] : column});
    }
    auto inner = std::make_unique<ast::TableRef>();
    inner->kind = ast::TableRef::Kind::kSubquery;
    inner->alias = "*values*";
    inner->subquery = std::move(ref->subquery);
    wrapper->from.push_back(std::move(inner));
    ref->subquery = std::move(wrapper);
  }

  std::unique_ptr<ast::TableRef> Table(const pq::Node& n) {
    NestingGuard guard;
    auto ref = std::make_unique<ast::TableRef>();
    switch (n.node_case()) {
      case pq::Node::kRangeVar: {
        const pq::RangeVar& r = n.range_var();
        ref->kind = ast::TableRef::Kind::kTable;
        ref->schema = r.schemaname();
        ref->name = r.relname();
        ref->catalog = r.catalogname();
        ref->location = Loc(r.location());
        if (r.has_alias()) TableAlias(r.alias(), ref.get(), r.location());
        break;
      }
      case pq::Node::kJoinExpr: {
        const pq::JoinExpr& j = n.join_expr();
        ref->kind = ast::TableRef::Kind::kJoin;
        if (j.has_alias() || j.has_join_using_alias()) UnsupportedPlural("aliases on JOIN");
        switch (j.jointype()) {
          case pq::JOIN_INNER: ref->join_type = ast::JoinType::kInner; break;
          case pq::JOIN_LEFT: ref->join_type = ast::JoinType::kLeft; break;
          case pq::JOIN_RIGHT: ref->join_type = ast::JoinType::kRight; break;
          case pq::JOIN_FULL: ref->join_type = ast::JoinType::kFull; break;
          default: Unsupported("this join type");
        }
        ref->natural = j.is_natural();
        ref->left = Table(j.larg());
        ref->right = Table(j.rarg());
        for (const pq::Node& u : j.using_clause()) ref->using_cols.push_back(u.string().sval());
        if (j.has_quals()) ref->on = Convert(j.quals());
        if (ref->join_type == ast::JoinType::kInner && !j.has_quals() && ref->using_cols.empty() && !ref->natural) {
          ref->join_type = ast::JoinType::kCross;
        }
        break;
      }
      case pq::Node::kRangeSubselect: {
        const pq::RangeSubselect& r = n.range_subselect();
        ref->kind = ast::TableRef::Kind::kSubquery;
        ref->lateral = r.lateral();
        ref->subquery = SelectNode(r.subquery());
        if (r.has_alias()) {
          ref->alias = r.alias().aliasname();
          std::vector<std::string> names;
          for (const pq::Node& c : r.alias().colnames()) names.push_back(c.string().sval());
          if (!names.empty()) RenameOutputs(ref.get(), names);
        }
        break;
      }
      case pq::Node::kRangeFunction: {
        const pq::RangeFunction& r = n.range_function();
        ref->kind = ast::TableRef::Kind::kFunction;
        if (r.functions_size() > 0 && r.functions(0).has_list() && r.functions(0).list().items_size() > 0 &&
            r.functions(0).list().items(0).has_func_call()) {
          const pq::FuncCall& f = r.functions(0).list().items(0).func_call();
          ref->name = Lower(OperatorName(f.funcname()));
          ref->location = Loc(f.location());
          for (const pq::Node& a : f.args()) ref->func_args.push_back(Convert(a));
        }
        if (r.has_alias()) {
          ref->alias = r.alias().aliasname();
          for (const pq::Node& c : r.alias().colnames()) ref->column_names.push_back(c.string().sval());
        }
        for (const pq::Node& c : r.coldeflist()) {  // f() AS alias(column type, ...)
          if (!c.has_column_def()) continue;
          ref->column_names.push_back(c.column_def().colname());
          ref->column_types.push_back(DecodeTypeName(c.column_def().type_name()));
        }
        break;
      }
      default:
        Unsupported(NodeName(n) + " in FROM");
    }
    return WrapPivot(std::move(ref));
  }

  // A reference the dialect layer marked with the alias _pvtN_ (its PIVOT / UNPIVOT clause N):
  // wrapped in a kPivot reference that carries the clause and its alias.
  std::unique_ptr<ast::TableRef> WrapPivot(std::unique_ptr<ast::TableRef> ref) {
    const std::string& a = ref->alias;
    if (a.size() < 6 || a.compare(0, 4, "_pvt") != 0 || a.back() != '_') return ref;
    size_t n = 0;
    for (size_t k = 4; k + 1 < a.size(); ++k) {
      if (a[k] < '0' || a[k] > '9') return ref;
      n = n * 10 + static_cast<size_t>(a[k] - '0');
      if (n > dialect_.pivots.size()) return ref;
    }
    if (n >= dialect_.pivots.size()) return ref;
    const ast::PivotSpec& spec = dialect_.pivots[n];
    auto outer = std::make_unique<ast::TableRef>();
    outer->kind = ast::TableRef::Kind::kPivot;
    outer->pivot = std::make_shared<const ast::PivotSpec>(spec);
    outer->alias = spec.alias;
    outer->location = spec.location;
    ref->alias.clear();
    outer->left = std::move(ref);
    return outer;
  }

  // ---- types and expressions ------------------------------------------------------------------
  ast::TypeName DecodeTypeName(const pq::TypeName& t) {
    ast::TypeName out;
    out.location = Loc(t.location());
    if (t.names_size() == 0) Unsupported("this type", t.location());
    out.name = Lower(t.names(t.names_size() - 1).string().sval());
    if (t.setof() || t.pct_type()) UnsupportedPlural("SETOF and %TYPE", t.location());
    if (t.array_bounds_size() > 0) out.name = "_" + out.name;  // PostgreSQL's name for the array type
    for (const pq::Node& m : t.typmods()) {
      if (!m.has_a_const() || !m.a_const().has_ival()) {
        throw SqlError(sqlstate::kSyntaxError, "type modifiers must be simple constants",
                       CharPositionAt(input_, t.location()));
      }
      int value = m.a_const().ival().ival();
      const auto& max = dialect_.max_length_offsets;
      if (std::find(max.begin(), max.end(), m.a_const().location()) != max.end()) {
        bool is_char = out.name == "bpchar" || out.name == "char" || out.name == "character" || out.name == "nchar";
        value = is_char ? 4096 : 65535;
      }
      out.mods.push_back(value);
    }
    return out;
  }

  ExprPtr Make(ExprKind kind, int location) {
    auto e = std::make_unique<Expr>();
    e->kind = kind;
    e->location = Loc(location);
    return e;
  }

  ExprPtr Func(std::string name, int location, std::vector<ExprPtr> args) {
    ExprPtr e = Make(ExprKind::kFuncCall, location);
    e->func_name = std::move(name);
    e->args = std::move(args);
    return e;
  }

  std::vector<ExprPtr> ConvertList(const google::protobuf::RepeatedPtrField<pq::Node>& nodes) {
    std::vector<ExprPtr> out;
    for (const pq::Node& n : nodes) out.push_back(Convert(n));
    return out;
  }

  ExprPtr Convert(const pq::Node& n) {
    NestingGuard guard;
    switch (n.node_case()) {
      case pq::Node::kColumnRef: return ColumnRef(n.column_ref());
      case pq::Node::kAConst: return Const(n.a_const());
      case pq::Node::kParamRef: {
        ExprPtr e = Make(ExprKind::kParam, n.param_ref().location());
        e->param_index = n.param_ref().number();
        return e;
      }
      case pq::Node::kAExpr: return AExpr(n.a_expr());
      case pq::Node::kBoolExpr: return BoolExpr(n.bool_expr());
      case pq::Node::kFuncCall: return FuncCall(n.func_call());
      case pq::Node::kTypeCast: {
        const pq::TypeCast& c = n.type_cast();
        ExprPtr e = Make(ExprKind::kCast, c.location());
        e->args.push_back(Convert(c.arg()));
        e->cast_type = DecodeTypeName(c.type_name());
        return e;
      }
      case pq::Node::kCaseExpr: {
        const pq::CaseExpr& c = n.case_expr();
        ExprPtr e = Make(ExprKind::kCase, c.location());
        if (c.has_arg()) e->case_operand = Convert(c.arg());
        for (const pq::Node& w : c.args()) {
          e->when.push_back(Convert(w.case_when().expr()));
          e->then.push_back(Convert(w.case_when().result()));
        }
        if (c.has_defresult()) e->else_expr = Convert(c.defresult());
        return e;
      }
      case pq::Node::kCoalesceExpr:
        return Func("coalesce", n.coalesce_expr().location(), ConvertList(n.coalesce_expr().args()));
      case pq::Node::kMinMaxExpr: {
        const pq::MinMaxExpr& m = n.min_max_expr();
        return Func(m.op() == pq::IS_GREATEST ? "greatest" : "least", m.location(), ConvertList(m.args()));
      }
      case pq::Node::kNullTest: {
        const pq::NullTest& t = n.null_test();
        ExprPtr e = Make(ExprKind::kIsNull, t.location());
        e->args.push_back(Convert(t.arg()));
        e->negated = t.nulltesttype() == pq::IS_NOT_NULL;
        return e;
      }
      case pq::Node::kBooleanTest: return BooleanTest(n.boolean_test());
      case pq::Node::kSubLink: return SubLink(n.sub_link());
      case pq::Node::kSqlvalueFunction: return ValueFunction(n.sqlvalue_function());
      case pq::Node::kAIndirection: return Indirection(n.a_indirection());
      // ARRAY[a, b]: an array value, carried as its text literal.
      case pq::Node::kAArrayExpr:
        return Func("pg_array_text", n.a_array_expr().location(), ConvertList(n.a_array_expr().elements()));
      // COLLATE: Strata compares strings bytewise (the C collation), so a collation changes nothing.
      case pq::Node::kCollateClause: return Convert(n.collate_clause().arg());
      case pq::Node::kRowExpr: UnsupportedPlural("ROW constructors", n.row_expr().location());
      case pq::Node::kSetToDefault: return Make(ExprKind::kDefault, n.set_to_default().location());
      case pq::Node::kGroupingFunc: return Func("grouping", n.grouping_func().location(), ConvertList(n.grouping_func().args()));
      default: Unsupported("expression " + NodeName(n));
    }
  }

  ExprPtr ColumnRef(const pq::ColumnRef& c) {
    ExprPtr e = Make(ExprKind::kColumnRef, c.location());
    for (const pq::Node& f : c.fields()) {
      if (f.has_a_star()) {
        e->kind = ExprKind::kStar;
      } else {
        e->names.push_back(f.string().sval());
      }
    }
    // a.b.c.d can only be a path into a SUPER column (the binder decides).
    if (e->names.size() > 3 && e->kind == ExprKind::kStar) UnsupportedPlural("names with more than three parts", c.location());
    return e;
  }

  ExprPtr Const(const pq::A_Const& c) {
    ExprPtr e = Make(ExprKind::kLiteral, c.location());
    if (c.isnull()) {
      e->literal_kind = ast::LiteralKind::kNull;
    } else if (c.has_ival()) {
      e->literal_kind = ast::LiteralKind::kInteger;
      e->text = std::to_string(c.ival().ival());
    } else if (c.has_fval()) {
      // Integers beyond int32 arrive as "Float": keep those that fit int64 as integers.
      e->text = c.fval().fval();
      bool has_point = e->text.find('.') != std::string::npos;
      bool has_exp = e->text.find_first_of("eE") != std::string::npos;
      e->literal_kind = has_exp ? ast::LiteralKind::kFloat : ast::LiteralKind::kNumeric;
      if (!has_point && !has_exp && FitsInt64(e->text)) e->literal_kind = ast::LiteralKind::kInteger;
    } else if (c.has_boolval()) {
      e->literal_kind = ast::LiteralKind::kBool;
      e->text = c.boolval().boolval() ? "true" : "false";
    } else if (c.has_sval()) {
      e->literal_kind = ast::LiteralKind::kString;
      e->text = c.sval().sval();
    } else {
      UnsupportedPlural("bit string literals", c.location());
    }
    return e;
  }

  static bool FitsInt64(const std::string& digits) {
    std::string_view d = digits;
    bool negative = !d.empty() && d[0] == '-';
    if (negative) d.remove_prefix(1);
    while (d.size() > 1 && d[0] == '0') d.remove_prefix(1);
    std::string_view limit = negative ? "9223372036854775808" : "9223372036854775807";
    return d.size() < limit.size() || (d.size() == limit.size() && d <= limit);
  }

  static std::string OperatorName(const google::protobuf::RepeatedPtrField<pq::Node>& name) {
    return name.empty() ? "" : name[name.size() - 1].string().sval();
  }

  ExprPtr AExpr(const pq::A_Expr& a) {
    std::string op = OperatorName(a.name());
    switch (a.kind()) {
      case pq::AEXPR_OP: {
        if (op == "~~" || op == "!~~" || op == "~~*" || op == "!~~*") return Like(a, op);
        if (op == "~" && !a.has_lexpr()) {  // bitwise NOT
          std::vector<ExprPtr> args;
          args.push_back(Convert(a.rexpr()));
          return Func("bitnot", a.location(), std::move(args));
        }
        if (op == "~" || op == "!~" || op == "~*" || op == "!~*") return RegexMatch(a, op);
        // The integer bitwise operators, as functions (executor/expr_bitwise.cpp).
        static const std::pair<const char*, const char*> kBitwise[] = {
            {"&", "bitand"}, {"|", "bitor"}, {"#", "bitxor"}, {"<<", "bitshl"}, {">>", "bitshr"}};
        for (const auto& [symbol, function] : kBitwise) {
          if (op != symbol || !a.has_lexpr()) continue;
          std::vector<ExprPtr> args;
          args.push_back(Convert(a.lexpr()));
          args.push_back(Convert(a.rexpr()));
          return Func(function, a.location(), std::move(args));
        }
        if (!a.has_lexpr()) {
          if (op != "-" && op != "+") Unsupported("prefix operator " + op, a.location());
          ExprPtr e = Make(ExprKind::kUnary, a.location());
          e->op = op;
          e->args.push_back(Convert(a.rexpr()));
          return e;
        }
        static const char* const kBinaryOps[] = {"+", "-", "*", "/", "%", "=", "<>", "<", ">", "<=", ">=", "||"};
        if (std::find(std::begin(kBinaryOps), std::end(kBinaryOps), op) == std::end(kBinaryOps)) {
          // Decoded as a call the binder refuses (see BindCatalogFunction), so that a query empty
          // by its shape (planner/empty_query.h) can still be answered.
          std::vector<ExprPtr> args;
          args.push_back(Convert(a.lexpr()));
          args.push_back(Convert(a.rexpr()));
          return Func("(operator)" + op, a.location(), std::move(args));
        }
        ExprPtr e = Make(ExprKind::kBinary, a.location());
        e->op = op;
        e->args.push_back(Convert(a.lexpr()));
        e->args.push_back(Convert(a.rexpr()));
        return e;
      }
      case pq::AEXPR_NULLIF: {
        std::vector<ExprPtr> args;
        args.push_back(Convert(a.lexpr()));
        args.push_back(Convert(a.rexpr()));
        return Func("nullif", a.location(), std::move(args));
      }
      case pq::AEXPR_IN: {
        ExprPtr e = Make(ExprKind::kInList, a.location());
        e->negated = op == "<>";
        e->args.push_back(Convert(a.lexpr()));
        for (const pq::Node& item : a.rexpr().list().items()) e->args.push_back(Convert(item));
        return e;
      }
      case pq::AEXPR_LIKE:
      case pq::AEXPR_ILIKE:
        return Like(a, op);
      case pq::AEXPR_BETWEEN:
      case pq::AEXPR_NOT_BETWEEN: {
        ExprPtr e = Make(ExprKind::kBetween, a.location());
        e->negated = a.kind() == pq::AEXPR_NOT_BETWEEN;
        e->args.push_back(Convert(a.lexpr()));
        for (const pq::Node& item : a.rexpr().list().items()) e->args.push_back(Convert(item));
        return e;
      }
      case pq::AEXPR_OP_ANY:
      case pq::AEXPR_OP_ALL: return AnyAll(a, op);
      case pq::AEXPR_DISTINCT:
      case pq::AEXPR_NOT_DISTINCT: {
        ExprPtr e = Make(ExprKind::kBinary, a.location());
        e->op = a.kind() == pq::AEXPR_DISTINCT ? "IS DISTINCT FROM" : "IS NOT DISTINCT FROM";
        e->args.push_back(Convert(a.lexpr()));
        e->args.push_back(Convert(a.rexpr()));
        return e;
      }
      // x SIMILAR TO p [ESCAPE e] arrives as x ~ similar_to_escape(p [, e]) (NOT: !~).
      case pq::AEXPR_SIMILAR: return RegexMatch(a, op);
      default: Unsupported("BETWEEN SYMMETRIC", a.location());
    }
  }

  // x ~ 'pattern' (POSIX regular expressions): PostgreSQL's textregexeq / texticregexeq.
  ExprPtr RegexMatch(const pq::A_Expr& a, const std::string& op) {
    std::vector<ExprPtr> args;
    args.push_back(Convert(a.lexpr()));
    args.push_back(Convert(a.rexpr()));
    ExprPtr call = Func(op.find('*') != std::string::npos ? "texticregexeq" : "textregexeq", a.location(), std::move(args));
    if (op[0] != '!') return call;
    ExprPtr e = Make(ExprKind::kUnary, a.location());
    e->op = "NOT";
    e->args.push_back(std::move(call));
    return e;
  }

  // x = ANY (ARRAY[a, b]) is x IN (a, b) and x <> ALL (ARRAY[...]) is NOT IN; x = ANY (array
  // value) tests membership in an array carried as its text literal (pg_any_eq).
  ExprPtr AnyAll(const pq::A_Expr& a, const std::string& op) {
    bool any = a.kind() == pq::AEXPR_OP_ANY;
    if (a.rexpr().has_a_array_expr() && ((any && op == "=") || (!any && op == "<>"))) {
      ExprPtr e = Make(ExprKind::kInList, a.location());
      e->negated = !any;
      e->args.push_back(Convert(a.lexpr()));
      for (const pq::Node& item : a.rexpr().a_array_expr().elements()) e->args.push_back(Convert(item));
      if (e->args.size() == 1) Unsupported("ANY/ALL over an empty array", a.location());
      return e;
    }
    if (!any || op != "=") Unsupported(StrCat(any ? "ANY" : "ALL", " (array) with operator ", op), a.location());
    std::vector<ExprPtr> args;
    args.push_back(Convert(a.lexpr()));
    args.push_back(Convert(a.rexpr()));
    return Func("pg_any_eq", a.location(), std::move(args));
  }

  // x[i] and (x).field, applied in order (x[0].a[1] is three steps): pg_array_element(x, i)
  // and "(field).a"(x). The binder makes them navigation into a SUPER value, an element of an
  // array, or refuses them (a composite's field is decoded only so that a query empty by its
  // shape can be answered; see BindCatalogFunction). Slices are not supported.
  ExprPtr Indirection(const pq::A_Indirection& ind) {
    ExprPtr value = Convert(ind.arg());
    int location = value->location >= 0 ? value->location + base_ : -1;  // undo Loc()
    for (const pq::Node& step : ind.indirection()) {
      std::vector<ExprPtr> args;
      args.push_back(std::move(value));
      if (step.has_string()) {
        value = Func("(field)." + step.string().sval(), location, std::move(args));
        continue;
      }
      if (!step.has_a_indices() || step.a_indices().is_slice() || !step.a_indices().has_uidx()) {
        UnsupportedPlural("array slices and field selection");
      }
      args.push_back(Convert(step.a_indices().uidx()));
      value = Func("pg_array_element", location, std::move(args));
    }
    return value;
  }

  // x [NOT] [I]LIKE pattern [ESCAPE e]: args = x, pattern[, e] (PostgreSQL's grammar wraps an
  // ESCAPE as like_escape(pattern, e)).
  ExprPtr Like(const pq::A_Expr& a, const std::string& op) {
    ExprPtr e = Make(ExprKind::kLike, a.location());
    e->op = op.find('*') != std::string::npos ? "ILIKE" : "LIKE";
    e->negated = op[0] == '!';
    e->args.push_back(Convert(a.lexpr()));
    const pq::Node& r = a.rexpr();
    if (r.has_func_call() && r.func_call().funcname_size() > 0 && r.func_call().args_size() == 2 &&
        r.func_call().funcname(r.func_call().funcname_size() - 1).string().sval() == "like_escape") {
      e->args.push_back(Convert(r.func_call().args(0)));
      e->args.push_back(Convert(r.func_call().args(1)));
    } else {
      e->args.push_back(Convert(r));
    }
    return e;
  }

  ExprPtr BoolExpr(const pq::BoolExpr& b) {
    if (b.boolop() == pq::NOT_EXPR) {
      ExprPtr arg = Convert(b.args(0));
      // NOT EXISTS (...) and x NOT IN (SELECT ...) arrive as NOT over the sublink.
      if ((arg->kind == ExprKind::kExists || arg->kind == ExprKind::kInSubquery) && b.args(0).has_sub_link()) {
        arg->negated = !arg->negated;
        arg->location = Loc(b.location());
        return arg;
      }
      ExprPtr e = Make(ExprKind::kUnary, b.location());
      e->op = "NOT";
      e->args.push_back(std::move(arg));
      return e;
    }
    // AND/OR arrive flattened into one list: fold into a balanced binary tree, so that a list
    // of 20,000 conditions nests 15 levels deep, not 20,000 (the binder flattens it again).
    const char* op = b.boolop() == pq::AND_EXPR ? "AND" : "OR";
    std::vector<ExprPtr> level = ConvertList(b.args());
    while (level.size() > 1) {
      std::vector<ExprPtr> next;
      for (size_t i = 0; i + 1 < level.size(); i += 2) {
        ExprPtr e = Make(ExprKind::kBinary, b.location());
        e->op = op;
        e->args.push_back(std::move(level[i]));
        e->args.push_back(std::move(level[i + 1]));
        next.push_back(std::move(e));
      }
      if (level.size() % 2 == 1) next.push_back(std::move(level.back()));
      level = std::move(next);
    }
    return std::move(level[0]);
  }

  ExprPtr BooleanTest(const pq::BooleanTest& t) {
    ExprPtr e = Make(ExprKind::kIsBool, t.location());
    e->args.push_back(Convert(t.arg()));
    switch (t.booltesttype()) {
      case pq::IS_TRUE: e->op = "TRUE"; break;
      case pq::IS_NOT_TRUE: e->op = "TRUE"; e->negated = true; break;
      case pq::IS_FALSE: e->op = "FALSE"; break;
      case pq::IS_NOT_FALSE: e->op = "FALSE"; e->negated = true; break;
      case pq::IS_UNKNOWN: e->kind = ExprKind::kIsNull; break;
      default: e->kind = ExprKind::kIsNull; e->negated = true; break;  // IS NOT UNKNOWN
    }
    return e;
  }

  ExprPtr SubLink(const pq::SubLink& s) {
    ExprPtr e;
    switch (s.sub_link_type()) {
      case pq::EXISTS_SUBLINK:
        e = Make(ExprKind::kExists, s.location());
        break;
      case pq::EXPR_SUBLINK:
        e = Make(ExprKind::kSubquery, s.location());
        break;
      case pq::ANY_SUBLINK:
      case pq::ALL_SUBLINK:
        if (s.testexpr().has_row_expr()) Unsupported("row-valued IN (subquery)", s.location());
        e = Make(ExprKind::kInSubquery, s.location());
        // x IN (...) is x = ANY (...); any other operator is a quantified comparison.
        e->op = s.oper_name_size() > 0 ? OperatorName(s.oper_name()) : "=";
        e->all_rows = s.sub_link_type() == pq::ALL_SUBLINK;
        e->args.push_back(Convert(s.testexpr()));
        break;
      case pq::ARRAY_SUBLINK:
        e = Make(ExprKind::kSubquery, s.location());
        e->op = "ARRAY";
        break;
      default: Unsupported("this kind of subquery", s.location());
    }
    e->subquery = SelectNode(s.subselect());
    return e;
  }

  // The WINDOW clauses of the SELECTs being decoded, innermost last: OVER w and OVER (w ...)
  // name a window of the SELECT they stand in.
  struct WindowClauseScope {
    WindowClauseScope(Decoder* d, const pq::SelectStmt& s) : d(d) { d->window_clauses_.push_back(&s.window_clause()); }
    ~WindowClauseScope() { d->window_clauses_.pop_back(); }
    Decoder* d;
  };

  [[noreturn]] void WindowError(std::string message, int location) const {
    throw SqlError(sqlstate::kWindowingError, std::move(message), location >= 0 ? CharPositionAt(input_, location) : 0);
  }

  // The named window `name` of the innermost SELECT, resolved (its own references followed).
  pq::WindowDef NamedWindow(const std::string& name, int location, int depth = 0) {
    if (!window_clauses_.empty() && depth < 64) {
      for (const pq::Node& n : *window_clauses_.back()) {
        if (n.has_window_def() && n.window_def().name() == name) return Resolve(n.window_def(), depth + 1);
      }
    }
    throw SqlError(sqlstate::kUndefinedObject, StrCat("window \"", name, "\" does not exist"),
                   location >= 0 ? CharPositionAt(input_, location) : 0);
  }

  // A window definition with the window it refers to (OVER (w ORDER BY ...), WINDOW x AS (w ...))
  // merged in, as PostgreSQL does: the referenced window gives the partitioning, its ordering
  // unless this one orders, and must have no frame.
  pq::WindowDef Resolve(const pq::WindowDef& w, int depth = 0) {
    if (w.refname().empty()) return w;
    pq::WindowDef base = NamedWindow(w.refname(), w.location(), depth);
    if (w.partition_clause_size() > 0) WindowError(StrCat("cannot override PARTITION BY clause of window \"", w.refname(), "\""), w.location());
    if (base.order_clause_size() > 0 && w.order_clause_size() > 0) {
      WindowError(StrCat("cannot override ORDER BY clause of window \"", w.refname(), "\""), w.location());
    }
    if (base.frame_options() & 1) WindowError(StrCat("cannot copy window \"", w.refname(), "\" because it has a frame clause"), w.location());
    pq::WindowDef out = w;
    out.clear_refname();
    *out.mutable_partition_clause() = base.partition_clause();
    if (w.order_clause_size() == 0) *out.mutable_order_clause() = base.order_clause();
    return out;
  }

  // A frame bound's offset (n PRECEDING / FOLLOWING).
  ast::FrameBound Bound(ast::FrameBound::Kind kind, const pq::Node* offset) {
    ast::FrameBound b;
    b.kind = kind;
    if (offset != nullptr) b.offset = Convert(*offset);
    return b;
  }

  // OVER w or OVER (...) of a window function call, with its frame (a frame that EXCLUDEs rows
  // is always a general one).
  std::unique_ptr<ast::WindowSpec> WindowOver(const pq::WindowDef& over) {
    pq::WindowDef w = !over.name().empty() ? NamedWindow(over.name(), over.location()) : Resolve(over);
    auto spec = std::make_unique<ast::WindowSpec>();
    spec->location = over.location();
    for (const pq::Node& p : w.partition_clause()) spec->partition_by.push_back(Convert(p));
    for (const pq::Node& o : w.order_clause()) {
      const pq::SortBy& sb = o.sort_by();
      if (sb.sortby_dir() == pq::SORTBY_USING) Unsupported("ORDER BY ... USING", sb.location());
      ast::OrderItem item;
      item.expr = Convert(sb.node());
      item.desc = sb.sortby_dir() == pq::SORTBY_DESC;
      if (sb.sortby_nulls() == pq::SORTBY_NULLS_FIRST) item.nulls_first = true;
      if (sb.sortby_nulls() == pq::SORTBY_NULLS_LAST) item.nulls_first = false;
      spec->order_by.push_back(std::move(item));
    }
    // PostgreSQL's FRAMEOPTION_* bits: 1 NONDEFAULT, 2 RANGE, 4 ROWS, 8 GROUPS, 16 BETWEEN,
    // 32 / 64 START / END_UNBOUNDED_PRECEDING, 128 / 256 START / END_UNBOUNDED_FOLLOWING,
    // 512 / 1024 START / END_CURRENT_ROW, 2048 / 4096 START / END_OFFSET_PRECEDING,
    // 8192 / 16384 START / END_OFFSET_FOLLOWING, 32768.. EXCLUDE CURRENT ROW / GROUP / TIES.
    int bits = w.frame_options();
    const int exclude = (bits & 0x8000) ? 1 : (bits & 0x10000) ? 2 : (bits & 0x20000) ? 3 : 0;
    int frame = bits & ~(1 | 16 | 0x8000 | 0x10000 | 0x20000);
    if (exclude == 0 && frame == (2 | 32 | 1024)) {
      spec->frame = ast::WindowFrame::kDefault;
    } else if (exclude == 0 && frame == (4 | 32 | 1024)) {
      spec->frame = ast::WindowFrame::kRowsToCurrentRow;
    } else if (exclude == 0 && (frame == (2 | 32 | 256) || frame == (4 | 32 | 256))) {
      spec->frame = ast::WindowFrame::kWholePartition;
    } else {
      using K = ast::FrameBound::Kind;
      spec->frame = ast::WindowFrame::kGeneral;
      spec->exclude = exclude;
      spec->frame_mode = (bits & 4) ? ast::FrameMode::kRows : (bits & 8) ? ast::FrameMode::kGroups : ast::FrameMode::kRange;
      const pq::Node* so = w.has_start_offset() ? &w.start_offset() : nullptr;
      const pq::Node* eo = w.has_end_offset() ? &w.end_offset() : nullptr;
      spec->frame_start = (bits & 32)     ? Bound(K::kUnboundedPreceding, nullptr)
                          : (bits & 128)  ? Bound(K::kUnboundedFollowing, nullptr)
                          : (bits & 512)  ? Bound(K::kCurrentRow, nullptr)
                          : (bits & 2048) ? Bound(K::kPreceding, so)
                                          : Bound(K::kFollowing, so);
      // Without BETWEEN the frame ends at the current row.
      spec->frame_end = (bits & 64)      ? Bound(K::kUnboundedPreceding, nullptr)
                        : (bits & 256)   ? Bound(K::kUnboundedFollowing, nullptr)
                        : (bits & 4096)  ? Bound(K::kPreceding, eo)
                        : (bits & 16384) ? Bound(K::kFollowing, eo)
                                         : Bound(K::kCurrentRow, nullptr);
    }
    return spec;
  }

  using GroupingSets = std::vector<std::vector<int>>;
  static constexpr size_t kMaxGroupingSets = 4096;

  [[noreturn]] void TooManyGroupingSets(const pq::Node& n) {
    int location = n.has_grouping_set() ? n.grouping_set().location() : -1;
    throw SqlError(sqlstate::kStatementTooComplex, "too many grouping sets present (at most 4096)",
                   location >= 0 ? CharPositionAt(input_, location) : 0);
  }

  // One element of ROLLUP / CUBE / GROUPING SETS: an expression, or a parenthesized list of
  // them (a row), as indexes of the GROUP BY expressions it adds to `out`.
  std::vector<int> GroupingElement(const pq::Node& n, ast::SelectStmt* out) {
    std::vector<int> keys;
    if (n.has_row_expr()) {
      for (const pq::Node& a : n.row_expr().args()) keys.push_back(GroupingElement(a, out)[0]);
      return keys;
    }
    out->group_by.push_back(Convert(n));
    keys.push_back(static_cast<int>(out->group_by.size() - 1));
    return keys;
  }

  // The grouping sets one GROUP BY item stands for: a plain expression one set of itself;
  // ROLLUP (a, b) (a, b), (a), (); CUBE (a, b) every subset; GROUPING SETS the union of its
  // elements' sets; () the empty set.
  GroupingSets ExpandGroupingSets(const pq::Node& n, ast::SelectStmt* out) {
    if (!n.has_grouping_set()) return {GroupingElement(n, out)};
    const pq::GroupingSet& g = n.grouping_set();
    std::vector<std::vector<int>> elements;
    GroupingSets sets;
    switch (g.kind()) {
      case pq::GROUPING_SET_EMPTY: return {{}};
      case pq::GROUPING_SET_SIMPLE: {
        std::vector<int> all;
        for (const pq::Node& c : g.content()) for (int k : GroupingElement(c, out)) all.push_back(k);
        return {all};
      }
      case pq::GROUPING_SET_ROLLUP:
      case pq::GROUPING_SET_CUBE:
        for (const pq::Node& c : g.content()) elements.push_back(GroupingElement(c, out));
        if (g.kind() == pq::GROUPING_SET_ROLLUP) {
          for (size_t len = elements.size() + 1; len-- > 0;) {
            std::vector<int> set;
            for (size_t i = 0; i < len; ++i) set.insert(set.end(), elements[i].begin(), elements[i].end());
            sets.push_back(std::move(set));
          }
          return sets;
        }
        if (elements.size() > 12) TooManyGroupingSets(n);
        for (uint32_t mask = (1u << elements.size()); mask-- > 0;) {
          std::vector<int> set;
          for (size_t i = 0; i < elements.size(); ++i) {
            if (mask & (1u << (elements.size() - 1 - i))) set.insert(set.end(), elements[i].begin(), elements[i].end());
          }
          sets.push_back(std::move(set));
        }
        return sets;
      case pq::GROUPING_SET_SETS:
        for (const pq::Node& c : g.content()) {
          for (auto& set : ExpandGroupingSets(c, out)) {
            sets.push_back(std::move(set));
            if (sets.size() > kMaxGroupingSets) TooManyGroupingSets(n);
          }
        }
        return sets;
      default: Unsupported("this kind of grouping set", g.location());
    }
  }

  ExprPtr FuncCall(const pq::FuncCall& f) {
    std::string name = Lower(OperatorName(f.funcname()));
    const bool percentile = name == "percentile_cont" || name == "percentile_disc";
    const bool listagg = name == "listagg" || name == "string_agg" || name == "array_agg";  // order-sensitive
    if (f.agg_within_group() && !((percentile || listagg) && f.agg_order_size() == 1)) Unsupported("WITHIN GROUP", f.location());
    // sum(x ORDER BY y), count(...), min, max, avg, ...: every aggregate Strata has besides
    // LISTAGG / string_agg gives the same answer in any input order, so their ORDER BY is
    // dropped. (An order-sensitive aggregate added later must take it, as LISTAGG does.)
    if (listagg && f.agg_order_size() > 1) Unsupported("ORDER BY with more than one key in aggregate calls", f.location());
    if (f.func_variadic()) Unsupported("VARIADIC", f.location());
    ExprPtr e = Func(name, f.location(), ConvertList(f.args()));
    if (listagg && f.agg_order_size() == 1) {
      const pq::SortBy& sb = f.agg_order(0).sort_by();
      e->agg_order = std::make_unique<ast::OrderItem>();
      e->agg_order->expr = Convert(sb.node());
      e->agg_order->desc = sb.sortby_dir() == pq::SORTBY_DESC;
      if (sb.sortby_nulls() == pq::SORTBY_NULLS_FIRST) e->agg_order->nulls_first = true;
      if (sb.sortby_nulls() == pq::SORTBY_NULLS_LAST) e->agg_order->nulls_first = false;
    } else if (f.agg_within_group()) {
      // percentile_cont(f) WITHIN GROUP (ORDER BY x): the ordered value becomes the second argument.
      const pq::SortBy& sb = f.agg_order(0).sort_by();
      e->args.push_back(Convert(sb.node()));
      e->within_group_desc = sb.sortby_dir() == pq::SORTBY_DESC;
    }
    e->distinct = f.agg_distinct();
    e->star_arg = f.agg_star();
    if (f.has_over()) e->over = WindowOver(f.over());
    if (f.has_agg_filter()) e->filter = Convert(f.agg_filter());
    if (e->func_name == "like_escape") Unsupported("LIKE ... ESCAPE", f.location());
    return e;
  }

  ExprPtr ValueFunction(const pq::SQLValueFunction& v) {
    static const char* const kNames[] = {
        "", "current_date", "current_time", "current_time", "current_timestamp", "current_timestamp",
        "localtime", "localtime", "localtimestamp", "localtimestamp", "current_role", "current_user",
        "user", "session_user", "current_catalog", "current_schema"};
    int op = v.op();
    if (op <= 0 || op >= static_cast<int>(std::size(kNames))) Unsupported("this SQL value function", v.location());
    ExprPtr e = Func(kNames[op], v.location(), {});
    if (v.typmod() >= 0) {  // CURRENT_TIMESTAMP(p): the precision as an integer argument
      ExprPtr p = Make(ExprKind::kLiteral, v.location());
      p->literal_kind = ast::LiteralKind::kInteger;
      p->text = std::to_string(v.typmod());
      e->args.push_back(std::move(p));
    }
    return e;
  }

  std::string_view input_;
  std::vector<const google::protobuf::RepeatedPtrField<pq::Node>*> window_clauses_;
  const DialectResult& dialect_;
  int base_ = 0;      // byte offset of the current statement's text in input_
  int stmt_end_ = 0;  // one past its last byte
};

// Runs a libpg_query call on the dialect-rewritten text; turns its error into a 42601 SqlError
// positioned in the original text.
// libpg_query's own stack check (check_stack_depth) keeps PostgreSQL's SQLSTATE, 54001.
[[noreturn]] void ThrowPgError(const PgQueryError& err, std::string_view pg_text, std::string_view original) {
  std::string_view message = err.message ? err.message : "syntax error";
  const char* state = message.rfind("stack depth limit exceeded", 0) == 0 ? sqlstate::kStatementTooComplex
                                                                           : sqlstate::kSyntaxError;
  throw SqlError(state, std::string(message), OriginalPosition(pg_text, original, err.cursorpos));
}

}  // namespace

bool ScanSqlTokens(const std::string& sql, std::vector<SqlToken>* tokens) {
  tokens->clear();
  PgQueryScanResult result = pg_query_scan(sql.c_str());
  bool ok = result.error == nullptr;
  pq::ScanResult scan;
  if (ok) ok = scan.ParseFromArray(result.pbuf.data, static_cast<int>(result.pbuf.len));
  pg_query_free_scan_result(result);
  if (!ok) return false;
  tokens->reserve(scan.tokens_size());
  for (const pq::ScanToken& t : scan.tokens()) {
    SqlToken tok;
    tok.start = t.start();
    tok.end = t.end();
    char first = tok.start < static_cast<int>(sql.size()) ? sql[tok.start] : '\0';
    switch (t.token()) {
      case pq::IDENT: tok.cls = first == '"' ? SqlTokenClass::kQuotedIdent : SqlTokenClass::kWord; break;
      case pq::UIDENT: tok.cls = SqlTokenClass::kQuotedIdent; break;  // U&"..." 
      case pq::SCONST:
      case pq::USCONST:
      case pq::BCONST:
      case pq::XCONST: tok.cls = SqlTokenClass::kString; break;
      case pq::ICONST:
      case pq::FCONST: tok.cls = SqlTokenClass::kNumber; break;
      case pq::SQL_COMMENT:
      case pq::C_COMMENT: tok.cls = SqlTokenClass::kComment; break;
      default:
        if (t.token() < 256) {
          tok.cls = SqlTokenClass::kPunct;
        } else if (t.keyword_kind() != pq::NO_KEYWORD) {
          tok.cls = SqlTokenClass::kWord;
        } else {
          tok.cls = SqlTokenClass::kOther;
        }
    }
    tokens->push_back(tok);
  }
  return true;
}

namespace {

// Whether the text may hold a statement with a parser of its own (COPY, UNLOAD, VACUUM,
// ANALYZE COMPRESSION, ALTER TABLE APPEND, users) or a Redshift clause PostgreSQL's grammar
// cannot take in its place (MERGE ... REMOVE DUPLICATES): then it is split with the scanner and
// each part routed.
bool MayNeedOwnParser(std::string_view sql) {
  std::string lower(sql);
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower.find("copy") != std::string::npos || lower.find("unload") != std::string::npos ||
         lower.find("vacuum") != std::string::npos || lower.find("compression") != std::string::npos ||
         lower.find("user") != std::string::npos ||  // CREATE / ALTER / DROP USER (sql/user_parser.h)
         lower.find("duplicates") != std::string::npos ||  // MERGE ... REMOVE DUPLICATES
         lower.find("append") != std::string::npos ||       // ALTER TABLE ... APPEND FROM
         lower.find("external") != std::string::npos ||     // sql/external_parser.h
         lower.find("msck") != std::string::npos || lower.find("partition") != std::string::npos ||
         lower.find("crawl") != std::string::npos || lower.find("snapshot") != std::string::npos ||
         lower.find("location") != std::string::npos || lower.find("properties") != std::string::npos ||
         lower.find("resize") != std::string::npos ||  // RESIZE CLUSTER (sql/cluster_parser.h)
         lower.find("grant") != std::string::npos || lower.find("revoke") != std::string::npos ||  // sql/privilege_parser.h
         lower.find("role") != std::string::npos || lower.find("group") != std::string::npos ||
         lower.find("privileges") != std::string::npos || lower.find("policy") != std::string::npos ||  // sql/policy_parser.h
         lower.find("security") != std::string::npos;
}

// Redshift's MERGE ... REMOVE DUPLICATES ends where PostgreSQL's grammar wants WHEN clauses: the
// byte offset of REMOVE in such a statement, -1 in any other.
int RemoveDuplicatesOffset(const std::string& part) {
  std::vector<SqlToken> all, toks;
  if (!ScanSqlTokens(part, &all)) return -1;
  for (const auto& t : all) if (t.cls != SqlTokenClass::kComment) toks.push_back(t);
  auto word = [&](size_t i) { return AsciiLower(std::string_view(part).substr(toks[i].start, toks[i].end - toks[i].start)); };
  while (!toks.empty() && word(toks.size() - 1) == ";") toks.pop_back();
  size_t n = toks.size();
  if (n < 3 || word(0) != "merge" || word(n - 2) != "remove" || word(n - 1) != "duplicates") return -1;
  return toks[n - 2].start;
}

// The statements' trimmed texts of a split result (freed here); throws its error, if any.
std::vector<std::string> SplitTexts(PgQuerySplitResult result, std::string_view pg_text, std::string_view sql) {
  if (result.error) {
    PgQueryError err = *result.error;
    std::string message = err.message ? err.message : "syntax error";
    err.message = message.data();
    pg_query_free_split_result(result);
    ThrowPgError(err, pg_text, sql);
  }
  std::vector<std::string> out;
  for (int i = 0; i < result.n_stmts; ++i) {
    size_t begin = result.stmts[i]->stmt_location;
    size_t len = result.stmts[i]->stmt_len;
    size_t end = len == 0 ? sql.size() : std::min(sql.size(), begin + len);
    auto [b, e] = TrimRange(sql, begin, end);
    if (e > b) out.emplace_back(sql.substr(b, e - b));
  }
  pg_query_free_split_result(result);
  return out;
}

// Splits with libpg_query's scanner only (COPY and UNLOAD in Redshift's syntax do not parse).
std::vector<std::string> SplitWithScanner(std::string_view sql) {
  std::string text(sql);
  PgQuerySplitResult result = pg_query_split_with_scanner(text.c_str());
  return SplitTexts(result, text, sql);
}

std::vector<ast::Statement> ParsePostgresSql(std::string_view sql);
std::vector<std::string> SplitPostgresSql(std::string_view sql);

// MERGE ... REMOVE DUPLICATES (REMOVE at byte `at`): parsed with one WHEN clause in the place of
// the two words (everything before them keeps its offsets), then made the simplified form
// ast::MergeStmt describes: every source row against the target's row ids.
ast::Statement ParseMergeRemoveDuplicates(const std::string& part, int at) {
  auto misplaced = [&] {
    return SqlError(sqlstate::kSyntaxError, "syntax error at or near \"REMOVE\"", CharPositionAt(part, at));
  };
  std::vector<ast::Statement> parsed;
  try {
    parsed = ParsePostgresSql(part.substr(0, at) + "WHEN MATCHED THEN DO NOTHING");
  } catch (const SqlError& e) {
    // WHEN clauses before REMOVE DUPLICATES: the one put in its place follows them.
    if (e.message().rfind("unreachable WHEN clause", 0) == 0) throw misplaced();
    throw;
  }
  if (parsed.size() != 1 || parsed[0].kind != ast::StatementKind::kMerge || parsed[0].merge->clauses.size() != 1) {
    throw misplaced();
  }
  ast::Statement st = std::move(parsed[0]);
  st.text = part;
  ast::MergeStmt& m = *st.merge;
  m.clauses.clear();
  m.remove_duplicates = true;
  ast::TableRef& join = *m.select->from[0];
  join.join_type = ast::JoinType::kRight;
  const ast::TableRef& source = *join.right;
  std::string qualifier = source.alias.empty() ? source.name : source.alias;
  if (qualifier.empty()) throw SqlError(sqlstate::kSyntaxError, "MERGE ... REMOVE DUPLICATES needs a named source");
  m.select->targets.back().expr->names = {qualifier};
  return st;
}

}  // namespace

std::vector<ast::Statement> ParseSql(std::string_view sql) {
  if (!MayNeedOwnParser(sql)) return ParsePostgresSql(sql);
  std::vector<ast::Statement> out;
  for (const std::string& part : SplitWithScanner(sql)) {
    if (IsCopyOrUnload(part)) {
      out.push_back(ParseCopyOrUnload(part));
    } else if (IsMaintenanceStatement(part)) {
      out.push_back(ParseMaintenanceStatement(part));
    } else if (IsUserStatement(part)) {
      out.push_back(ParseUserStatement(part));
    } else if (IsPrivilegeStatement(part)) {
      out.push_back(ParsePrivilegeStatement(part));
    } else if (IsPolicyStatement(part)) {
      out.push_back(ParsePolicyStatement(part));
    } else if (IsExternalStatement(part)) {
      out.push_back(ParseExternalStatement(part));
    } else if (IsSnapshotStatement(part)) {
      out.push_back(ParseSnapshotStatement(part));
    } else if (IsClusterStatement(part)) {
      out.push_back(ParseClusterStatement(part));
    } else if (int at = RemoveDuplicatesOffset(part); at >= 0) {
      out.push_back(ParseMergeRemoveDuplicates(part, at));
    } else {
      for (auto& st : ParsePostgresSql(part)) if (st.kind != ast::StatementKind::kEmpty) out.push_back(std::move(st));
    }
  }
  if (out.empty()) out.emplace_back();
  return out;
}

std::vector<std::string> SplitSql(std::string_view sql) {
  if (!MayNeedOwnParser(sql)) return SplitPostgresSql(sql);
  std::vector<std::string> out;
  for (const std::string& part : SplitWithScanner(sql)) {
    if (IsCopyOrUnload(part) || IsMaintenanceStatement(part) || IsUserStatement(part) || IsPrivilegeStatement(part) || IsPolicyStatement(part) ||
        IsExternalStatement(part) ||
        IsSnapshotStatement(part) || IsClusterStatement(part) || RemoveDuplicatesOffset(part) >= 0) {
      out.push_back(part);
    } else {
      for (auto& p : SplitPostgresSql(part)) out.push_back(std::move(p));
    }
  }
  return out;
}

namespace {

std::vector<ast::Statement> ParsePostgresSql(std::string_view sql) {
  DialectResult dialect = LiftRedshiftClauses(sql);
  // libpg_query turns its tree into protobuf recursively, with no check of its own: bound the
  // depth from the tokens first (sql/nesting_limit.h).
  std::vector<SqlToken> tokens;
  if (ScanSqlTokens(dialect.pg_text, &tokens)) CheckNestingEstimate(tokens, dialect.pg_text);
  PgQueryProtobufParseResult result = pg_query_parse_protobuf(dialect.pg_text.c_str());
  if (result.error) {
    PgQueryError err = *result.error;
    std::string message = err.message ? err.message : "syntax error";
    err.message = message.data();
    pg_query_free_protobuf_parse_result(result);
    ThrowPgError(err, dialect.pg_text, sql);
  }
  pq::ParseResult tree;
  bool ok = ParseNestedMessage(std::string_view(result.parse_tree.data, result.parse_tree.len), &tree);
  pg_query_free_protobuf_parse_result(result);
  // The tree is libpg_query's own output: it fails to decode only when it nests too deeply.
  if (!ok) ThrowTooComplex("The parse tree nests too deeply.");

  std::vector<ast::Statement> statements;
  Decoder decoder(sql, dialect);
  for (const pq::RawStmt& raw : tree.stmts()) statements.push_back(decoder.DecodeRaw(raw));
  if (statements.empty()) statements.emplace_back();  // kEmpty: nothing but blanks and comments
  return statements;
}

std::vector<std::string> SplitPostgresSql(std::string_view sql) {
  DialectResult dialect = LiftRedshiftClauses(sql);
  PgQuerySplitResult result = pg_query_split_with_parser(dialect.pg_text.c_str());
  return SplitTexts(result, dialect.pg_text, sql);
}

}  // namespace

}  // namespace strata
