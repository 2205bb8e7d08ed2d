package main

import (
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestParseFlagsDefaults(t *testing.T) {
	o, err := parseFlags(nil, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	want := workload{Accounts: 1000, Attachments: 1000, Spread: 50}
	if o.workload != want || o.parallelism != 10 || o.latency != 20*time.Millisecond || o.out != "" || o.strict || o.keep {
		t.Errorf("defaults = %+v", o)
	}
}

func TestParseFlagsSmokeSize(t *testing.T) {
	o, err := parseFlags(strings.Fields("-accounts 10 -attachments 10 -spread 2 -latency 5ms -parallelism 4 -strict"), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if o.workload != (workload{Accounts: 10, Attachments: 10, Spread: 2}) || o.latency != 5*time.Millisecond || o.parallelism != 4 || !o.strict {
		t.Errorf("parsed %+v", o)
	}
}

func TestParseFlagsLaterFlagWins(t *testing.T) {
	// scripts/bench.sh passes its defaults first and the caller's flags after.
	o, err := parseFlags([]string{"-accounts", "1000", "-accounts", "7", "-spread", "7"}, io.Discard)
	if err != nil || o.Accounts != 7 {
		t.Errorf("accounts = %d, %v; want 7", o.Accounts, err)
	}
}

func TestParseFlagsNoAttachmentsIgnoresSpread(t *testing.T) {
	o, err := parseFlags([]string{"-accounts", "5", "-attachments", "0"}, io.Discard)
	if err != nil || o.Spread != 0 {
		t.Errorf("spread = %d, %v; want 0", o.Spread, err)
	}
}

func TestParseFlagsErrors(t *testing.T) {
	for _, args := range [][]string{
		{"-accounts", "0"},
		{"-attachments", "-1"},
		{"-accounts", "10", "-spread", "11"},
		{"-spread", "0"},
		{"-parallelism", "0"},
		{"-latency", "-1ms"},
		{"-latency", "fast"},
		{"extra"},
	} {
		_, err := parseFlags(args, io.Discard)
		var usage usageError
		if !errors.As(err, &usage) {
			t.Errorf("%v: error %v, want a usage error", args, err)
		}
	}
	if _, err := parseFlags([]string{"-h"}, io.Discard); !errors.Is(err, flag.ErrHelp) {
		t.Errorf("-h: %v", err)
	}
}

func TestTerraformEnv(t *testing.T) {
	env := terraformEnv([]string{
		"PATH=/bin", "HOME=/home/u", "TF_LOG=TRACE", "TF_CLI_CONFIG_FILE=/missing", "TF_ACC=1",
		"AGILICUS_MAX_RETRIES=0", "CHECKPOINT_DISABLE=", "GOFLAGS=-mod=mod",
	}, map[string]string{"TF_CLI_CONFIG_FILE": "/tmp/rc", "AGILICUS_API_HOST": "http://127.0.0.1:1"})
	slices.Sort(env)
	want := []string{"AGILICUS_API_HOST=http://127.0.0.1:1", "GOFLAGS=-mod=mod", "HOME=/home/u", "PATH=/bin", "TF_CLI_CONFIG_FILE=/tmp/rc"}
	if !slices.Equal(env, want) {
		t.Errorf("env = %v, want %v", env, want)
	}
}

func TestDeclaresModule(t *testing.T) {
	gomod := "// comment\nmodule github.com/agilicus/terraform-provider-agilicus\n\ngo 1.26\n"
	if !declaresModule(gomod, modulePath) {
		t.Error("module line not found")
	}
	if declaresModule("module github.com/agilicus/terraform-provider-agilicus/sub\n", modulePath) {
		t.Error("another module matched")
	}
	root, err := moduleRoot(".")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "main.go")); err != nil {
		t.Errorf("moduleRoot(.) = %q, which is not the provider's root: %v", root, err)
	}
}
