// Parsing RESIZE CLUSTER TO n [NODES] (cluster_parser.h).
#include "sql/cluster_parser.h"

#include <cstdlib>

#include "sql/error.h"
#include "sql/token_cursor.h"

namespace strata {

bool IsClusterStatement(std::string_view sql) {
  try {
    TokenCursor c(sql);
    return c.PeekWord() == "resize" && c.PeekWord(1) == "cluster";
  } catch (const SqlError&) {
    return false;
  }
}

ast::Statement ParseClusterStatement(std::string_view sql) {
  TokenCursor c(sql);
  ast::Statement st;
  st.text = std::string(sql);
  st.kind = ast::StatementKind::kResizeCluster;
  st.resize = std::make_unique<ast::ResizeClusterStmt>();
  c.ExpectWord("resize");
  c.ExpectWord("cluster");
  c.ExpectWord("to");
  int at = c.Offset();
  std::string n(c.Peek());
  if (c.PeekClass() != SqlTokenClass::kNumber) c.SyntaxErrorHere();
  c.set_pos(c.pos() + 1);
  long nodes = std::strtol(n.c_str(), nullptr, 10);
  if (n.size() > 6 || n.find_first_not_of("0123456789") != std::string::npos || nodes < 1) {
    throw SqlError(sqlstate::kInvalidParameterValue, StrCat("a cluster needs at least 1 compute node, not ", n))
        .WithPosition(at + 1);
  }
  st.resize->nodes = static_cast<int>(nodes);
  c.AcceptWord("nodes");
  if (!c.AtEnd()) c.SyntaxErrorHere();
  return st;
}

}  // namespace strata
