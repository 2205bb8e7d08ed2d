package client

import (
	"net/http"
	"testing"

	"github.com/agilicus/terraform-provider-agilicus/internal/mockapi"
)

func TestOrgEndpoints(t *testing.T) {
	c, srv := newMockClient(t)
	ctx := t.Context()
	a, err := c.CreateBillingAccount(ctx, BillingAccountSpec{CustomerID: "cus_a"})
	if err != nil {
		t.Fatal(err)
	}
	b, err := c.CreateBillingAccount(ctx, BillingAccountSpec{CustomerID: "cus_b"})
	if err != nil {
		t.Fatal(err)
	}
	org := srv.CreateOrg(mockapi.Organisation{Organisation: "Org One", Subdomain: "one"})

	attached, err := c.AddOrgToBillingAccount(ctx, a.ID(), org.ID)
	if err != nil || attached.ID != org.ID || attached.BillingAccountID != a.ID() || attached.Organisation != "Org One" {
		t.Fatalf("attach: %+v, %v", attached, err)
	}
	orgs, err := c.ListBillingAccountOrgs(ctx, a.ID(), 0)
	if err != nil || orgs.Limit != 500 || len(orgs.Orgs) != 1 || orgs.Orgs[0].ID != org.ID {
		t.Fatalf("list orgs: %+v, %v", orgs, err)
	}
	byOrg, err := c.ListBillingAccounts(ctx, ListBillingAccountsParams{OrgID: org.ID})
	if err != nil || len(byOrg.BillingAccounts) != 1 || byOrg.BillingAccounts[0].ID() != a.ID() {
		t.Fatalf("list accounts by org: %+v, %v", byOrg, err)
	}
	if _, err := c.GetBillingAccount(ctx, b.ID(), GetBillingAccountParams{OrgID: org.ID}); !IsNotFound(err) {
		t.Fatalf("get scoped to an org that is not attached: want 404, got %v", err)
	}

	_, err = c.AddOrgToBillingAccount(ctx, "missing", org.ID)
	mustStatus(t, err, http.StatusNotFound)
	_, err = c.AddOrgToBillingAccount(ctx, a.ID(), "missing-org")
	mustStatus(t, err, http.StatusNotFound)
	_, err = c.ListBillingAccountOrgs(ctx, "missing", 0)
	mustStatus(t, err, http.StatusNotFound)

	// Attaching to b moves the org; detaching it from a is then a 404 and
	// leaves it on b.
	if _, err := c.AddOrgToBillingAccount(ctx, b.ID(), org.ID); err != nil {
		t.Fatal(err)
	}
	mustStatus(t, c.RemoveOrgFromBillingAccount(ctx, a.ID(), org.ID), http.StatusNotFound)
	if o, _ := srv.Org(org.ID); o.BillingAccountID != b.ID() {
		t.Fatalf("org ended on %q, want %q", o.BillingAccountID, b.ID())
	}
	if err := c.RemoveOrgFromBillingAccount(ctx, b.ID(), org.ID); err != nil {
		t.Fatal(err)
	}
	orgs, err = c.ListBillingAccountOrgs(ctx, b.ID(), 1)
	if err != nil || orgs.Limit != 1 || len(orgs.Orgs) != 0 {
		t.Fatalf("list after detach: %+v, %v", orgs, err)
	}
}
