#!/usr/bin/env bash
# Fuzzes every fuzzer in tests/fuzz for a while (default 60 s each; FUZZ_SECONDS overrides),
# built with --config=fuzz (libFuzzer coverage, ASan, UBSan). Starts from the checked-in seed
# corpus; new inputs go to a scratch copy, not into the tree. A finding fails the run and
# leaves its input in the scratch directory (the path is printed): add it to the corpus with
# the fix. Prints each fuzzer's executions and coverage.
set -uo pipefail
cd "$(dirname "$0")/.."

seconds="${FUZZ_SECONDS:-60}"
fuzzers=(map_codec_fuzzer property_fuzzer event_fuzzer)

bazel build --config=fuzz $(printf '//tests/fuzz:%s ' "${fuzzers[@]}") || exit 1
bin="$(bazel info --config=fuzz bazel-bin 2>/dev/null)/tests/fuzz"
work="$(mktemp -d)"
status=0
for fuzzer in "${fuzzers[@]}"; do
  corpus="$work/${fuzzer%_fuzzer}"
  mkdir -p "$corpus"
  cp tests/fuzz/corpus/"${fuzzer%_fuzzer}"/* "$corpus"/
  log="$work/$fuzzer.log"
  echo "== $fuzzer: ${seconds} s"
  (cd "$work" && "$bin/$fuzzer" -max_total_time="$seconds" -print_final_stats=1 \
      -artifact_prefix="$work/$fuzzer-" "$corpus" >"$log" 2>&1)
  rc=$?
  grep -E 'DONE|^Done' "$log" | tail -n 2
  if [[ $rc -ne 0 ]]; then
    echo "$fuzzer FOUND A PROBLEM (exit $rc); input and log under $work:"
    grep -A30 -E 'invariant violated|ERROR|runtime error|deadly signal' "$log" | head -n 60
    echo "fuzz: //tests/fuzz:$fuzzer FAILED"
    status=1
  else
    echo "fuzz: //tests/fuzz:$fuzzer PASSED"
  fi
done
[[ $status -eq 0 ]] && rm -rf "$work"
exit $status
