// The nesting limits of sql/nesting_limit.h.
//
// EstimateNesting bounds the depth of PostgreSQL's raw parse tree from tokens alone. Brackets
// ( ), [ ] and CASE ... END open a frame. Inside a frame, the separators of PostgreSQL's flat
// lists (, AND OR WHEN THEN ELSE ;) end a segment: AND and OR chains become one BoolExpr with a
// list of arguments, and commas separate list items, so what follows a separator does not sit
// below what came before it. Every other token may add one level to its segment (a left-deep
// `a + b + c` is one level per operator), and a closed frame adds its own bound plus one.
// Set operations and joins are the left-deep chains whose links can hold separators
// (`select a, b union select a, b ...`, `join ... on x and y join ...`): UNION, INTERSECT,
// EXCEPT and JOIN lift the rest of the frame above everything before them. The bound over-
// counts (every token counts, siblings add up), which only makes the check conservative.
#include "sql/nesting_limit.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/message_lite.h>

#include <algorithm>

#include "sql/error.h"
#include "sql/redshift_dialect.h"

namespace strata {

namespace {

thread_local int expression_depth = 0;
thread_local int query_depth = 0;
thread_local int query_blocks = 0;

}  // namespace

void ThrowTooComplex(const std::string& detail, int position) {
  throw SqlError(sqlstate::kStatementTooComplex, "statement too complex", position).WithDetail(detail);
}

NestingGuard::NestingGuard(Kind kind, int position) : kind_(kind) {
  if (kind_ == Kind::kExpression) {
    if (expression_depth >= kMaxNestingDepth) {
      ThrowTooComplex(StrCat("Expressions nest deeper than ", kMaxNestingDepth, " levels."), position);
    }
    ++expression_depth;
    return;
  }
  if (query_depth >= kMaxQueryNesting) {
    ThrowTooComplex(StrCat("Subqueries, CTE references, views and set operations nest deeper than ",
                           kMaxQueryNesting, " levels."),
                    position);
  }
  if (query_blocks >= kMaxQueryBlocks) {
    ThrowTooComplex(StrCat("The statement expands to more than ", kMaxQueryBlocks, " query blocks."), position);
  }
  ++query_depth;
  ++query_blocks;
}

NestingGuard::~NestingGuard() {
  if (kind_ == Kind::kExpression) --expression_depth;
  else --query_depth;
}

void NestingGuard::StartStatement() { query_blocks = 0; }

int EstimateNesting(const std::vector<SqlToken>& tokens, std::string_view text) {
  struct Frame {
    int base = 0;  // levels below the current chain link
    int run = 0;   // levels of the current segment
    int max = 0;   // the deepest finished segment
    int Finish() const { return std::max(max, base + run); }
  };
  std::vector<Frame> frames(1);
  int deepest = 0;
  for (const SqlToken& t : tokens) {
    if (t.cls == SqlTokenClass::kComment) continue;
    std::string word;
    if (t.cls == SqlTokenClass::kWord || t.cls == SqlTokenClass::kPunct) {
      word = AsciiLower(text.substr(t.start, t.end - t.start));
    }
    Frame& f = frames.back();
    if (word == "(" || word == "[" || word == "case") {
      frames.emplace_back();
    } else if ((word == ")" || word == "]" || word == "end") && frames.size() > 1) {
      int child = frames.back().Finish() + 1;
      frames.pop_back();
      frames.back().run += child;
    } else if (word == "," || word == "and" || word == "or" || word == "when" || word == "then" || word == "else") {
      f.max = f.Finish();
      f.run = 0;
    } else if (word == ";") {
      deepest = std::max(deepest, f.Finish());
      if (frames.size() == 1) {
        f = Frame();  // the next statement starts afresh
      } else {
        f.max = f.Finish();
        f.run = 0;
      }
    } else if (word == "union" || word == "intersect" || word == "except" || word == "join") {
      f.base = f.Finish() + 1;
      f.max = f.base;
      f.run = 0;
    } else {
      ++f.run;
    }
    const Frame& g = frames.back();
    deepest = std::max<int>(deepest, g.base + g.run + static_cast<int>(frames.size()));
  }
  // Frames left open (a syntax error the parser will report) still count.
  while (frames.size() > 1) {
    int child = frames.back().Finish() + 1;
    frames.pop_back();
    frames.back().run += child;
  }
  return std::max(deepest, frames.back().Finish());
}

void CheckNestingEstimate(const std::vector<SqlToken>& tokens, std::string_view text) {
  if (static_cast<int>(tokens.size()) <= kMaxNestingEstimate) return;  // cannot be deeper
  if (EstimateNesting(tokens, text) > kMaxNestingEstimate) {
    ThrowTooComplex(StrCat("The statement nests deeper than PostgreSQL's parser may go here (about ",
                           kMaxNestingDepth, " levels of operators, parentheses or set operations)."));
  }
}

bool ParseNestedMessage(std::string_view bytes, google::protobuf::MessageLite* message) {
  google::protobuf::io::CodedInputStream in(reinterpret_cast<const uint8_t*>(bytes.data()),
                                            static_cast<int>(bytes.size()));
  in.SetRecursionLimit(kMaxMessageNesting);
  return message->ParseFromCodedStream(&in) && in.ConsumedEntireMessage();
}

}  // namespace strata
