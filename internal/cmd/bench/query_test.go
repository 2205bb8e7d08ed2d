package main

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestParseFlagsQueryMode(t *testing.T) {
	o, err := parseFlags(strings.Fields("-query -accounts 10000 -slow-latency 200ms"), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if !o.query || o.Accounts != 10000 || o.slowLatency != 200*time.Millisecond {
		t.Errorf("parsed %+v", o)
	}
	if o, _ := parseFlags(nil, io.Discard); o.slowLatency != slowQueryLatencyDefault {
		t.Errorf("default -slow-latency = %s, want %s", o.slowLatency, slowQueryLatencyDefault)
	}
	if _, err := parseFlags(strings.Fields("-query -refresh-only"), io.Discard); err == nil {
		t.Error("-query with -refresh-only was accepted")
	}
}

func TestQueryMinCallsIsOnePerFullPage(t *testing.T) {
	for n, want := range map[int]int{1: 1, 500: 1, 501: 2, 1000: 2, 10000: 20, 10001: 21} {
		if got := queryMinCalls(n); got != want {
			t.Errorf("queryMinCalls(%d) = %d, want %d", n, got, want)
		}
	}
}

func TestQueryConfigAsksForEveryAccount(t *testing.T) {
	mainTF, query := queryConfig(12345)
	if !strings.Contains(mainTF, `provider "agilicus" {}`) {
		t.Errorf("main.tf configures no provider from the environment:\n%s", mainTF)
	}
	if !strings.Contains(query, `list "agilicus_billing_account" "estate"`) || !strings.Contains(query, "limit    = 12345") {
		t.Errorf("the query does not list every account:\n%s", query)
	}
}

func TestCountQueryResultsCountsTheAccountLines(t *testing.T) {
	log := filepath.Join(t.TempDir(), "query.log")
	out := "Warning: Provider development overrides are in effect\n" +
		"list.agilicus_billing_account.estate   id=a   cus_a\n" +
		"list.agilicus_billing_account.estate   id=b   cus_b\n" +
		"list.agilicus_billing_account.estates   id=c   not this block\n"
	if err := os.WriteFile(log, []byte(out), 0o600); err != nil {
		t.Fatal(err)
	}
	if n, err := countQueryResults(log); err != nil || n != 2 {
		t.Errorf("countQueryResults = %d, %v; want 2", n, err)
	}
}

func TestQueryTargets(t *testing.T) {
	r := &results{Mode: modeQuery, Workload: workload{Accounts: 10000}, Phases: []phaseResult{
		{Name: phaseQuery, APICallsByRoute: map[string]int{routeListAccounts: 20}, ProviderPeakRSSMiB: 44},
		{Name: phaseQuerySlow, APICallsByRoute: map[string]int{routeListAccounts: 26}, ProviderPeakRSSMiB: 151},
	}}
	got := map[string]string{}
	for _, tg := range evaluateQueryTargets(r) {
		got[tg.Name] = tg.Verdict
	}
	want := map[string]string{
		targetQueryRequests + " (" + phaseQuery + ")":     verdictPass,
		targetQueryRequests + " (" + phaseQuerySlow + ")": verdictFail,
		targetQueryPeakRSS: verdictFail,
	}
	for name, verdict := range want {
		if got[name] != verdict {
			t.Errorf("%s: verdict %q, want %q", name, got[name], verdict)
		}
	}
}
