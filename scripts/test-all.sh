#!/usr/bin/env bash
# Everything `npm test` checks: types, lint, unit tests, then integration tests against the real
# stack (scripts/stack.sh). Every step runs even when an earlier one failed, so one run shows
# everything that is wrong; the exit code is non-zero if anything failed. The last line is
# `N passed, N failed` (tests of both projects; a failed check such as tsc or biome, or a vitest
# run that could not report, counts as one failure).
set -uo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO" || exit 1
# Node 24 from the `node` devDependency first, also when this script is run without npm.
export PATH="$REPO/node_modules/.bin:$PATH"

OUT="$(mktemp -d "${TMPDIR:-/tmp}/deskhand-test.XXXXXX")"
HOLDS_STACK=0
FAILED_STEPS=()
cleanup() {
  if [[ $HOLDS_STACK == 1 ]]; then bash scripts/stack.sh release $$ || true; fi
  rm -rf "$OUT"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

section() { printf '\n=== %s\n' "$*"; }
now() { date +%s; }

step() { # step NAME COMMAND...
  local name=$1 t0 rc
  shift
  section "$name: $*"
  t0=$(now)
  "$@"
  rc=$?
  if [[ $rc == 0 ]]; then
    echo "--- $name ok ($(($(now) - t0)) s)"
  else
    echo "--- $name FAILED (exit $rc, $(($(now) - t0)) s)"
    FAILED_STEPS+=("$name")
  fi
  return $rc
}

# counts FILE: prints "passed failed skipped" from a vitest JSON report (empty if unreadable).
counts() {
  node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    console.log(r.numPassedTests, r.numFailedTests, r.numPendingTests + r.numTodoTests);
  ' "$1" 2>/dev/null || true
}

PASSED=0
FAILED=0
SKIPPED=0
vitest_project() { # vitest_project NAME [extra vitest args]
  local project=$1 report="$OUT/$1.json" c rc
  shift
  step "$project tests" vitest run --project "$project" --reporter=default --reporter=json \
    --outputFile.json="$report" "$@"
  rc=$?
  c="$(counts "$report")"
  if [[ -n "$c" ]]; then
    read -r p f s <<<"$c"
    PASSED=$((PASSED + p))
    FAILED=$((FAILED + f))
    SKIPPED=$((SKIPPED + s))
    echo "--- $project: $p passed, $f failed, $s skipped"
    # A run that failed without a failing test (no tests found, a crash, a timeout in a hook…)
    if [[ $rc != 0 && $f == 0 ]]; then FAILED=$((FAILED + 1)); fi
  else
    echo "--- $project: no report"
    FAILED=$((FAILED + 1))
  fi
}

# Debian packages first: unit tests use tesseract and poppler (OCR), integration the mail stack.
step "Debian packages" bash scripts/stack.sh deps
step typecheck tsc --noEmit
step lint biome check .
if [[ -f .dependency-cruiser.cjs ]]; then
  step "dependency rules" depcruise src --config .dependency-cruiser.cjs
fi

# docker-compose.yml must stay valid: Debian's docker-compose parses and interpolates it (with
# .env.example's values) without an engine.
step "docker-compose.yml" docker-compose --env-file .env.example -f docker-compose.yml config -q

vitest_project unit --passWithNoTests

# The stack: started here unless it is already up; a lease keeps a concurrent run from stopping it.
# `release` stops it afterwards only if this script started it and no other run still uses it.
if bash scripts/stack.sh status; then
  section "test stack: already up, left running"
fi
if step "stack up" bash scripts/stack.sh acquire $$; then HOLDS_STACK=1; fi
if [[ $HOLDS_STACK == 1 ]]; then vitest_project integration; fi

# Let go of the stack before the summary, so the summary stays the last thing printed.
if [[ $HOLDS_STACK == 1 ]]; then
  section "test stack: release"
  bash scripts/stack.sh release $$ || FAILED_STEPS+=("stack down")
  HOLDS_STACK=0
fi

for name in "${FAILED_STEPS[@]}"; do
  case "$name" in
  "unit tests" | "integration tests") ;; # counted through their reports
  *) FAILED=$((FAILED + 1)) ;;
  esac
done

section "summary"
if ((${#FAILED_STEPS[@]} > 0)); then
  echo "failed: ${FAILED_STEPS[*]}"
else
  echo "all checks passed"
fi
if ((SKIPPED > 0)); then
  echo "$PASSED passed, $FAILED failed, $SKIPPED skipped"
else
  echo "$PASSED passed, $FAILED failed"
fi
if ((${#FAILED_STEPS[@]} > 0 || FAILED > 0)); then exit 1; fi
exit 0
