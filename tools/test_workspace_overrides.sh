#!/usr/bin/env bash
# coproxy_repositories() in a workspace that has its own dependencies (bazel/workspace.bzl,
# docs/build.md "Your own dependencies"): a repository the caller declared first is kept, an
# argument of None leaves one out, a path argument points one elsewhere, and the rest stay
# Debian's. Checked with `bazel query //external:...` in a scratch workspace that depends on
# this checkout, as a plugin's does. Run by tools/test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
checkout="$(pwd)"
scratch="$(mktemp -d "${TMPDIR:-/tmp}/coproxy-overrides.XXXXXX")"
base="$scratch/base"
cleanup() {
  bazel --output_base="$base" shutdown >/dev/null 2>&1 || true
  chmod -R u+w "$scratch" 2>/dev/null || true  # Bazel leaves its outputs read-only
  rm -rf "$scratch"
}
trap cleanup EXIT
fail() { echo "tools/test_workspace_overrides.sh: FAIL: $*" >&2; exit 1; }

workspace="$scratch/plugin"
mkdir -p "$workspace"
ln -s /usr/share/bazel/tools/skylib "$scratch/my-skylib"  # the plugin's own skylib checkout
cp .bazelrc "$workspace/.bazelrc"
touch "$workspace/BUILD.bazel"
cat >"$workspace/googletest.BUILD" <<'EOF'
# The plugin's own GoogleTest build (here: Debian's sources again, under the plugin's file).
cc_library(name = "gtest", visibility = ["//visibility:public"])
EOF
cat >"$workspace/WORKSPACE" <<EOF
workspace(name = "my_plugin")

local_repository(name = "coproxy", path = "$checkout")

# The plugin's own GoogleTest, declared before coproxy's macro runs.
new_local_repository(
    name = "com_google_googletest",
    build_file = "//:googletest.BUILD",
    path = "/usr/src/googletest",
)

load("@coproxy//bazel:workspace.bzl", "coproxy_repositories")

coproxy_repositories(
    abseil = None,
    skylib = "$scratch/my-skylib",
)

register_toolchains("@coproxy//bazel/toolchains/wasm:wasm32_wasi_toolchain")
EOF

definition() {  # definition REPOSITORY: its WORKSPACE rule, or "" when not declared
  (cd "$workspace" && bazel --output_base="$base" query "//external:$1" --output=build 2>/dev/null) || true
}
checks=0
expect() {  # expect REPOSITORY WHAT PATTERN: the definition matches PATTERN ("" = undeclared)
  local found
  found="$(definition "$1")"
  if [[ -z "$3" ]]; then
    [[ -z "$found" ]] || fail "@$1 ($2) is declared: $found"
  else
    grep -qE "$3" <<<"$found" || fail "@$1 ($2): want /$3/ in: ${found:-(not declared)}"
  fi
  checks=$((checks + 1))
  echo "tools/test_workspace_overrides.sh: ok: @$1 $2"
}
expect com_google_googletest "kept as the caller declared it" 'build_file = "//:googletest.BUILD"'
expect com_google_absl "left out (abseil = None)" ""
expect bazel_skylib "from the path given" "path = \"$scratch/my-skylib\""
expect platforms "Debian's by default" 'path = "/usr/share/bazel/tools/platforms"'
expect rules_cc "Debian's, patched, by default" 'patched_rules_cc'
echo "tools/test_workspace_overrides.sh: PASS ($checks checks)"
