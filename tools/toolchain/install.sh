#!/usr/bin/env bash
# Builds the pinned external tools (tools/toolchain/versions.txt) into .tools/bin/ with Go.
# A tool whose stamp matches its pinned version is kept, so a second run only checks.
#   tools/toolchain/install.sh            every tool
#   tools/toolchain/install.sh sops gator only these
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
versions="$root/tools/toolchain/versions.txt"
bin="$root/.tools/bin"
logs="$root/.tools/logs"
mkdir -p "$bin" "$logs"

if ! command -v go >/dev/null 2>&1; then
  echo "install-tools: Go is not installed; the project falls back to its in-process engines (see README, 'Real tools')." >&2
  exit 1
fi
export GOBIN="$bin" GOFLAGS="${GOFLAGS:--buildvcs=false}"

wanted=("$@")
selected() {
  [ ${#wanted[@]} -eq 0 ] && return 0
  local w; for w in "${wanted[@]}"; do [ "$w" = "$1" ] && return 0; done
  return 1
}

failed=()
while read -r name version how target; do
  case "$name" in ''|'#'*) continue ;; esac
  selected "$name" || continue
  stamp="$bin/.$name.version"
  want="$version $how $target"
  # A go-local tool is the repository's own code: its sources are part of what the stamp pins.
  [ "$how" = go-local ] && want="$want $(cat "$root/tools/toolchain/$name"/go.mod "$root/tools/toolchain/$name"/go.sum "$root/tools/toolchain/$name"/*.go | sha256sum | cut -c1-16)"
  if [ -x "$bin/$name" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
    echo "install-tools: $name $version (kept)"
    continue
  fi
  start=$SECONDS
  echo "install-tools: building $name $version ..."
  log="$logs/$name.log"
  case "$how" in
    go-install)
      ok=0; go install "$target@$version" >"$log" 2>&1 || ok=$? ;;
    go-module)
      # The module under tools/toolchain/<name>/ pins the version in its go.mod; refuse a mismatch so
      # versions.txt stays the one place that says which version is used.
      dir="$root/tools/toolchain/$name"
      have="$(cd "$dir" && go list -f '{{.Module.Version}}' "$target" 2>>"$log")" || have=""
      if [ "$have" != "$version" ]; then
        echo "install-tools: $name: tools/toolchain/$name/go.mod pins '$have' but versions.txt says $version" >&2
        failed+=("$name"); continue
      fi
      # An optional ldflags file stamps the version into the binary ({version} = the pinned version).
      ldflags=""; [ -f "$dir/ldflags" ] && ldflags="$(sed "s/{version}/$version/g" "$dir/ldflags")"
      ok=0; (cd "$dir" && go build -ldflags "$ldflags" -o "$bin/$name" "$target") >>"$log" 2>&1 || ok=$? ;;
    go-local)
      # The repository's own command in tools/toolchain/<name>/ (package main); <target> is the upstream
      # module it is built from, whose version its go.mod must pin (refused otherwise, as for go-module).
      dir="$root/tools/toolchain/$name"
      have="$(cd "$dir" && go list -m -f '{{.Version}}' "$target" 2>>"$log")" || have=""
      if [ "$have" != "$version" ]; then
        echo "install-tools: $name: tools/toolchain/$name/go.mod pins $target '$have' but versions.txt says $version" >&2
        failed+=("$name"); continue
      fi
      ldflags=""; [ -f "$dir/ldflags" ] && ldflags="$(sed "s/{version}/$version/g" "$dir/ldflags")"
      ok=0; (cd "$dir" && go build -ldflags "$ldflags" -o "$bin/$name" .) >>"$log" 2>&1 || ok=$? ;;
    *)
      echo "install-tools: $name: unknown build kind '$how' in $versions" >&2; failed+=("$name"); continue ;;
  esac
  if [ "$ok" -ne 0 ]; then
    echo "install-tools: $name $version failed to build (log: ${log#$root/}):" >&2
    tail -n 20 "$log" >&2
    failed+=("$name"); continue
  fi
  echo "$want" >"$stamp"
  echo "install-tools: $name $version built in $((SECONDS - start)) s"
done <"$versions"

if [ ${#failed[@]} -gt 0 ]; then
  echo "install-tools: failed: ${failed[*]}" >&2
  exit 1
fi
