#!/usr/bin/env bash
# Runs a .py (tools/check_*.py, tests/deploy/*.py) with Debian's python3, found on the fixed
# action PATH (--incompatible_strict_action_env): Bazel 4.2.3's py_test stub starts with
# "#!/usr/bin/env python", which Debian 12 does not have (docs/build.md, "Newer Bazel").
exec python3 "$@"
