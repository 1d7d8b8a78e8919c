// Command kube-apiserver-e2e runs a real Kubernetes API server for the project's end-to-end tests: an
// embedded etcd (go.etcd.io/etcd/server/v3/embed) and kube-apiserver (k8s.io/kubernetes/cmd/kube-apiserver/app)
// in one process, so one pinned build provides the whole control plane and stopping the process stops both.
//
// Usage: kube-apiserver-e2e --data-dir DIR [--max-lifetime 30m] -- <kube-apiserver flags>
//
// etcd listens on free loopback ports chosen here and --etcd-servers is appended to the kube-apiserver
// flags. The process exits when its standard input closes (the test runner that started it died), when
// --max-lifetime passes, or on SIGINT/SIGTERM, so no server outlives the test that needed it.
package main

import (
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"go.etcd.io/etcd/server/v3/embed"
	"k8s.io/component-base/cli"
	_ "k8s.io/component-base/logs/json/register"
	"k8s.io/kubernetes/cmd/kube-apiserver/app"
)

func main() {
	fs := flag.NewFlagSet("kube-apiserver-e2e", flag.ExitOnError)
	dataDir := fs.String("data-dir", "", "directory for etcd data (required)")
	maxLifetime := fs.Duration("max-lifetime", 30*time.Minute, "exit after this long, whatever happens")
	watchStdin := fs.Bool("exit-on-stdin-close", true, "exit when standard input reaches end of file")
	if err := fs.Parse(os.Args[1:]); err != nil {
		os.Exit(2)
	}
	if *dataDir == "" {
		fmt.Fprintln(os.Stderr, "kube-apiserver-e2e: --data-dir is required")
		os.Exit(2)
	}

	go func() {
		time.Sleep(*maxLifetime)
		fmt.Fprintf(os.Stderr, "kube-apiserver-e2e: --max-lifetime %s reached, exiting\n", *maxLifetime)
		os.Exit(3)
	}()
	if *watchStdin {
		go func() {
			_, _ = io.Copy(io.Discard, os.Stdin)
			fmt.Fprintln(os.Stderr, "kube-apiserver-e2e: standard input closed, exiting")
			os.Exit(0)
		}()
	}

	etcdURL, err := startEtcd(filepath.Join(*dataDir, "etcd"))
	if err != nil {
		fmt.Fprintf(os.Stderr, "kube-apiserver-e2e: etcd: %v\n", err)
		os.Exit(1)
	}

	command := app.NewAPIServerCommand()
	command.SetArgs(append(fs.Args(), "--etcd-servers="+etcdURL))
	os.Exit(cli.Run(command))
}

// startEtcd starts a single-member etcd on loopback and returns its client URL once it serves.
func startEtcd(dir string) (string, error) {
	clientURL, err := freeLoopbackURL()
	if err != nil {
		return "", err
	}
	peerURL, err := freeLoopbackURL()
	if err != nil {
		return "", err
	}
	cfg := embed.NewConfig()
	cfg.Name = "e2e"
	cfg.Dir = dir
	cfg.ListenClientUrls, cfg.AdvertiseClientUrls = []url.URL{*clientURL}, []url.URL{*clientURL}
	cfg.ListenPeerUrls, cfg.AdvertisePeerUrls = []url.URL{*peerURL}, []url.URL{*peerURL}
	cfg.InitialCluster = cfg.InitialClusterFromName(cfg.Name)
	cfg.LogLevel = "error"
	// A throwaway test store: durability is not needed and fsync dominates apply latency on slow disks.
	cfg.UnsafeNoFsync = true
	server, err := embed.StartEtcd(cfg)
	if err != nil {
		return "", err
	}
	select {
	case <-server.Server.ReadyNotify():
		return clientURL.String(), nil
	case err := <-server.Err():
		return "", err
	case <-time.After(60 * time.Second):
		server.Close()
		return "", fmt.Errorf("not ready after 60s")
	}
}

func freeLoopbackURL() (*url.URL, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	addr := l.Addr().String()
	if err := l.Close(); err != nil {
		return nil, err
	}
	return url.Parse("http://" + addr)
}
