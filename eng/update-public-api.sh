#!/usr/bin/env bash
# Adds every public symbol the build reports as undeclared (RS0016) to the project's
# PublicAPI.Unshipped.txt. Run it after changing the public surface on purpose, then review the
# diff: it is the API change. (dotnet format cannot apply this analyzer's fix to additional files.)
set -euo pipefail
cd "$(dirname "$0")/.."
for project in src/Flow src/Flow.Reactive; do
  file="$project/PublicAPI.Unshipped.txt"
  symbols=$(dotnet build "$project" -c Release --no-incremental 2>&1 \
    | grep -F "$project/" | grep 'RS0016' \
    | sed -E "s/.*Symbol '(.*)' is not part of the declared public API.*/\1/" | sort -u || true)
  [ -n "$symbols" ] || continue
  { cat "$file"; printf '%s\n' "$symbols"; } | grep -v '^#nullable enable$' | sort -u > "$file.tmp"
  { echo '#nullable enable'; cat "$file.tmp"; } > "$file"
  rm "$file.tmp"
  echo "$file: $(printf '%s\n' "$symbols" | wc -l) symbols added"
done
