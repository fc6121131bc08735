// How deep a statement may nest, and the guards that hold every recursive walk of the front end
// (decoder, binder, planner) and of plan messages to it, so that a statement a client sends
// fails with 54001 "statement too complex" instead of running a thread out of stack.
//
// Three layers, each bounded before the next recursion can start:
//  1. Before libpg_query builds its tree (whose output recursion has no check of its own),
//     EstimateNesting walks the statement's tokens once, without recursion, and bounds how deep
//     the tree can be (see the .cpp for the rules); past kMaxNestingEstimate the statement is
//     refused unparsed.
//  2. The parse tree is decoded from protobuf with a recursion limit derived from that bound.
//  3. The decoder, the binder and the planner count their own recursion with NestingGuard (one
//     counter per thread, as the phases run one after another on the session's thread):
//     expressions and FROM items up to kMaxNestingDepth levels, query blocks (subqueries, CTE
//     references, views, set operations) up to kMaxQueryNesting.
// The limits are sized for an 8 MB thread stack (the default of the session and RPC threads)
// with a wide margin; tests/unit/planner/statement_limits_test.cpp runs them on a 2 MB stack.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace google::protobuf {
class MessageLite;
}

namespace strata {

struct SqlToken;

// Expression / FROM-item levels (PostgreSQL 15 with its 2 MB max_stack_depth takes a 1,000-term
// `1+1+...` and refuses 5,000 terms).
inline constexpr int kMaxNestingDepth = 1500;
// Nested query blocks: subqueries, CTE references (a chain of CTEs nests one per link), views
// and set operation arms. Each block becomes several plan operators.
inline constexpr int kMaxQueryNesting = 200;
// Query blocks bound in all (a CTE referenced twice is bound twice): stops chains that double.
inline constexpr int kMaxQueryBlocks = 20000;
// The token-based bound of step 1 (about four tokens per tree level).
inline constexpr int kMaxNestingEstimate = 4 * kMaxNestingDepth;
// Message levels a plan or parse tree message may have when decoded (protobuf's default is 100).
inline constexpr int kMaxMessageNesting = 3 * kMaxNestingEstimate + 256;

// Throws 54001 "statement too complex" with a detail naming the limit.
[[noreturn]] void ThrowTooComplex(const std::string& detail, int position = 0);

// Counts one level of a recursive walk for as long as it lives. `query_block` levels count
// against kMaxQueryNesting (and kMaxQueryBlocks), the others against kMaxNestingDepth.
class NestingGuard {
 public:
  enum class Kind { kExpression, kQueryBlock };
  explicit NestingGuard(Kind kind = Kind::kExpression, int position = 0);
  ~NestingGuard();
  NestingGuard(const NestingGuard&) = delete;
  NestingGuard& operator=(const NestingGuard&) = delete;

  // Resets the per-statement count of query blocks (call once per statement bound).
  static void StartStatement();

 private:
  Kind kind_;
};

// Step 1: an upper bound of the parse tree's depth in "levels" from the statement's tokens
// (`text` is what the tokens index). Throws 54001 past kMaxNestingEstimate.
void CheckNestingEstimate(const std::vector<SqlToken>& tokens, std::string_view text);
// The bound itself, for tests.
int EstimateNesting(const std::vector<SqlToken>& tokens, std::string_view text);

// Parses a serialized message whose nesting may exceed protobuf's default limit of 100 (parse
// trees, plan fragments), up to kMaxMessageNesting. Returns false when the bytes do not parse.
bool ParseNestedMessage(std::string_view bytes, google::protobuf::MessageLite* message);

}  // namespace strata
