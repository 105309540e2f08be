#!/usr/bin/env bash
# Regenerates the synthetic pilot GIS data set (gis-data/pilot) for 改茶村 with the fixed seed.
# The output is deterministic: running this on an unchanged generator leaves `git diff gis-data` empty.
#   scripts/generate-pilot-data.sh                  # writes gis-data/pilot
#   scripts/generate-pilot-data.sh --out /tmp/x     # anywhere else (extra arguments go to the generator)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
command -v dotnet >/dev/null || { echo "error: the .NET 10 SDK (dotnet) is not on PATH" >&2; exit 1; }
args=("$@")
[[ " ${args[*]-} " == *" --out "* ]] || args=(--out gis-data/pilot "${args[@]}")
exec dotnet run scripts/pilot-data/generate-pilot-data.cs -- "${args[@]}"
