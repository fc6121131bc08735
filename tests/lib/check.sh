# Sourced by the shell tests: counts checks and prints each failure with what was expected.
#   check NAME EXPECTED ACTUAL   passes when the two strings are equal
#   CHECK_VERBOSE=1              also prints "ok   NAME" for each pass
# The script ends with: echo "$passed passed, $failed failed"; [ "$failed" = 0 ]
# Under `set -e` a command that fails at the script's top level ends it; the ERR trap below says
# which one, so such an end is never silent. (With pipefail, `x=$(producer | head -1)` is such a
# command when head exits before the producer has written all: use `sed -n 1p`, which reads all.)
passed=0
failed=0
check() {
  if [ "$2" == "$3" ]; then
    [ -n "${CHECK_VERBOSE:-}" ] && echo "ok   $1"
    passed=$((passed + 1))
  else
    echo "FAIL $1"; echo "  expected: $2"; echo "  actual:   $3"; failed=$((failed + 1))
  fi
  return 0
}
if [[ $- == *e* ]]; then
  trap 'echo "${BASH_SOURCE[0]}: line $LINENO: exit $? from: $BASH_COMMAND" >&2' ERR
fi
