package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/agilicus/terraform-provider-agilicus/internal/mockapi"
)

func noEnv(string) string { return "" }

// started is a running instance of the command.
type started struct {
	url    string
	cancel context.CancelFunc
	done   chan error
	stdout *bytes.Buffer
}

// start runs the command with args plus -listen on a free port and
// -url-file, and waits for the URL file to appear.
func start(t *testing.T, urlFile string, args ...string) *started {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	s := &started{cancel: cancel, done: make(chan error, 1), stdout: &bytes.Buffer{}}
	args = append([]string{"-listen", "127.0.0.1:0", "-url-file", urlFile}, args...)
	go func() { s.done <- run(ctx, args, s.stdout, io.Discard, noEnv) }()
	t.Cleanup(cancel)

	deadline := time.Now().Add(10 * time.Second)
	for {
		data, err := os.ReadFile(urlFile)
		if err == nil {
			s.url = strings.TrimSpace(string(data))
			return s
		}
		select {
		case err := <-s.done:
			t.Fatalf("run returned before listening: %v", err)
		case <-time.After(10 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatal("the URL file did not appear")
		}
	}
}

// stop cancels the command and returns what run returned.
func (s *started) stop(t *testing.T) error {
	t.Helper()
	s.cancel()
	select {
	case err := <-s.done:
		return err
	case <-time.After(10 * time.Second):
		t.Fatal("run did not return after cancellation")
		return nil
	}
}

func request(t *testing.T, method, url, token, body string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, data
}

func TestRunServesSeedsAndSavesState(t *testing.T) {
	dir := t.TempDir()
	urlFile, stateFile := filepath.Join(dir, "url"), filepath.Join(dir, "state.json")

	s := start(t, urlFile, "-token", "T", "-orgs", "2", "-state", stateFile, "-seed", "5")
	if !regexp.MustCompile(`^http://127\.0\.0\.1:[1-9][0-9]*$`).MatchString(s.url) {
		t.Fatalf("URL file holds %q", s.url)
	}
	status, body := request(t, http.MethodGet, s.url+"/v1/orgs", "T", "")
	if status != http.StatusOK {
		t.Fatalf("GET /v1/orgs: %d %s", status, body)
	}
	var orgs mockapi.ListOrgsResponse
	if err := json.Unmarshal(body, &orgs); err != nil {
		t.Fatal(err)
	}
	if len(orgs.Orgs) != 2 || orgs.Orgs[0].Organisation != "demo-org-1" || orgs.Orgs[1].Subdomain != "demo-org-2" {
		t.Fatalf("seeded orgs = %+v", orgs.Orgs)
	}
	if status, _ := request(t, http.MethodGet, s.url+"/v1/orgs", "wrong", ""); status != http.StatusUnauthorized {
		t.Errorf("wrong token: %d", status)
	}
	status, body = request(t, http.MethodPost, s.url+"/v1/billing_accounts", "T", `{"spec": {"customer_id": "cus_1"}}`)
	if status != http.StatusCreated {
		t.Fatalf("POST: %d %s", status, body)
	}

	if err := s.stop(t); err != nil {
		t.Fatalf("run returned %v after cancellation, want nil", err)
	}
	want := "Agilicus mock API listening on " + s.url + " (api_version=1.125.2 page_size=0 detach_any_account=false)\n" +
		"org " + orgs.Orgs[0].ID + " demo-org-1\n" +
		"org " + orgs.Orgs[1].ID + " demo-org-2\n"
	if got := s.stdout.String(); got != want {
		t.Errorf("stdout = %q, want %q", got, want)
	}
	if _, err := os.Stat(urlFile); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("URL file left behind: %v", err)
	}
	saved, err := os.ReadFile(stateFile)
	if err != nil || !strings.Contains(string(saved), `"cus_1"`) {
		t.Fatalf("state file: %v %s", err, saved)
	}
	if leftovers, _ := filepath.Glob(filepath.Join(dir, ".*tmp*")); len(leftovers) != 0 {
		t.Errorf("temporary files left: %v", leftovers)
	}

	// A restart loads the state and does not seed the demo orgs twice.
	s = start(t, urlFile, "-token", "T", "-orgs", "3", "-state", stateFile)
	status, body = request(t, http.MethodGet, s.url+"/v1/billing_accounts?customer_id=cus_1", "T", "")
	var accounts mockapi.ListBillingAccountsResponse
	if err := json.Unmarshal(body, &accounts); status != http.StatusOK || err != nil || len(accounts.BillingAccounts) != 1 {
		t.Errorf("after restart: %d %s", status, body)
	}
	_, body = request(t, http.MethodGet, s.url+"/v1/orgs", "T", "")
	if err := json.Unmarshal(body, &orgs); err != nil || len(orgs.Orgs) != 3 {
		t.Errorf("after restart with -orgs 3: %s", body)
	}
	if err := s.stop(t); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(s.stdout.String(), "org "+orgs.Orgs[0].ID+" demo-org-1\n") {
		t.Errorf("restart did not print the existing demo org: %q", s.stdout.String())
	}
}

func TestRunAppliesFaultFlags(t *testing.T) {
	urlFile := filepath.Join(t.TempDir(), "url")
	s := start(t, urlFile, "-token", "T", "-error-rate", "1", "-retry-after", "3s")
	req, _ := http.NewRequest(http.MethodGet, s.url+"/v1/billing_accounts", nil)
	req.Header.Set("Authorization", "Bearer T")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") != "3" {
		t.Errorf("got %d Retry-After %q, want 429 and 3", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	if err := s.stop(t); err != nil {
		t.Fatal(err)
	}
}

func TestRunAppliesBehaviourFlags(t *testing.T) {
	urlFile := filepath.Join(t.TempDir(), "url")
	s := start(t, urlFile, "-token", "T", "-api-version", "1.405.8", "-page-size", "1", "-detach-any-account")
	for _, id := range []string{"cus_1", "cus_2"} {
		if status, body := request(t, http.MethodPost, s.url+"/v1/billing_accounts", "T", `{"spec": {"customer_id": "`+id+`"}}`); status != http.StatusCreated {
			t.Fatalf("POST: %d %s", status, body)
		}
	}
	status, body := request(t, http.MethodGet, s.url+"/v1/billing_accounts", "T", "")
	var page mockapi.ListBillingAccountsResponse
	if err := json.Unmarshal(body, &page); status != http.StatusOK || err != nil || len(page.BillingAccounts) != 1 || page.PageAtID == nil || *page.PageAtID == "" {
		t.Errorf("first page with -page-size 1: %d %s", status, body)
	}
	status, body = request(t, http.MethodGet, s.url+"/_mock/behaviour", "", "")
	if want := `{"api_version":"1.405.8","page_size":1,"detach_any_account":true}` + "\n"; status != http.StatusOK || string(body) != want {
		t.Errorf("GET /_mock/behaviour: %d %s, want %s", status, body, want)
	}
	if err := s.stop(t); err != nil {
		t.Fatal(err)
	}
	if want := "listening on " + s.url + " (api_version=1.405.8 page_size=1 detach_any_account=true)\n"; !strings.Contains(s.stdout.String(), want) {
		t.Errorf("stdout = %q, want it to contain %q", s.stdout.String(), want)
	}
}

func TestParseBehaviourFlags(t *testing.T) {
	tests := []struct {
		args []string
		want mockapi.Behaviour
	}{
		{nil, mockapi.Behaviour{APIVersion: "1.125.2"}},
		{[]string{"-api-version", "1.125.2"}, mockapi.Behaviour{APIVersion: "1.125.2"}},
		{[]string{"-api-version", "1.405.8", "-page-size", "25", "-detach-any-account"},
			mockapi.Behaviour{APIVersion: "1.405.8", PageSize: 25, DetachAnyAccount: true}},
		{[]string{"-page-size", "0", "-detach-any-account=false"}, mockapi.Behaviour{APIVersion: "1.125.2"}},
	}
	for _, tt := range tests {
		c, err := parseFlags(append([]string{"-token", "T"}, tt.args...), io.Discard, noEnv)
		if err != nil {
			t.Errorf("%v: %v", tt.args, err)
			continue
		}
		if c.behaviour != tt.want {
			t.Errorf("%v: behaviour = %+v, want %+v", tt.args, c.behaviour, tt.want)
		}
	}
	for name, args := range map[string][]string{
		"unknown version":    {"-api-version", "1.300.0"},
		"empty version":      {"-api-version", ""},
		"negative page size": {"-page-size", "-1"},
		"page size type":     {"-page-size", "many"},
	} {
		_, err := parseFlags(append([]string{"-token", "T"}, args...), io.Discard, noEnv)
		var usage usageError
		if !errors.As(err, &usage) {
			t.Errorf("%s: err = %v, want a usage error", name, err)
		}
	}
}

func TestParseFlags(t *testing.T) {
	env := func(v string) func(string) string {
		return func(k string) string {
			if k == tokenEnv {
				return v
			}
			return ""
		}
	}
	c, err := parseFlags([]string{"-latency", "20ms", "-error-rate", "0.5", "-reset-rate", "0.1",
		"-drop-after-commit-rate", "0.2", "-retry-after", "2s", "-seed", "9", "-orgs", "4"}, io.Discard, env("from-env"))
	if err != nil {
		t.Fatal(err)
	}
	want := mockapi.Faults{Latency: 20 * time.Millisecond, ErrorRate: 0.5, ResetRate: 0.1, DropAfterCommitRate: 0.2, RetryAfter: 2 * time.Second}
	if c.token != "from-env" || c.faults != want || c.seed != 9 || c.orgs != 4 || c.listen != "127.0.0.1:8080" {
		t.Errorf("config = %+v", c)
	}
	if c, _ := parseFlags([]string{"-token", "flag"}, io.Discard, env("from-env")); c.token != "flag" {
		t.Errorf("-token did not override the environment: %q", c.token)
	}

	bad := map[string][]string{
		"no token":           {},
		"unknown flag":       {"-token", "T", "-nope"},
		"positional":         {"-token", "T", "extra"},
		"error rate above 1": {"-token", "T", "-error-rate", "1.5"},
		"negative reset":     {"-token", "T", "-reset-rate", "-0.1"},
		"negative latency":   {"-token", "T", "-latency", "-1s"},
		"negative orgs":      {"-token", "T", "-orgs", "-1"},
		"bad duration":       {"-token", "T", "-latency", "soon"},
	}
	for name, args := range bad {
		_, err := parseFlags(args, io.Discard, noEnv)
		var usage usageError
		if !errors.As(err, &usage) {
			t.Errorf("%s: err = %v, want a usage error", name, err)
		}
	}
	if _, err := parseFlags([]string{"-h"}, io.Discard, noEnv); !errors.Is(err, flag.ErrHelp) {
		t.Errorf("-h: %v", err)
	}
}

func TestRunErrors(t *testing.T) {
	dir := t.TempDir()
	corrupt := filepath.Join(dir, "state.json")
	if err := os.WriteFile(corrupt, []byte(`{"version": 99}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := run(context.Background(), []string{"-token", "T", "-state", corrupt}, io.Discard, io.Discard, noEnv); err == nil {
		t.Error("run accepted a corrupt state file")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = ln.Close() }()
	if err := run(context.Background(), []string{"-token", "T", "-listen", ln.Addr().String()}, io.Discard, io.Discard, noEnv); err == nil {
		t.Error("run listened on an address in use")
	}
}

func TestBaseURL(t *testing.T) {
	tests := map[string]string{
		"127.0.0.1:8080": "http://127.0.0.1:8080",
		"0.0.0.0:80":     "http://127.0.0.1:80",
		"[::]:9000":      "http://[::1]:9000",
		"[::1]:9000":     "http://[::1]:9000",
	}
	for addr, want := range tests {
		tcp, err := net.ResolveTCPAddr("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		if got := baseURL(tcp); got != want {
			t.Errorf("baseURL(%s) = %s, want %s", addr, got, want)
		}
	}
}
