package main

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

func TestProviderConfigLeavesOutAttachmentsWhenThereAreNone(t *testing.T) {
	cfg := providerConfig(workload{Accounts: 3})
	if strings.Contains(cfg, "agilicus_billing_org_attachment") {
		t.Fatalf("configuration without attachments mentions the attachment resource:\n%s", cfg)
	}
	for _, want := range []string{
		`source = "agilicus/agilicus"`,
		`resource "agilicus_billing_account" "bench"`,
		"count       = var.accounts",
		`provider "agilicus" {}`,
	} {
		if !strings.Contains(cfg, want) {
			t.Errorf("configuration lacks %q:\n%s", want, cfg)
		}
	}
}

func TestProviderConfigSpreadsAttachmentsRoundRobin(t *testing.T) {
	cfg := providerConfig(workload{Accounts: 3, Attachments: 4, Spread: 2})
	for _, want := range []string{
		`resource "agilicus_billing_org_attachment" "bench"`,
		"count              = length(var.org_ids)",
		"billing_account_id = agilicus_billing_account.bench[count.index % var.spread].id",
		"org_id             = var.org_ids[count.index]",
	} {
		if !strings.Contains(cfg, want) {
			t.Errorf("configuration lacks %q:\n%s", want, cfg)
		}
	}
}

func TestNoopConfig(t *testing.T) {
	cfg := noopConfig(workload{Accounts: 3, Attachments: 4, Spread: 2})
	for _, want := range []string{
		`source = "bench/noop"`,
		`provider "noop" {}`,
		`resource "noop_account" "bench" {`,
		"count       = var.accounts",
		`customer_id = format("bench-customer-%d", count.index)`,
		`resource "noop_attachment" "bench" {`,
		"count              = length(var.org_ids)",
		"billing_account_id = noop_account.bench[count.index % var.spread].id",
		"org_id             = var.org_ids[count.index]",
	} {
		if !strings.Contains(cfg, want) {
			t.Errorf("noop configuration lacks %q:\n%s", want, cfg)
		}
	}
	if strings.Contains(cfg, "agilicus") {
		t.Errorf("noop configuration mentions agilicus:\n%s", cfg)
	}
	if cfg := noopConfig(workload{Accounts: 3}); strings.Contains(cfg, "noop_attachment") {
		t.Errorf("noop configuration without attachments mentions the attachment resource:\n%s", cfg)
	}
}

// TestNoopConfigMirrorsProviderConfig checks that the two configurations
// differ only in the names of the provider and its resource types, and in
// the comment above the provider block.
func TestNoopConfigMirrorsProviderConfig(t *testing.T) {
	for _, w := range []workload{{Accounts: 3, Attachments: 4, Spread: 2}, {Accounts: 3}} {
		rename := strings.NewReplacer(
			"agilicus_billing_org_attachment", "noop_attachment",
			"agilicus_billing_account", "noop_account",
			`"agilicus/agilicus"`, `"bench/noop"`,
			`agilicus = {`, `noop = {`,
			`provider "agilicus"`, `provider "noop"`,
			agilicusShape.comment, noopShape.comment,
		)
		if got, want := rename.Replace(providerConfig(w)), noopConfig(w); got != want {
			t.Errorf("%+v: renamed provider configuration\n%s\nwant the noop configuration\n%s", w, got, want)
		}
	}
}

func TestProviderVars(t *testing.T) {
	data, err := providerVars(workload{Accounts: 3, Attachments: 2, Spread: 2}, []string{"o1", "o2"})
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Accounts int      `json:"accounts"`
		Spread   int      `json:"spread"`
		OrgIDs   []string `json:"org_ids"`
	}
	if err := json.Unmarshal(data, &got); err != nil {
		t.Fatal(err)
	}
	if got.Accounts != 3 || got.Spread != 2 || !reflect.DeepEqual(got.OrgIDs, []string{"o1", "o2"}) {
		t.Errorf("vars = %s", data)
	}
}

func TestProviderVarsWithoutAttachments(t *testing.T) {
	data, err := providerVars(workload{Accounts: 3}, nil)
	if err != nil {
		t.Fatal(err)
	}
	// terraform rejects a null list(string) where the variable has no
	// default, and the modulo needs a non-zero spread.
	if !strings.Contains(string(data), `"org_ids": []`) || !strings.Contains(string(data), `"spread": 1`) {
		t.Errorf("vars = %s", data)
	}
}

func TestProviderVarsNeedsOneOrgPerAttachment(t *testing.T) {
	if _, err := providerVars(workload{Accounts: 3, Attachments: 2, Spread: 1}, []string{"o1"}); err == nil {
		t.Fatal("no error for too few org ids")
	}
}

func TestBaseline(t *testing.T) {
	cfg := terraformDataConfig()
	for _, want := range []string{`resource "terraform_data" "bench"`, "count = var.resources", "input = count.index"} {
		if !strings.Contains(cfg, want) {
			t.Errorf("baseline lacks %q:\n%s", want, cfg)
		}
	}
	data, err := terraformDataVars(2000)
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]int
	if err := json.Unmarshal(data, &got); err != nil || got["resources"] != 2000 {
		t.Errorf("baseline vars = %s (%v)", data, err)
	}
}

func TestCLIConfig(t *testing.T) {
	cfg := cliConfig("/tmp/a b/bin", "/tmp/a b/noop-bin")
	for _, want := range []string{
		"provider_installation {", "dev_overrides {",
		`"agilicus/agilicus" = "/tmp/a b/bin"`, `"bench/noop" = "/tmp/a b/noop-bin"`,
		"direct {}",
	} {
		if !strings.Contains(cfg, want) {
			t.Errorf("CLI config lacks %q:\n%s", want, cfg)
		}
	}
}

func TestWorkload(t *testing.T) {
	for _, tc := range []struct {
		w       workload
		active  int
		wantErr bool
	}{
		{workload{Accounts: 1000, Attachments: 1000, Spread: 50}, 50, false},
		{workload{Accounts: 10, Attachments: 3, Spread: 5}, 3, false},
		{workload{Accounts: 10}, 0, false},
		{workload{Accounts: 0}, 0, true},
		{workload{Accounts: 10, Attachments: -1}, 0, true},
		{workload{Accounts: 10, Attachments: 5, Spread: 0}, 0, true},
		{workload{Accounts: 10, Attachments: 5, Spread: 11}, 10, true},
	} {
		if got := tc.w.accountsWithAttachments(); got != tc.active && !tc.wantErr {
			t.Errorf("%+v: accounts with attachments = %d, want %d", tc.w, got, tc.active)
		}
		if err := tc.w.validate(); (err != nil) != tc.wantErr {
			t.Errorf("%+v: validate() = %v, want error %v", tc.w, err, tc.wantErr)
		}
	}
}
