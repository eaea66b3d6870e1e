#!/usr/bin/env bash
# The one command: runs the short benchmark suite (under 10 minutes on 2 cores) and rewrites
# docs/benchmarks.md, docs/benchmarks/*.png and docs/benchmarks/results.json.
# Extra arguments go to BenchmarkDotNet, e.g. a smaller suite: bench/run-report.sh --filter '*PingPong*'
set -euo pipefail
cd "$(dirname "$0")/.."
exec dotnet run -c Release --project bench/Flow.Benchmarks -- --report "$@"
