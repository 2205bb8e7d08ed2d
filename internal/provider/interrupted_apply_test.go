package provider

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/agilicus/terraform-provider-agilicus/internal/mockapi"
)

// interruptedConfig is n accounts, each with one organisation attached,
// host and token from the environment.
func interruptedConfig(orgIDs []string) string {
	ids, _ := json.Marshal(orgIDs)
	return fmt.Sprintf(`terraform {
  required_providers {
    agilicus = {
      source = "agilicus/agilicus"
    }
  }
}

provider "agilicus" {}

locals {
  org_ids = %s
}

resource "agilicus_billing_account" "team" {
  count       = length(local.org_ids)
  customer_id = "cus_team_${count.index}"
}

resource "agilicus_billing_org_attachment" "team" {
  count              = length(local.org_ids)
  billing_account_id = agilicus_billing_account.team[count.index].id
  org_id             = local.org_ids[count.index]
}
`, ids)
}

// Ctrl-C in the middle of an apply against a slow API (it acts at once and
// answers after 400 ms): Terraform stops gracefully, every account and
// attachment the API made is in the state, and the next apply finishes the
// work without an error, leaving an empty plan. The interrupt comes once
// the API holds some of the accounts (among the creates), and once it holds
// some of the attachments (among the attaches, which follow the accounts).
func TestAccInterruptedApply_convergesOnNextApply(t *testing.T) {
	skipUnlessAcceptance(t)
	for _, tt := range []struct {
		name string
		when func(api *testAPI) bool
	}{
		{"among the creates", func(api *testAPI) bool { return len(api.Accounts()) >= 15 }},
		{"among the attaches", func(api *testAPI) bool { return attachedOrgs(api) >= 5 }},
	} {
		t.Run(tt.name, func(t *testing.T) { interruptApply(t, tt.when) })
	}
}

func interruptApply(t *testing.T, when func(api *testAPI) bool) {
	const n = 60
	api := newTestAPI(t)
	var orgIDs []string
	for i := range n {
		orgIDs = append(orgIDs, api.CreateOrg(mockapi.Organisation{Organisation: fmt.Sprintf("Team %02d", i)}).ID)
	}
	api.SetFaults(mockapi.Faults{AnswerLatency: 400 * time.Millisecond})
	t.Setenv(EnvHost, api.URL)
	t.Setenv(EnvAccessToken, testToken)
	work := t.TempDir()
	if err := os.WriteFile(filepath.Join(work, "main.tf"), []byte(interruptedConfig(orgIDs)), 0o600); err != nil {
		t.Fatal(err)
	}
	tf := terraformBinary(t)
	cliConfig := devOverridesConfig(t, moduleRoot(t))

	out, err := applyInterrupted(t, tf, cliConfig, work, func() bool { return when(api) })
	if err == nil {
		t.Fatalf("the interrupted apply finished before the interrupt; nothing was tested:\n%s", out)
	}
	accountsInState, attachmentsInState := stateCounts(t, tf, cliConfig, work)
	accountsOnAPI, attachedOnAPI := len(api.Accounts()), attachedOrgs(api)
	t.Logf("after Ctrl-C: %d accounts and %d attachments on the API, %d and %d in the state",
		accountsOnAPI, attachedOnAPI, accountsInState, attachmentsInState)
	if made := accountsOnAPI + attachedOnAPI; made == 0 || made == 2*n {
		t.Fatalf("the interrupt came when %d of %d objects existed; it tests nothing", made, 2*n)
	}
	if accountsInState != accountsOnAPI || attachmentsInState != attachedOnAPI {
		t.Errorf("the interrupt left %d accounts and %d attachments on the API out of the state",
			accountsOnAPI-accountsInState, attachedOnAPI-attachmentsInState)
	}

	api.SetFaults(mockapi.Faults{})
	stdout, stderr, err := runTerraform(t, tf, cliConfig, work, "apply", "-auto-approve", "-no-color", "-parallelism=10")
	if err != nil {
		t.Fatalf("the apply after the interrupt failed: %v\n%s%s", err, stdout, stderr)
	}
	if len(api.Accounts()) != n || attachedOrgs(api) != n {
		t.Fatalf("after the next apply the API holds %d accounts and %d attachments, want %d each",
			len(api.Accounts()), attachedOrgs(api), n)
	}
	stdout, stderr, err = runTerraform(t, tf, cliConfig, work, "plan", "-detailed-exitcode", "-no-color")
	if err != nil {
		t.Fatalf("the plan after the next apply is not empty (%v):\n%s%s", err, stdout, stderr)
	}
}

// applyInterrupted starts terraform apply in its own process group and
// sends the group SIGINT once ready reports true, as Ctrl-C in a terminal
// does; it returns what terraform printed and how it exited.
func applyInterrupted(t *testing.T, tf, cliConfig, dir string, ready func() bool) (string, error) {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), tf, "apply", "-auto-approve", "-no-color", "-parallelism=10")
	cmd.Dir = dir
	cmd.Env = append(terraformEnviron(), "TF_CLI_CONFIG_FILE="+cliConfig, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	var err error
wait:
	for {
		select {
		case err = <-exited:
			break wait
		case <-tick.C:
			if ready() {
				_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGINT)
				err = <-exited
				break wait
			}
		}
	}
	if !strings.Contains(out.String(), "Interrupt received") {
		t.Logf("terraform did not report the interrupt:\n%s", out.String())
	}
	return out.String(), err
}

// stateCounts counts the accounts and attachments in the state of dir.
func stateCounts(t *testing.T, tf, cliConfig, dir string) (accounts, attachments int) {
	t.Helper()
	stdout, stderr, err := runTerraform(t, tf, cliConfig, dir, "state", "list")
	if err != nil {
		t.Fatalf("terraform state list: %v\n%s", err, stderr)
	}
	for line := range strings.Lines(string(stdout)) {
		switch {
		case strings.HasPrefix(line, "agilicus_billing_account."):
			accounts++
		case strings.HasPrefix(line, "agilicus_billing_org_attachment."):
			attachments++
		}
	}
	return accounts, attachments
}

// attachedOrgs counts the organisations attached to any account.
func attachedOrgs(api *testAPI) int {
	n := 0
	for _, o := range api.Orgs() {
		if o.BillingAccountID != "" {
			n++
		}
	}
	return n
}
