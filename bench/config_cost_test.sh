#!/usr/bin/env bash
# Every configuration module does its work, cycle after cycle (config_cost fails a cycle whose
# work was not done: the summary not logged, the global x-tier not stamped). Arg: CONFIG_COST_O0
set -euo pipefail
for module in config_none config_coproxy config_rapidjson config_nlohmann; do
  "$1" "$module" start 20
done
for rules in rules0 rules1 rules20; do
  "$1" per_route_config "$rules" 20
done
