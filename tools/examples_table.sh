#!/usr/bin/env bash
# Regenerates the table of examples in examples/README.md (between its two
# "<!-- examples-table -->" lines) from the examples themselves: the name, the style and the
# idea from the first lines of examples/NAME/NAME.cc ("// NAME: idea", "// Style: ..."), and
# the .wasm's size after wasm-opt from bazel-bin. Run after `bazel build //examples/...`
# (tools/build_examples.sh does both).
set -euo pipefail
cd "$(dirname "$0")/.."
bin="$(bazel info bazel-bin 2>/dev/null)"
readme=examples/README.md

table="$(mktemp)"
trap 'rm -f "$table"' EXIT
{
  echo "| example | style | what it shows | .wasm bytes |"
  echo "|---|---|---|---|"
  for dir in examples/*/; do
    name="$(basename "$dir")"
    src="$dir$name.cc"
    [[ -f "$src" && -f "$dir/BUILD.bazel" ]] || continue
    idea="$(sed -n "s|^// $name: \(.*\)|\1|p" "$src" | head -n 1)"
    style="$(sed -n 's|^// Style: \(.*\)|\1|p' "$src" | head -n 1)"
    wasm="$bin/$dir$name.wasm"
    size="$( [[ -f "$wasm" ]] && wc -c <"$wasm" | sed ':a;s/\B[0-9]\{3\}\>/,&/;ta' || echo "not built")"
    echo "| [\`$name\`]($name/) | ${style:-?} | ${idea:-?} | $size |"
  done
} >"$table"

awk -v table="$table" '
  /<!-- examples-table -->/ {
    print
    if (!inside) { while ((getline line < table) > 0) print line }
    inside = !inside
    next
  }
  !inside { print }
' "$readme" >"$readme.new"
mv "$readme.new" "$readme"
echo "tools/examples_table.sh: $(($(wc -l <"$table") - 2)) examples in $readme"
