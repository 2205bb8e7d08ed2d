package client

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/agilicus/terraform-provider-agilicus/internal/mockapi"
)

const mockToken = "client-test-token"

// newMockClient starts a mock Agilicus API and a client for it.
func newMockClient(t *testing.T) (*Client, *mockapi.Server) {
	t.Helper()
	srv := mockapi.New(mockapi.Options{Token: mockToken, Seed: 1})
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	c, err := New(Config{BaseURL: ts.URL, Token: mockToken, UserAgent: "agilicus-client-test/1.0", MaxRetries: 0})
	if err != nil {
		t.Fatal(err)
	}
	return c, srv
}

func mustStatus(t *testing.T, err error, code int) {
	t.Helper()
	var ae *APIError
	if !errors.As(err, &ae) || ae.StatusCode != code {
		t.Fatalf("want HTTP %d, got %v", code, err)
	}
}

func TestAccountEndpoints(t *testing.T) {
	c, srv := newMockClient(t)
	ctx := t.Context()
	devMode := true

	created, err := c.CreateBillingAccount(ctx, BillingAccountSpec{CustomerID: "cus_1", DevMode: &devMode})
	if err != nil {
		t.Fatal(err)
	}
	id := created.ID()
	if id == "" || created.Metadata.Created == "" || created.Spec.CustomerID != "cus_1" || !*created.Spec.DevMode {
		t.Fatalf("create returned %+v", created)
	}
	if _, ok := srv.Account(id); !ok {
		t.Fatalf("account %s not stored", id)
	}

	_, err = c.CreateBillingAccount(ctx, BillingAccountSpec{CustomerID: "cus_1"})
	mustStatus(t, err, http.StatusConflict)
	if !IsConflict(err) {
		t.Fatal("IsConflict is false for a 409")
	}

	got, err := c.GetBillingAccount(ctx, id, GetBillingAccountParams{})
	if err != nil || got.ID() != id || got.Status.Customer != nil || got.Status.Subscriptions != nil {
		t.Fatalf("get: %+v, %v", got, err)
	}
	got, err = c.GetBillingAccount(ctx, id, GetBillingAccountParams{Include: IncludeData{Customer: true, Subscriptions: true}})
	if err != nil || got.Status.Customer == nil || got.Status.Customer.Name == "" || len(got.Status.Subscriptions) != 1 {
		t.Fatalf("get with payment data: %+v, %v", got, err)
	}
	_, err = c.GetBillingAccount(ctx, "missing", GetBillingAccountParams{})
	mustStatus(t, err, http.StatusNotFound)
	if !IsNotFound(err) {
		t.Fatal("IsNotFound is false for a 404")
	}

	replaced, err := c.ReplaceBillingAccount(ctx, id, BillingAccountSpec{CustomerID: "cus_2"})
	if err != nil || replaced.Spec.CustomerID != "cus_2" || replaced.Spec.DevMode != nil ||
		replaced.Metadata.Updated <= created.Metadata.Updated || replaced.Metadata.Created != created.Metadata.Created {
		t.Fatalf("replace: %+v, %v", replaced, err)
	}
	_, err = c.ReplaceBillingAccount(ctx, "missing", BillingAccountSpec{})
	mustStatus(t, err, http.StatusNotFound)
	other, err := c.CreateBillingAccount(ctx, BillingAccountSpec{CustomerID: "cus_3"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.ReplaceBillingAccount(ctx, other.ID(), BillingAccountSpec{CustomerID: "cus_2"})
	mustStatus(t, err, http.StatusConflict)

	list, err := c.ListBillingAccounts(ctx, ListBillingAccountsParams{})
	if err != nil || list.Limit != 500 || len(list.BillingAccounts) != 2 {
		t.Fatalf("list: %+v, %v", list, err)
	}
	list, err = c.ListBillingAccounts(ctx, ListBillingAccountsParams{CustomerID: "cus_3", Limit: 10})
	if err != nil || list.Limit != 10 || len(list.BillingAccounts) != 1 || list.BillingAccounts[0].ID() != other.ID() {
		t.Fatalf("list by customer: %+v, %v", list, err)
	}
	list, err = c.ListBillingAccounts(ctx, ListBillingAccountsParams{Limit: 1, Include: IncludeData{Customer: true}})
	if err != nil || len(list.BillingAccounts) != 1 || list.BillingAccounts[0].Status.Customer == nil {
		t.Fatalf("list with limit and customer data: %+v, %v", list, err)
	}

	if err := c.DeleteBillingAccount(ctx, id); err != nil {
		t.Fatal(err)
	}
	mustStatus(t, c.DeleteBillingAccount(ctx, id), http.StatusNotFound)
	if _, ok := srv.Account(id); ok {
		t.Fatal("deleted account still stored")
	}
}

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

func TestUsageRecordEndpoints(t *testing.T) {
	c, srv := newMockClient(t)
	ctx := t.Context()
	a, err := c.CreateBillingAccount(ctx, BillingAccountSpec{CustomerID: "cus_u"})
	if err != nil {
		t.Fatal(err)
	}
	preview, err := c.AddUsageRecord(ctx, a.ID(), true)
	if err != nil || len(preview.Records) != 1 || preview.Records[0].Quantity == nil || preview.Records[0].Timestamp == nil {
		t.Fatalf("preview: %+v, %v", preview, err)
	}
	if n := len(srv.UsageRecords(a.ID())); n != 0 {
		t.Fatalf("a dry run stored %d records", n)
	}
	rec, err := c.AddUsageRecord(ctx, a.ID(), false)
	if err != nil || len(rec.Records) != 1 || rec.Records[0].Quantity == nil || rec.NothingToRecord {
		t.Fatalf("record: %+v, %v", rec, err)
	}
	if n := len(srv.UsageRecords(a.ID())); n != 1 {
		t.Fatalf("stored %d records, want 1", n)
	}
	list, err := c.ListUsageRecords(ctx, a.ID(), 0)
	if err != nil || list.Limit != 500 || len(list.UsageRecords) != 1 || list.UsageRecords[0].TotalUsage == nil ||
		list.UsageRecords[0].Period == "" || list.UsageRecords[0].ID == "" {
		t.Fatalf("list: %+v, %v", list, err)
	}
	_, err = c.ListUsageRecords(ctx, "missing", 0)
	mustStatus(t, err, http.StatusNotFound)
	_, err = c.AddUsageRecord(ctx, "missing", true)
	mustStatus(t, err, http.StatusNotFound)
}

func TestUnauthorized(t *testing.T) {
	srv := mockapi.New(mockapi.Options{Token: mockToken})
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	c, err := New(Config{BaseURL: ts.URL, Token: "wrong-token"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.ListBillingAccounts(t.Context(), ListBillingAccountsParams{})
	mustStatus(t, err, http.StatusUnauthorized)
	if !hasStatus(err, http.StatusUnauthorized) {
		t.Fatal("a 401 is not reported as such")
	}
	if strings.Contains(err.Error(), "wrong-token") {
		t.Fatalf("the error quotes the token: %v", err)
	}
}

func TestRequestHeaders(t *testing.T) {
	var got http.Header
	c, _ := newScriptedClient(t, 0, func(w http.ResponseWriter, r *http.Request) {
		got = r.Header.Clone()
		jsonBody(201, accountJSON)(w, r)
	})
	if _, err := c.CreateBillingAccount(t.Context(), BillingAccountSpec{CustomerID: "x"}); err != nil {
		t.Fatal(err)
	}
	if got.Get("Authorization") != "Bearer tok" || got.Get("Content-Type") != "application/json" ||
		!strings.HasPrefix(got.Get("User-Agent"), "terraform-provider-agilicus") {
		t.Fatalf("headers: %v", got)
	}
}

func TestBadRequest(t *testing.T) {
	c, _ := newScriptedClient(t, 3, jsonBody(400, `{"error_code":"BAD","error_message":"no"}`))
	_, err := c.AddUsageRecord(t.Context(), "acc1", true)
	if !hasStatus(err, http.StatusBadRequest) {
		t.Fatalf("want a 400, got %v", err)
	}
}

// Only writable fields travel: the spec on create and replace, org_id when
// attaching, dry_run when recording usage.
func TestRequestBodies(t *testing.T) {
	var bodies []string
	c, _ := newScriptedClient(t, 0, func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		bodies = append(bodies, r.Method+" "+string(b))
		jsonBody(200, accountJSON)(w, r)
	})
	ctx := t.Context()
	dev := false
	_, _ = c.CreateBillingAccount(ctx, BillingAccountSpec{CustomerID: "x", DevMode: &dev})
	_, _ = c.ReplaceBillingAccount(ctx, "acc1", BillingAccountSpec{})
	_, _ = c.AddOrgToBillingAccount(ctx, "acc1", "org1")
	_, _ = c.AddUsageRecord(ctx, "acc1", false)
	_ = c.DeleteBillingAccount(ctx, "acc1")
	want := []string{
		`POST {"spec":{"customer_id":"x","dev_mode":false}}`,
		`PUT {"spec":{}}`,
		`POST {"org_id":"org1"}`,
		`POST {"dry_run":false}`,
		`DELETE `,
	}
	if strings.Join(bodies, "\n") != strings.Join(want, "\n") {
		t.Fatalf("bodies:\n%s\nwant:\n%s", strings.Join(bodies, "\n"), strings.Join(want, "\n"))
	}
}
