#!/usr/bin/env bash
# Runs `npm test` RUNS times in a row (default 5) beside BURNERS CPU-bound processes (default 2),
# the check that no test depends on how fast the machine is. Exits non-zero if any run fails.
# Usage: npm run test:stress            RUNS=10 BURNERS=3 npm run test:stress
set -u
runs="${RUNS:-5}"
burners="${BURNERS:-2}"
pids=()
stop_burners() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
  wait 2>/dev/null
}
trap stop_burners EXIT
trap 'exit 130' INT TERM
for _ in $(seq "$burners"); do
  node -e 'for (;;) {}' &
  pids+=("$!")
done
echo "test:stress: $runs runs of npm test beside $burners CPU-bound processes (pids ${pids[*]})"
failed=0
for i in $(seq "$runs"); do
  start=$(date +%s)
  if npm test --silent >"${TMPDIR:-/tmp}/cutover-stress-$i.log" 2>&1; then
    result=passed
  else
    result=FAILED
    failed=$((failed + 1))
  fi
  # vitest colours its summary even into a file: strip the escapes before looking for it
  summary=$(sed 's/\x1b\[[0-9;]*m//g' "${TMPDIR:-/tmp}/cutover-stress-$i.log" | grep -E '^ +Tests ' | tail -1)
  echo "run $i/$runs: $result in $(($(date +%s) - start)) s;${summary}  (log: ${TMPDIR:-/tmp}/cutover-stress-$i.log)"
done
echo "test:stress: $((runs - failed))/$runs runs passed"
[ "$failed" -eq 0 ]
