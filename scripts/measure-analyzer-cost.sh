#!/usr/bin/env bash
# What Flow's analyzers add to the build of samples/Flow.Guide (docs/analyzers.md, "What they cost").
#
# Times `dotnet build samples/Flow.Guide -c Release --no-incremental` N times in each of three setups,
# round-robin so that a busy machine slows all three alike, and prints every time and the medians:
#   with      the sample as it is: Flow.Analyzers is built and runs in the sample's compile
#   built     -p:FlowAnalyzersRun=false: Flow.Analyzers is built but not loaded (with - built = running it)
#   without   -p:FlowAnalyzers=false: no analyzer reference at all (with - without = running and compiling it)
# Each build is timed twice: wall-clock, and CPU (user + system of the build and every process under it,
# MSBuild nodes and compilers included). On a machine shared with other builds the CPU time is the steadier.
# Then N incremental builds after touching a sample file (the edit-build loop), with and without, and one
# build with -p:ReportAnalyzer=true for the analyzers' own time inside the sample's compiler run.
# Usage: scripts/measure-analyzer-cost.sh [N=5]      Needs python3 (for the CPU accounting).
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-5}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# Runs a command as a child subreaper, so that every process under it (MSBuild nodes outlive the
# dotnet process that started them) is reaped here and its CPU time counted. Prints "wall cpu".
timed() {
  python3 - "$@" <<'PY'
import ctypes, os, resource, subprocess, sys, time
ctypes.CDLL(None).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
start = time.monotonic()
code = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL)
while True:
    try:
        os.wait()
    except ChildProcessError:
        break
wall = time.monotonic() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(f"{wall:.2f} {usage.ru_utime + usage.ru_stime:.2f}")
sys.exit(code)
PY
}

dotnet build samples/Flow.Guide -c Release >/dev/null   # restore once, outside the timings

declare -A setups=([with]="" [built]="-p:FlowAnalyzersRun=false" [without]="-p:FlowAnalyzers=false")
declare -A wall=([with]="" [built]="" [without]="") cpu=([with]="" [built]="" [without]="")
for i in $(seq "$n"); do
  for setup in with built without; do
    # shellcheck disable=SC2086
    read -r w c < <(timed dotnet build samples/Flow.Guide -c Release --no-incremental ${setups[$setup]})
    wall[$setup]+="$w "; cpu[$setup]+="$c "
    printf 'run %d %-8s wall %6.2f s  cpu %6.2f s\n' "$i" "$setup" "$w" "$c"
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

# The edit-build loop: a changed sample file, Flow and Flow.Analyzers up to date.
declare -A iwall=([with]="" [without]="") icpu=([with]="" [without]="")
dotnet build samples/Flow.Guide -c Release >/dev/null
for i in $(seq "$n"); do
  for setup in with without; do
    touch samples/Flow.Guide/Program.cs
    # shellcheck disable=SC2086
    read -r w c < <(timed dotnet build samples/Flow.Guide -c Release ${setups[$setup]})
    iwall[$setup]+="$w "; icpu[$setup]+="$c "
    printf 'incremental run %d %-8s wall %6.2f s  cpu %6.2f s\n' "$i" "$setup" "$w" "$c"
  done
done
for m in iwall icpu; do
  declare -n t=$m
  mw=$(median "${t[with]}"); mo=$(median "${t[without]}")
  printf '%-5s median: with %6.2f s, without %6.2f s: %+6.1f %%\n' "$m" "$mw" "$mo" "$(echo "($mw - $mo) * 100 / $mo" | bc -l)"
done

echo "inside the sample's compiler run (ReportAnalyzer):"
dotnet build samples/Flow.Guide -c Release --no-incremental -p:ReportAnalyzer=true -v:d 2>/dev/null \
  | awk '/Total analyzer execution time/ { total = $0 } /Flow\.Analyzers, Version/ { print total; print } /Flow\.Analyzers\.[A-Za-z]+Analyzer / { print }' \
  | sed 's/^ *//'
