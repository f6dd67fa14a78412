#!/usr/bin/env bash
# Every ```cpp block of each document is listed in doc_samples (bazel/doc_samples.bzl).
# Usage: doc_samples_listed_test.sh DOC=COUNT...
set -uo pipefail
status=0
for pair in "$@"; do
  doc="${pair%=*}" listed="${pair##*=}"
  found=$(awk '/^```cpp/ { c++ } END { print c + 0 }' "$doc")
  if [[ "$found" != "$listed" ]]; then
    echo "FAIL: $doc has $found \`\`\`cpp blocks, doc_samples lists $listed" >&2
    status=1
  fi
done
[[ $status == 0 ]] && echo "PASS: every C++ sample of $# documents is compiled"
exit $status
