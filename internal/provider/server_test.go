package provider

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/agilicus/terraform-provider-agilicus/internal/mockapi"
	"github.com/hashicorp/terraform-exec/tfexec"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// heapGrowth serves n validation requests whose contexts each carry a
// 16 KiB value and returns the heap that stays behind afterwards.
func heapGrowth(t *testing.T, srv tfprotov6.ProviderServer, n int) int64 {
	t.Helper()
	ctx := context.Background()
	schema, err := srv.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	typ := schema.ResourceSchemas["agilicus_billing_account"].ValueType()
	attrs := map[string]tftypes.Value{}
	for name, at := range typ.(tftypes.Object).AttributeTypes { //nolint:forcetypeassert // a resource schema is an object
		attrs[name] = tftypes.NewValue(at, nil)
	}
	config, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, attrs))
	if err != nil {
		t.Fatal(err)
	}
	type payloadKey struct{}
	heap := func() int64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return int64(m.HeapAlloc)
	}
	before := heap()
	for range n {
		reqCtx, cancel := context.WithCancel(context.WithValue(ctx, payloadKey{}, make([]byte, 16<<10)))
		resp, err := srv.ValidateResourceConfig(reqCtx, &tfprotov6.ValidateResourceConfigRequest{
			TypeName: "agilicus_billing_account", Config: &config,
		})
		cancel() // as gRPC does when a request has been answered
		if err != nil || len(resp.Diagnostics) != 0 {
			t.Fatalf("validation: %v %v", err, resp.Diagnostics)
		}
	}
	grown := heap() - before
	runtime.KeepAlive(srv) // the server must outlive the measurement
	return grown
}

// The framework alone keeps each request's context; the served provider
// does not.
func TestServerReleasesRequestContexts(t *testing.T) {
	const n = 500
	plain := heapGrowth(t, providerserver.NewProtocol6(New("test")())(), n)
	released := heapGrowth(t, NewProtocol6Server("test")(), n)
	t.Logf("heap kept after %d requests: %d KiB by the framework alone, %d KiB by the served provider", n, plain>>10, released>>10)
	// Each request carries 16 KiB; the framework alone keeps nearly all of
	// it. Half is the bar, so that garbage-collector noise around the exact
	// figure cannot fail the check.
	if plain < n*8<<10 {
		t.Fatalf("the framework alone kept only %d KiB: this test no longer shows the problem it guards against", plain>>10)
	}
	if released > n*1<<10 {
		t.Fatalf("the served provider kept %d KiB after %d requests, want under 1 KiB each", released>>10, n)
	}
}

func TestReleasableContext(t *testing.T) {
	type key struct{}
	parent, cancel := context.WithCancel(context.WithValue(context.Background(), key{}, "v"))
	rc := &releasableContext{parent: parent}
	child, cancelChild := context.WithCancel(rc)
	defer cancelChild()
	if rc.Value(key{}) != "v" || child.Value(key{}) != "v" {
		t.Fatal("values of the parent are not visible")
	}
	cancel()
	<-child.Done() // cancellation of the parent reaches derived contexts
	if !errors.Is(child.Err(), context.Canceled) {
		t.Fatalf("child error %v", child.Err())
	}
	rc.release()
	if rc.Value(key{}) != nil || rc.Err() == nil {
		t.Fatal("a released context still holds its parent")
	}
	select {
	case <-rc.Done():
	default:
		t.Fatal("a released context is not done")
	}
}

// Ctrl-C in the middle of an apply against a slow API (it acts at once and
// answers after 400 ms): Terraform stops gracefully, every account and
// attachment the API made is in the state, and the next apply finishes the
// work without an error, leaving an empty plan. The interrupt comes once
// the API holds some of the accounts (among the creates), and once it holds
// some of the attachments (among the attaches, which follow the accounts).
func TestAccProvider_interruptedApplyConvergesOnNextApply(t *testing.T) {
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

// Terraform stops the provider while creates, attaches and a usage record
// are on the wire to an API that acts at once and answers late: every one
// of them still reports what the API did, so everything the API holds
// reaches the state, and nothing is sent twice. A create asked for after
// the stop is not sent at all.
func TestServerStopKeepsEveryChangeSentInState(t *testing.T) {
	api := newTestAPI(t)
	holder := api.createAccount(t, "cus_holder")
	// One organisation attached beforehand, so that today's API always has
	// usage to record, whichever attach it sees first.
	if err := api.AttachOrg(holder, api.CreateOrg(mockapi.Organisation{Organisation: "Billed"}).ID); err != nil {
		t.Fatal(err)
	}
	var orgIDs []string
	for i := range 5 {
		orgIDs = append(orgIDs, api.CreateOrg(mockapi.Organisation{Organisation: fmt.Sprintf("Stop Org %d", i)}).ID)
	}
	h := newProtoHarness(t, api)
	api.ResetStats()
	api.SetFaults(mockapi.Faults{AnswerLatency: 500 * time.Millisecond})

	stopCtx, stop := context.WithCancel(t.Context())
	const creates = 8
	var mu sync.Mutex
	var results []applied
	var wg sync.WaitGroup
	run := func(typeName string, attrs map[string]tftypes.Value) {
		wg.Go(func() {
			r := h.create(t, stopCtx, typeName, attrs)
			mu.Lock()
			results = append(results, r)
			mu.Unlock()
		})
	}
	for i := range creates {
		run("agilicus_billing_account", map[string]tftypes.Value{
			"customer_id": tftypes.NewValue(tftypes.String, fmt.Sprintf("cus_stop_%d", i)),
		})
	}
	for _, org := range orgIDs {
		run("agilicus_billing_org_attachment", map[string]tftypes.Value{
			"billing_account_id": tftypes.NewValue(tftypes.String, holder),
			"org_id":             tftypes.NewValue(tftypes.String, org),
		})
	}
	run("agilicus_billing_usage_record", map[string]tftypes.Value{
		"billing_account_id": tftypes.NewValue(tftypes.String, holder),
	})

	// Stop once every change has reached the API, before any answer has.
	sent := func() int {
		r := api.Stats().Routes
		return r["POST /v1/billing_accounts"] + r["POST /v1/billing_accounts/{billing_account_id}/orgs"] +
			r["POST /v1/billing_accounts/{billing_account_id}/usage_records"]
	}
	for deadline := time.Now().Add(10 * time.Second); sent() < creates+len(orgIDs)+1; {
		if time.Now().After(deadline) {
			t.Fatalf("only %d of %d changes reached the API", sent(), creates+len(orgIDs)+1)
		}
		time.Sleep(5 * time.Millisecond)
	}
	stop()
	wg.Wait()

	// A change asked for after the stop is not sent.
	late := h.create(t, stopCtx, "agilicus_billing_account", map[string]tftypes.Value{
		"customer_id": tftypes.NewValue(tftypes.String, "cus_after_stop"),
	})
	if late.state != nil || firstError(late.diags) == "" {
		t.Errorf("a create after the stop succeeded: %v", late.state)
	}

	inState := map[string]bool{}
	for _, r := range results {
		if msg := firstError(r.diags); msg != "" || r.state == nil {
			t.Errorf("%s: the stop lost the result of a change already sent: %s", r.typeName, msg)
			continue
		}
		inState[r.typeName+" "+r.stateString("id")] = true
	}
	for _, a := range api.Accounts() {
		if a.Metadata.ID != holder && !inState["agilicus_billing_account "+a.Metadata.ID] {
			t.Errorf("account %s (%s) is on the API but in no state", a.Metadata.ID, *a.Spec.CustomerID)
		}
	}
	if n := len(api.Accounts()); n != creates+1 {
		t.Errorf("the API holds %d accounts, want %d: nothing doubled, nothing sent after the stop", n, creates+1)
	}
	for _, org := range orgIDs {
		if !inState["agilicus_billing_org_attachment "+holder+"/"+org] {
			t.Errorf("attachment of %s is on the API but in no state", org)
		}
		if o, _ := api.Org(org); o.BillingAccountID != holder {
			t.Errorf("org %s is attached to %q, want %q", org, o.BillingAccountID, holder)
		}
	}
	recorded := slices.ContainsFunc(results, func(r applied) bool {
		return r.typeName == "agilicus_billing_usage_record" && r.state != nil
	})
	if n := len(api.UsageRecords(holder)); n != 1 || !recorded {
		t.Errorf("the API holds %d usage records, the state %v; want one in both", n, recorded)
	}
	if n := api.Stats().Routes["POST /v1/billing_accounts"]; n != creates {
		t.Errorf("%d creates reached the API, want %d", n, creates)
	}
}

func interruptApply(t *testing.T, when func(api *testAPI) bool) {
	const n = 60
	api := newTestAPI(t)
	t.Setenv(EnvHost, api.URL)
	t.Setenv(EnvAccessToken, testToken)
	d := newFleetDir(t, api, n, "Team")
	api.SetFaults(mockapi.Faults{AnswerLatency: 400 * time.Millisecond})

	out, err := d.applyInterrupted(func() bool { return when(api) })
	if err == nil {
		t.Fatalf("the interrupted apply finished before the interrupt; nothing was tested:\n%s", out)
	}
	accountsInState, attachmentsInState := d.stateCounts()
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
	d.apply(tfexec.Parallelism(10))
	if len(api.Accounts()) != n || attachedOrgs(api) != n {
		t.Fatalf("after the next apply the API holds %d accounts and %d attachments, want %d each",
			len(api.Accounts()), attachedOrgs(api), n)
	}
	d.mustPlanNothing("after the next apply")
}

func newProtoHarness(t *testing.T, api *testAPI) *protoHarness {
	t.Helper()
	srv := NewProtocol6Server("test")()
	schemas, err := srv.GetProviderSchema(t.Context(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil || diagsHaveError(schemas.Diagnostics) {
		t.Fatalf("GetProviderSchema: %v %v", err, schemas.Diagnostics)
	}
	h := &protoHarness{srv: srv, schemas: schemas.ResourceSchemas}
	cfg := objectValue(t, schemas.Provider, map[string]tftypes.Value{
		"host":         tftypes.NewValue(tftypes.String, api.URL),
		"access_token": tftypes.NewValue(tftypes.String, testToken),
		"max_retries":  tftypes.NewValue(tftypes.Number, 2),
	})
	resp, err := srv.ConfigureProvider(t.Context(), &tfprotov6.ConfigureProviderRequest{Config: cfg})
	if err != nil || diagsHaveError(resp.Diagnostics) {
		t.Fatalf("ConfigureProvider: %v %v", err, resp.Diagnostics)
	}
	return h
}

// firstError is the first error of d, as summary and detail; "" for none.
func firstError(d []*tfprotov6.Diagnostic) string {
	for _, x := range d {
		if x.Severity == tfprotov6.DiagnosticSeverityError {
			return x.Summary + ": " + x.Detail
		}
	}
	return ""
}

// protoHarness drives the provider's protocol server as Terraform does,
// without Terraform: schemas, configure, then plan and apply of single
// resources. Terraform's interrupt is what terraform-plugin-go does on
// StopProvider: it cancels the context of every request in flight.
type protoHarness struct {
	srv     tfprotov6.ProviderServer
	schemas map[string]*tfprotov6.Schema
}

// create plans and applies the creation of one resource, the plan with
// ctx's values but not its cancellation (Terraform plans before it
// applies), the apply with ctx.
func (h *protoHarness) create(t *testing.T, ctx context.Context, typeName string, attrs map[string]tftypes.Value) applied {
	schema := h.schemas[typeName]
	typ := schema.ValueType()
	config := objectValue(t, schema, attrs)
	prior, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, nil))
	if err != nil {
		t.Error(err)
		return applied{typeName: typeName}
	}
	plan, err := h.srv.PlanResourceChange(context.WithoutCancel(ctx), &tfprotov6.PlanResourceChangeRequest{
		TypeName: typeName, PriorState: &prior, ProposedNewState: config, Config: config,
	})
	if err != nil || diagsHaveError(plan.Diagnostics) {
		t.Errorf("plan %s: %v %v", typeName, err, plan.Diagnostics)
		return applied{typeName: typeName}
	}
	resp, err := h.srv.ApplyResourceChange(ctx, &tfprotov6.ApplyResourceChangeRequest{
		TypeName: typeName, PriorState: &prior, PlannedState: plan.PlannedState, Config: config,
		PlannedPrivate: plan.PlannedPrivate, PlannedIdentity: plan.PlannedIdentity,
	})
	if err != nil {
		t.Errorf("apply %s: %v", typeName, err)
		return applied{typeName: typeName}
	}
	out := applied{typeName: typeName, diags: resp.Diagnostics}
	if resp.NewState != nil {
		v, err := resp.NewState.Unmarshal(typ)
		if err != nil {
			t.Errorf("apply %s: new state: %v", typeName, err)
			return out
		}
		if !v.IsNull() {
			_ = v.As(&out.state)
		}
	}
	return out
}

// applied is the outcome of one create.
type applied struct {
	typeName string
	state    map[string]tftypes.Value
	diags    []*tfprotov6.Diagnostic
}

// stateString reads a string attribute of an applied state.
func (a applied) stateString(name string) string {
	var s string
	if v, ok := a.state[name]; ok && v.IsKnown() && !v.IsNull() {
		_ = v.As(&s)
	}
	return s
}
