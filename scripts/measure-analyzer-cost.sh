#!/usr/bin/env bash
# What Flow's analyzers add to the build of samples/Flow.Guide (docs/analyzers.md, "What they cost").
#
# Times `dotnet build samples/Flow.Guide -c Release --no-incremental` N times in each of three setups,
# round-robin so that a busy machine slows all three alike, and prints every time and the medians:
#   with      the sample as it is: Flow.Analyzers is built and runs in the sample's compile
#   built     -p:FlowAnalyzersRun=false: Flow.Analyzers is built but not loaded (what running it costs = with - built)
#   without   -p:FlowAnalyzers=false: no analyzer reference at all (with - without adds compiling Flow.Analyzers)
# Then one build with -p:ReportAnalyzer=true gives the analyzers' own time inside the sample's compiler run.
# Usage: scripts/measure-analyzer-cost.sh [N=5]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-5}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

dotnet build samples/Flow.Guide -c Release >/dev/null   # restore once, outside the timings

declare -A setups=([with]="" [built]="-p:FlowAnalyzersRun=false" [without]="-p:FlowAnalyzers=false")
declare -A wall=([with]="" [built]="" [without]="") cpu=([with]="" [built]="" [without]="")
TIMEFORMAT='%R %U %S'   # wall, user and system seconds of the build and every process it waited for
for i in $(seq "$n"); do
  for setup in with built without; do
    # shellcheck disable=SC2086
    read -r r u s < <({ time dotnet build samples/Flow.Guide -c Release --no-incremental ${setups[$setup]} >/dev/null; } 2>&1)
    c=$(echo "$u + $s" | bc)
    wall[$setup]+="$r "; cpu[$setup]+="$c "
    printf 'run %d %-8s wall %6.2f s  cpu %6.2f s\n' "$i" "$setup" "$r" "$c"
  done
done

median() { tr ' ' '\n' <<<"$1" | grep . | sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
for m in wall cpu; do
  declare -n t=$m
  mw=$(median "${t[with]}"); mb=$(median "${t[built]}"); mo=$(median "${t[without]}")
  printf '%-4s median: with %6.2f s, built %6.2f s, without %6.2f s\n' "$m" "$mw" "$mb" "$mo"
  printf '     running the analyzers (with vs built):             %+6.1f %%\n' "$(echo "($mw - $mb) * 100 / $mb" | bc -l)"
  printf '     running and compiling them (with vs without):      %+6.1f %%\n' "$(echo "($mw - $mo) * 100 / $mo" | bc -l)"
done

echo "inside the sample's compiler run (ReportAnalyzer):"
dotnet build samples/Flow.Guide -c Release --no-incremental -p:ReportAnalyzer=true -v:d 2>/dev/null \
  | awk '/Total analyzer execution time/ { total = $0 } /Flow\.Analyzers, Version/ { print total; print } /Flow\.Analyzers\.[A-Za-z]+Analyzer / { print }' \
  | sed 's/^ *//'
