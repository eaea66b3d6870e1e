#!/usr/bin/env bash
# Packs Flow and Flow.Reactive into a temporary local feed, checks what the packages contain, then
# builds and runs tests/Consumer — copied outside the repository, so no repository file applies —
# against those packages, resolved from that feed only (other packages from the default source).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' "$repo/Directory.Build.props" | head -n 1)
dotnet pack "$repo/src/Flow/Flow.csproj" -c Release -o "$work/feed" --nologo -v q
dotnet pack "$repo/src/Flow.Reactive/Flow.Reactive.csproj" -c Release -o "$work/feed" --nologo -v q

check_package() {
  local package="$1"; shift
  local listing
  listing=$(unzip -l "$work/feed/$package.$version.nupkg")
  for entry in "$@"; do
    if ! grep -q "$entry" <<<"$listing"; then
      echo "consumer-test: $package.$version.nupkg lacks $entry" >&2
      echo "$listing" >&2
      exit 1
    fi
  done
  [ -f "$work/feed/$package.$version.snupkg" ] || { echo "consumer-test: no symbol package for $package" >&2; exit 1; }
  echo "$package.$version.nupkg:"
  grep -E 'lib/|analyzers/|README' <<<"$listing" | awk '{ print "  " $4 }'
}

flow_entries=(lib/net10.0/Flow.dll lib/net10.0/Flow.xml README.md)
if [ -d "$repo/src/Flow.Analyzers" ]; then
  flow_entries+=(analyzers/dotnet/cs/Flow.Analyzers.dll)
fi
check_package Flow "${flow_entries[@]}"
check_package Flow.Reactive lib/net10.0/Flow.Reactive.dll lib/net10.0/Flow.Reactive.xml README.md

mkdir "$work/app"
cp "$repo/tests/Consumer/Consumer.csproj" "$repo/tests/Consumer/Program.cs" "$work/app/"
cat > "$work/app/nuget.config" <<CONFIG
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <config>
    <!-- A package folder of its own: nothing cached by earlier builds can stand in for the feed. -->
    <add key="globalPackagesFolder" value="$work/packages" />
  </config>
  <packageSources>
    <add key="flow-local" value="$work/feed" />
  </packageSources>
  <packageSourceMapping>
    <packageSource key="flow-local">
      <package pattern="Flow" />
      <package pattern="Flow.*" />
    </packageSource>
    <packageSource key="nuget.org">
      <package pattern="*" />
    </packageSource>
  </packageSourceMapping>
</configuration>
CONFIG

output=$(cd "$work/app" && dotnet run -c Release -p:FlowVersion="$version" --nologo 2>&1) || { echo "$output" >&2; exit 1; }
echo "$output"
grep -qx "consumer ok" <<<"$output"
