// Command mockapi serves the mock Agilicus billing API (package
// internal/mockapi) over HTTP until it receives SIGINT or SIGTERM.
//
//	go run ./internal/cmd/mockapi -listen 127.0.0.1:8080 -token T
//
// Run it with -h for the flags.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr, os.Getenv)
	var usage usageError
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
	case errors.As(err, &usage):
		fmt.Fprintln(os.Stderr, "mockapi:", err)
		os.Exit(2)
	default:
		fmt.Fprintln(os.Stderr, "mockapi:", err)
		os.Exit(1)
	}
}
