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

# Builds one tool; prints its outcome and leaves "ok" or "failed" in $logs/<name>.status.
build() {
  local name=$1 version=$2 how=$3 target=$4 want=$5
  local log="$logs/$name.log" dir="$root/tools/toolchain/$name" start=$SECONDS ok=0 have ldflags
  : >"$log"
  echo "failed" >"$logs/$name.status"
  case "$how" in
    go-install)
      go install "$target@$version" >>"$log" 2>&1 || ok=$? ;;
    go-module)
      # The module under tools/toolchain/<name>/ pins the version in its go.mod; refuse a mismatch so
      # versions.txt stays the one place that says which version is used.
      have="$(cd "$dir" && go list -f '{{.Module.Version}}' "$target" 2>>"$log")" || have=""
      if [ "$have" != "$version" ]; then
        echo "install-tools: $name: tools/toolchain/$name/go.mod pins '$have' but versions.txt says $version" >&2
        return
      fi
      # An optional ldflags file stamps the version into the binary ({version} = the pinned version).
      ldflags=""; [ -f "$dir/ldflags" ] && ldflags="$(sed "s/{version}/$version/g" "$dir/ldflags")"
      (cd "$dir" && go build -ldflags "$ldflags" -o "$bin/$name" "$target") >>"$log" 2>&1 || ok=$? ;;
    go-local)
      # The repository's own command in tools/toolchain/<name>/ (package main); <target> is the upstream
      # module it is built from, whose version its go.mod must pin (refused otherwise, as for go-module).
      have="$(cd "$dir" && go list -m -f '{{.Version}}' "$target" 2>>"$log")" || have=""
      if [ "$have" != "$version" ]; then
        echo "install-tools: $name: tools/toolchain/$name/go.mod pins $target '$have' but versions.txt says $version" >&2
        return
      fi
      ldflags=""; [ -f "$dir/ldflags" ] && ldflags="$(sed "s/{version}/$version/g" "$dir/ldflags")"
      (cd "$dir" && go build -ldflags "$ldflags" -o "$bin/$name" .) >>"$log" 2>&1 || ok=$? ;;
    *)
      echo "install-tools: $name: unknown build kind '$how' in $versions" >&2
      return ;;
  esac
  if [ "$ok" -ne 0 ]; then
    echo "install-tools: $name $version failed to build (log: ${log#"$root"/}):" >&2
    tail -n 20 "$log" >&2
    return
  fi
  echo "$want" >"$bin/.$name.version"
  echo "ok" >"$logs/$name.status"
  echo "install-tools: $name $version built in $((SECONDS - start)) s"
}

# Two builds at a time by default: each build is partly downloads and single-threaded linking, so a
# second one keeps both cores busy on a fresh machine (INSTALL_TOOLS_JOBS changes it).
jobs_max="${INSTALL_TOOLS_JOBS:-2}"
started=()
while read -r name version how target; do
  case "$name" in ''|'#'*) continue ;; esac
  selected "$name" || continue
  want="$version $how $target"
  # A go-local tool is the repository's own code: its sources are part of what the stamp pins.
  [ "$how" = go-local ] && want="$want $(cat "$root/tools/toolchain/$name"/go.mod "$root/tools/toolchain/$name"/go.sum "$root/tools/toolchain/$name"/*.go | sha256sum | cut -c1-16)"
  if [ -x "$bin/$name" ] && [ "$(cat "$bin/.$name.version" 2>/dev/null)" = "$want" ]; then
    echo "install-tools: $name $version (kept)"
    continue
  fi
  while [ "$(jobs -rp | wc -l)" -ge "$jobs_max" ]; do wait -n || true; done
  echo "install-tools: building $name $version ..."
  build "$name" "$version" "$how" "$target" "$want" &
  started+=("$name")
done <"$versions"
wait

failed=()
for name in ${started[@]+"${started[@]}"}; do
  [ "$(cat "$logs/$name.status" 2>/dev/null)" = ok ] || failed+=("$name")
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "install-tools: failed: ${failed[*]}" >&2
  exit 1
fi
