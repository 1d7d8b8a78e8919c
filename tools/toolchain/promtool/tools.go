//go:build tools

// Package tools pins promtool: tools/toolchain/install.sh builds github.com/prometheus/prometheus/cmd/promtool
// inside this module (upstream's go.mod has exclude/replace directives, so `go install module@version` is
// refused). The prometheus version in go.mod must equal the one in tools/toolchain/versions.txt.
//
// go-ansiterm and moby/sys/sequential are required explicitly at the versions docker v28.3.0 was built with:
// `go mod tidy` here also resolves the Windows-only imports of docker's packages, and their newest versions
// would raise golang.org/x/sys above the version upstream prometheus uses.
package tools

import _ "github.com/prometheus/prometheus/cmd/promtool"
