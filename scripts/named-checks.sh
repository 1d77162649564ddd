# Sourced by the static-check scripts (check-chart, check-terraform): `check NAME COMMAND...` runs one named
# check, records it in `passed` or `failed`, and prints the last 40 lines of its output when it fails.
# Needs $WORK, a scratch directory of the caller.
passed=()
failed=()
check() {
  local name=$1
  shift
  if "$@" >"$WORK/out" 2>&1; then
    passed+=("$name")
  else
    failed+=("$name")
    echo "--- FAILED: $name" >&2
    tail -n 40 "$WORK/out" >&2
  fi
}
