package provider

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/agilicus/terraform-provider-agilicus/internal/mockapi"
)

const usageRecordAddr = "agilicus_billing_usage_record.test"

func usageRecordConfig(api *testAPI, accountID, extra string) string {
	return api.providerConfig(fmt.Sprintf(`
resource "agilicus_billing_usage_record" "test" {
  billing_account_id = %q
%s
}`, accountID, extra))
}

// usageRecordInState checks that the resource's state holds the values of
// the mock's record number i for the account.
func usageRecordInState(api *testAPI, accountID string, i int) apiCheck {
	return func(state *tfjson.State) error {
		r, err := stateResource(state, usageRecordAddr)
		if err != nil {
			return err
		}
		records := api.UsageRecords(accountID)
		if i >= len(records) {
			return fmt.Errorf("the mock holds %d usage records, want record %d", len(records), i)
		}
		q, err := stateInt64(r, "quantity")
		if err != nil {
			return err
		}
		ts, err := stateInt64(r, "timestamp")
		if err != nil {
			return err
		}
		if q != records[i].Quantity || ts != records[i].Timestamp {
			return fmt.Errorf("state has quantity %d timestamp %d, the mock's record %d is %+v", q, ts, i, records[i])
		}
		return nil
	}
}

// stateInt64 reads a whole-number attribute of a resource in the state.
func stateInt64(r *tfjson.StateResource, attr string) (int64, error) {
	switch v := r.AttributeValues[attr].(type) {
	case json.Number:
		return v.Int64()
	case float64:
		if v != float64(int64(v)) {
			return 0, fmt.Errorf("%s.%s is %v, not a whole number", r.Address, attr, v)
		}
		return int64(v), nil
	default:
		return 0, fmt.Errorf("%s.%s is %T, not a number", r.Address, attr, v)
	}
}

// noUsageDeletes checks that nothing tried to delete usage records.
func noUsageDeletes(api *testAPI) error {
	if n := routeCount(api.Stats().Routes, "DELETE"); n != 0 {
		return fmt.Errorf("the mock got %d DELETE requests (%v), want none", n, api.Stats().Routes)
	}
	return nil
}

func TestAccBillingUsageRecord_lifecycle(t *testing.T) {
	clock := newTestClock(time.Date(2026, 11, 5, 12, 0, 0, 0, time.UTC))
	api := newUsageTestAPI(t, clock, nil)
	acc := api.createAccount(t, "cus_metered")
	attachNewOrgs(t, api, acc, 2)
	first := mockapi.UsageRecord{Quantity: 2, Timestamp: clock.seconds()}
	second := mockapi.UsageRecord{Quantity: 3, Timestamp: time.Date(2026, 12, 1, 0, 0, 5, 0, time.UTC).Unix()}

	november := usageRecordConfig(api, acc, `
  triggers = {
    period = "2026-11"
  }`)
	sameID := statecheck.CompareValue(compare.ValuesSame())
	newID := statecheck.CompareValue(compare.ValuesDiffer())
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: november,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(usageRecordAddr, plancheck.ResourceActionCreate),
						plancheck.ExpectUnknownValue(usageRecordAddr, tfjsonpath.New("quantity")),
						plancheck.ExpectUnknownValue(usageRecordAddr, tfjsonpath.New("timestamp")),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(usageRecordAddr, tfjsonpath.New("id")),
					statecheck.ExpectKnownValue(usageRecordAddr, tfjsonpath.New("id"),
						knownvalue.StringRegexp(regexp.MustCompile(`^`+regexp.QuoteMeta(acc)+`/[A-Z2-7]{26}$`))),
					statecheck.ExpectKnownValue(usageRecordAddr, tfjsonpath.New("quantity"), knownvalue.Int64Exact(first.Quantity)),
					statecheck.ExpectKnownValue(usageRecordAddr, tfjsonpath.New("timestamp"), knownvalue.Int64Exact(first.Timestamp)),
					statecheck.ExpectKnownValue(usageRecordAddr, tfjsonpath.New("triggers"),
						knownvalue.MapExact(map[string]knownvalue.Check{"period": knownvalue.StringExact("2026-11")})),
					apiCheck(func(*tfjson.State) error { return wantUsageRecords(api, acc, first) }),
					usageRecordInState(api, acc, 0),
				},
			},
			{
				// Applying again records nothing, even though the account's
				// usage and the clock have moved on since.
				PreConfig: func() {
					clock.set(clock.now().Add(time.Hour))
					attachNewOrgs(t, api, acc, 1)
				},
				Config: november,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(usageRecordAddr, tfjsonpath.New("id")),
					statecheck.ExpectKnownValue(usageRecordAddr, tfjsonpath.New("quantity"), knownvalue.Int64Exact(first.Quantity)),
					statecheck.ExpectKnownValue(usageRecordAddr, tfjsonpath.New("timestamp"), knownvalue.Int64Exact(first.Timestamp)),
					apiCheck(func(*tfjson.State) error { return wantUsageRecords(api, acc, first) }),
				},
			},
			{
				// A timeouts change is the one update in place, and it
				// records nothing either.
				Config: usageRecordConfig(api, acc, `
  triggers = {
    period = "2026-11"
  }
  timeouts {
    create = "10m"
  }`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(usageRecordAddr, plancheck.ResourceActionUpdate),
						// The recorded values stay known in the plan: nothing
						// about them can change.
						plancheck.ExpectKnownValue(usageRecordAddr, tfjsonpath.New("id"), knownvalue.StringRegexp(nonEmpty)),
						plancheck.ExpectKnownValue(usageRecordAddr, tfjsonpath.New("quantity"), knownvalue.Int64Exact(first.Quantity)),
						plancheck.ExpectKnownValue(usageRecordAddr, tfjsonpath.New("timestamp"), knownvalue.Int64Exact(first.Timestamp)),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(usageRecordAddr, tfjsonpath.New("id")),
					newID.AddStateValue(usageRecordAddr, tfjsonpath.New("id")),
					statecheck.ExpectKnownValue(usageRecordAddr, tfjsonpath.New("quantity"), knownvalue.Int64Exact(first.Quantity)),
					statecheck.ExpectKnownValue(usageRecordAddr, tfjsonpath.New("timestamp"), knownvalue.Int64Exact(first.Timestamp)),
					apiCheck(func(*tfjson.State) error { return wantUsageRecords(api, acc, first) }),
				},
			},
			{
				// New triggers replace the resource: one more record, and
				// the first one stays.
				PreConfig: func() { clock.set(time.Unix(second.Timestamp, 0)) },
				Config: usageRecordConfig(api, acc, `
  triggers = {
    period = "2026-12"
  }
  timeouts {
    create = "10m"
  }`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(usageRecordAddr, plancheck.ResourceActionReplace),
						plancheck.ExpectUnknownValue(usageRecordAddr, tfjsonpath.New("quantity")),
						plancheck.ExpectUnknownValue(usageRecordAddr, tfjsonpath.New("timestamp")),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					newID.AddStateValue(usageRecordAddr, tfjsonpath.New("id")),
					statecheck.ExpectKnownValue(usageRecordAddr, tfjsonpath.New("quantity"), knownvalue.Int64Exact(second.Quantity)),
					statecheck.ExpectKnownValue(usageRecordAddr, tfjsonpath.New("timestamp"), knownvalue.Int64Exact(second.Timestamp)),
					apiCheck(func(*tfjson.State) error { return wantUsageRecords(api, acc, first, second) }),
					usageRecordInState(api, acc, 1),
				},
			},
		},
		// Destroy forgets the record; both records remain in the API.
		CheckDestroy: func(*terraform.State) error {
			if err := wantUsageRecords(api, acc, first, second); err != nil {
				return err
			}
			if n := routeCount(api.Stats().Routes, usagePostRoute); n != 2 {
				return fmt.Errorf("the mock got %d usage-record POSTs, want 2", n)
			}
			return noUsageDeletes(api)
		},
	})
}

// Destroying the resource calls no API and warns that the record stays. The
// testing framework does not show warnings, so this drives the provider
// through the plugin protocol as terraform does for a destroy.
func TestBillingUsageRecordResourceDestroyWarns(t *testing.T) {
	api := newTestAPI(t)
	ctx := t.Context()
	server, err := providerserver.NewProtocol6WithError(New("test")())()
	if err != nil {
		t.Fatal(err)
	}
	schemas, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil || diagsHaveError(schemas.Diagnostics) {
		t.Fatalf("GetProviderSchema: %v %v", err, schemas.Diagnostics)
	}
	providerCfg := dynamicValue(t, schemas.Provider.ValueType(), map[string]tftypes.Value{
		"host":         tftypes.NewValue(tftypes.String, api.URL),
		"access_token": tftypes.NewValue(tftypes.String, testToken),
	})
	configured, err := server.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{Config: providerCfg})
	if err != nil || diagsHaveError(configured.Diagnostics) {
		t.Fatalf("ConfigureProvider: %v %v", err, configured.Diagnostics)
	}

	const typeName = "agilicus_billing_usage_record"
	rs, ok := schemas.ResourceSchemas[typeName]
	if !ok {
		t.Fatalf("%s is not a resource of the provider", typeName)
	}
	typ := rs.ValueType()
	prior := dynamicValue(t, typ, map[string]tftypes.Value{
		"id":                 tftypes.NewValue(tftypes.String, "acc1/RECORD"),
		"billing_account_id": tftypes.NewValue(tftypes.String, "acc1"),
		"quantity":           tftypes.NewValue(tftypes.Number, 7),
		"timestamp":          tftypes.NewValue(tftypes.Number, 1790000000),
	})
	null, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, nil))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := server.ApplyResourceChange(ctx, &tfprotov6.ApplyResourceChangeRequest{
		TypeName:     typeName,
		PriorState:   prior,
		PlannedState: &null,
		Config:       &null,
	})
	if err != nil {
		t.Fatal(err)
	}

	var warnings []*tfprotov6.Diagnostic
	for _, d := range resp.Diagnostics {
		switch d.Severity {
		case tfprotov6.DiagnosticSeverityWarning:
			warnings = append(warnings, d)
		default:
			t.Errorf("unexpected diagnostic: %s: %s", d.Summary, d.Detail)
		}
	}
	if len(warnings) != 1 {
		t.Fatalf("got %d warnings, want 1", len(warnings))
	}
	w := warnings[0]
	if w.Summary != "Usage record remains in the billing backend" {
		t.Errorf("warning summary is %q", w.Summary)
	}
	for _, want := range []string{"acc1/RECORD", `billing account "acc1"`, "quantity 7", "timestamp 1790000000", "cannot delete usage records"} {
		if !strings.Contains(w.Detail, want) {
			t.Errorf("warning detail %q does not mention %q", w.Detail, want)
		}
	}
	newState, err := resp.NewState.Unmarshal(typ)
	if err != nil {
		t.Fatal(err)
	}
	if !newState.IsNull() {
		t.Errorf("the resource is still in the state after destroy: %v", newState)
	}
	if st := api.Stats(); st.Total != 0 {
		t.Errorf("destroy sent %d API requests (%v), want none", st.Total, st.Routes)
	}
}

// dynamicValue encodes an object of type typ whose attributes are set, or
// null when set leaves them out.
func dynamicValue(t *testing.T, typ tftypes.Type, set map[string]tftypes.Value) *tfprotov6.DynamicValue {
	t.Helper()
	obj, ok := typ.(tftypes.Object)
	if !ok {
		t.Fatalf("%s is not an object type", typ)
	}
	vals := map[string]tftypes.Value{}
	for name, at := range obj.AttributeTypes {
		vals[name] = tftypes.NewValue(at, nil)
		if v, ok := set[name]; ok {
			vals[name] = v
		}
	}
	dv, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, vals))
	if err != nil {
		t.Fatal(err)
	}
	return &dv
}

func TestAccBillingUsageRecord_missingAccount(t *testing.T) {
	api := newTestAPI(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      usageRecordConfig(api, "no-such-account", ``),
			ExpectError: errorText(`No billing account with id "no-such-account" exists, so no usage was recorded.`),
		}},
	})
	if n := routeCount(api.Stats().Routes, usagePostRoute); n != 1 {
		t.Errorf("the mock got %d usage-record POSTs, want 1", n)
	}
}

// The records of an account deleted outside Terraform are gone with it: a
// refresh drops the resource, and the next apply fails instead of
// pretending the usage is still recorded.
func TestAccBillingUsageRecord_accountDeletedOutOfBand(t *testing.T) {
	clock := newTestClock(time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC))
	api := newUsageTestAPI(t, clock, nil)
	acc := api.createAccount(t, "cus_vanishing")
	attachNewOrgs(t, api, acc, 1)
	config := usageRecordConfig(api, acc, ``)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					apiCheck(func(*tfjson.State) error {
						return wantUsageRecords(api, acc, mockapi.UsageRecord{Quantity: 1, Timestamp: clock.seconds()})
					}),
				},
			},
			{
				PreConfig: func() {
					if !api.DeleteAccount(acc) {
						t.Fatalf("account %s was not in the mock", acc)
					}
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(usageRecordAddr, plancheck.ResourceActionCreate)},
				},
				ExpectError: errorText(fmt.Sprintf(`No billing account with id %q exists, so no usage was recorded.`, acc)),
			},
		},
	})
}

// A request whose answer is lost may have been recorded; the provider says
// so and does not send it again.
func TestAccBillingUsageRecord_outcomeUnknown(t *testing.T) {
	clock := newTestClock(time.Date(2026, 2, 14, 16, 0, 0, 0, time.UTC))
	api := newUsageTestAPI(t, clock, nil)
	acc := api.createAccount(t, "cus_flaky")
	attachNewOrgs(t, api, acc, 4)
	stored := mockapi.UsageRecord{Quantity: 4, Timestamp: clock.seconds()}
	api.SetFaults(mockapi.Faults{DropAfterCommitRate: 1})

	wantErr := regexp.MustCompile(errorText(`Usage may or may not have been recorded`).String() + `[\s\S]*` +
		errorText(fmt.Sprintf(`The request to record usage for billing account %q failed after it was sent`, acc)).String() + `[\s\S]*` +
		errorText(`The provider did not send it again`).String())
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      usageRecordConfig(api, acc, ``),
				ExpectError: wantErr,
			},
			{
				// The check the error suggests: the record was stored
				// exactly once, and the list shows it.
				PreConfig: func() {
					api.SetFaults(mockapi.Faults{})
					st := api.Stats()
					if n := routeCount(st.Routes, usagePostRoute); n != 1 {
						t.Fatalf("the mock got %d usage-record POSTs, want exactly 1", n)
					}
					if st.Faults.DropAfterCommit != 1 {
						t.Fatalf("the mock dropped %d answers, want 1", st.Faults.DropAfterCommit)
					}
					if err := wantUsageRecords(api, acc, stored); err != nil {
						t.Fatal(err)
					}
				},
				Config: usageRecordsConfig(api, acc, ``),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(usageRecordsAddr, tfjsonpath.New("usage_records"), knownvalue.ListExact([]knownvalue.Check{
						knownvalue.ObjectPartial(map[string]knownvalue.Check{
							"period":      knownvalue.StringExact("2026-02"),
							"total_usage": knownvalue.Int64Exact(stored.Quantity),
						}),
					})),
					apiCheck(func(*tfjson.State) error { return wantUsageRecords(api, acc, stored) }),
				},
			},
		},
	})
}

func TestAccBillingUsageRecord_importRefused(t *testing.T) {
	api := newTestAPI(t)
	acc := api.createAccount(t, "cus_import")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:        usageRecordConfig(api, acc, ``),
			ResourceName:  usageRecordAddr,
			ImportState:   true,
			ImportStateId: acc,
			ExpectError:   errorText(`Usage records cannot be imported`),
		}},
	})
	if n := routeCount(api.Stats().Routes, usagePostRoute); n != 0 {
		t.Errorf("import sent %d usage-record POSTs, want none", n)
	}
}

func TestAccBillingUsageRecord_invalidConfig(t *testing.T) {
	cases := []invalidConfigCase{
		{
			name:    "usage records limit 0",
			config:  usageRecordsLimitConfig(0),
			wantErr: regexp.MustCompile(`Attribute limit value must be between 1 and 500, got: 0`),
		},
		{
			name:    "usage records limit -1",
			config:  usageRecordsLimitConfig(-1),
			wantErr: regexp.MustCompile(`Attribute limit value must be between 1 and 500, got: -1`),
		},
		{
			name:    "usage records limit 501",
			config:  usageRecordsLimitConfig(501),
			wantErr: regexp.MustCompile(`Attribute limit value must be between 1 and 500, got: 501`),
		},
		{
			name:    "usage record without account",
			config:  `resource "agilicus_billing_usage_record" "x" {}`,
			wantErr: errorText(`The argument "billing_account_id" is required`),
		},
		{
			name: "usage record triggers of the wrong type",
			config: `
resource "agilicus_billing_usage_record" "x" {
  billing_account_id = "acc"
  triggers           = ["a"]
}`,
			wantErr: errorText(`Inappropriate value for attribute "triggers"`),
		},
	}
	// Each bad id, in HCL, with the end of the message it must produce.
	badIDs := []struct{ name, hcl, msg string }{
		{"empty", `""`, `billing_account_id "" must not be empty.`},
		{"slash", `"/"`, `billing_account_id "/" must not contain '/'.`},
		{"dot dot", `".."`, `billing_account_id ".." must not be "..".`},
		{"percent", `"%"`, `billing_account_id "%" must not contain '%'.`},
		{"space", `" "`, `billing_account_id " " must not contain white space.`},
		{"control char", `"a\u0001b"`, `billing_account_id "a\x01b" must not contain control or non-printable characters.`},
	}
	kinds := []struct{ name, block string }{
		{"usage records", `data "agilicus_billing_usage_records" "x"`},
		{"usage record preview", `data "agilicus_billing_usage_record_preview" "x"`},
		{"usage record", `resource "agilicus_billing_usage_record" "x"`},
	}
	for _, k := range kinds {
		for _, id := range badIDs {
			cases = append(cases, invalidConfigCase{
				name:    fmt.Sprintf("%s id %s", k.name, id.name),
				config:  fmt.Sprintf("%s {\n  billing_account_id = %s\n}", k.block, id.hcl),
				wantErr: errorText(id.msg),
			})
		}
	}
	runInvalidConfigCases(t, cases)
}

// What recording usage reports for an account with nothing to record: the
// older API stores a zero record; the newer one answers 204 and stores
// nothing, which the resource reports as recorded = false, quantity 0 and
// no records, and the preview as would_record = false. Applying again asks
// nothing again.
func TestAccBillingUsageRecord_nothingToRecord(t *testing.T) {
	clock := newTestClock(time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC))
	api := newUsageTestAPI(t, clock, nil)
	acc := api.createAccount(t, "cus_idle") // no organisations: no active resources
	config := previewAndRecordConfig(api, acc)

	var (
		recorded                   = true
		records   knownvalue.Check = knownvalue.ListExact([]knownvalue.Check{usageRecordCheck(0, clock.seconds())})
		timestamp knownvalue.Check = knownvalue.Int64Exact(clock.seconds())
		stored                     = 1
	)
	if newerAPI(t) {
		recorded, records, timestamp, stored = false, knownvalue.ListExact([]knownvalue.Check{}), knownvalue.Null(), 0
	}
	checks := []statecheck.StateCheck{
		statecheck.ExpectKnownValue(usageRecordAddr, tfjsonpath.New("recorded"), knownvalue.Bool(recorded)),
		statecheck.ExpectKnownValue(usageRecordAddr, tfjsonpath.New("quantity"), knownvalue.Int64Exact(0)),
		statecheck.ExpectKnownValue(usageRecordAddr, tfjsonpath.New("timestamp"), timestamp),
		statecheck.ExpectKnownValue(usageRecordAddr, tfjsonpath.New("records"), records),
		statecheck.ExpectKnownValue(usagePreviewAddr, tfjsonpath.New("would_record"), knownvalue.Bool(recorded)),
		statecheck.ExpectKnownValue(usagePreviewAddr, tfjsonpath.New("quantity"), knownvalue.Int64Exact(0)),
		statecheck.ExpectKnownValue(usagePreviewAddr, tfjsonpath.New("timestamp"), timestamp),
		statecheck.ExpectKnownValue(usagePreviewAddr, tfjsonpath.New("records"), records),
		storedUsageRecords(api, acc, stored),
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: config, ConfigStateChecks: checks},
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(usageRecordAddr, plancheck.ResourceActionNoop)},
				},
				ConfigStateChecks: []statecheck.StateCheck{storedUsageRecords(api, acc, stored)},
			},
		},
	})
}

// A customer with several subscriptions gets one record per subscription
// from the newer API; the resource and the preview list each record and
// report their sum. The older API makes one record.
func TestAccBillingUsageRecord_severalRecords(t *testing.T) {
	clock := newTestClock(time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC))
	api := newUsageTestAPI(t, clock, nil)
	acc := api.createAccount(t, "cus_two_products")
	attachNewOrgs(t, api, acc, 3)
	if !api.SetAccountProducts(acc, []string{"Zero Trust", "Access"}) {
		t.Fatal("setting products failed")
	}
	config := previewAndRecordConfig(api, acc)

	n := 1
	if newerAPI(t) {
		n = 2 // one subscription per product
	}
	each := make([]knownvalue.Check, n)
	for i := range each {
		each[i] = usageRecordCheck(3, clock.seconds())
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: config,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(usageRecordAddr, tfjsonpath.New("recorded"), knownvalue.Bool(true)),
				statecheck.ExpectKnownValue(usageRecordAddr, tfjsonpath.New("records"), knownvalue.ListExact(each)),
				statecheck.ExpectKnownValue(usageRecordAddr, tfjsonpath.New("quantity"), knownvalue.Int64Exact(int64(3*n))),
				statecheck.ExpectKnownValue(usageRecordAddr, tfjsonpath.New("timestamp"), knownvalue.Int64Exact(clock.seconds())),
				statecheck.ExpectKnownValue(usagePreviewAddr, tfjsonpath.New("would_record"), knownvalue.Bool(true)),
				statecheck.ExpectKnownValue(usagePreviewAddr, tfjsonpath.New("records"), knownvalue.ListExact(each)),
				statecheck.ExpectKnownValue(usagePreviewAddr, tfjsonpath.New("quantity"), knownvalue.Int64Exact(int64(3*n))),
				storedUsageRecords(api, acc, n),
			},
		}},
	})
}

func usageRecordsLimitConfig(limit int) string {
	return fmt.Sprintf(`
data "agilicus_billing_usage_records" "x" {
  billing_account_id = "acc"
  limit              = %d
}`, limit)
}

// usagePreviewAddr is the preview read next to the record in these tests.
const usagePreviewAddr = "data.agilicus_billing_usage_record_preview.test"

// previewAndRecordConfig previews and records the usage of one account.
func previewAndRecordConfig(api *testAPI, accountID string) string {
	return api.providerConfig(fmt.Sprintf(`
data "agilicus_billing_usage_record_preview" "test" {
  billing_account_id = %[1]q
}

resource "agilicus_billing_usage_record" "test" {
  billing_account_id = %[1]q
}`, accountID))
}

func usageRecordCheck(quantity, timestamp int64) knownvalue.Check {
	return knownvalue.ObjectExact(map[string]knownvalue.Check{
		"quantity":  knownvalue.Int64Exact(quantity),
		"timestamp": knownvalue.Int64Exact(timestamp),
	})
}

// storedUsageRecords checks how many usage records the mock stored for the
// account.
func storedUsageRecords(api *testAPI, accountID string, want int) apiCheck {
	return func(*tfjson.State) error {
		if n := len(api.UsageRecords(accountID)); n != want {
			return fmt.Errorf("the mock stored %d usage records for %s, want %d", n, accountID, want)
		}
		return nil
	}
}
