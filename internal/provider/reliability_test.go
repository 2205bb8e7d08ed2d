package provider

import (
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/agilicus/terraform-provider-agilicus/internal/mockapi"
)

// Retries stop at max_retries, and the error says how many attempts were
// made and what the last answer was.
func TestAccRetriesStopAtTheBound(t *testing.T) {
	api := newTestAPI(t)
	api.SetFaults(mockapi.Faults{ErrorRate: 1})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			// providerConfig sets max_retries = 2: three attempts in all.
			Config:      accountConfig(api, `customer_id = "cus_never"`),
			ExpectError: errorText(`(after 3 attempts)`),
		}},
	})
	st := api.Stats()
	if got := st.Routes["POST /v1/billing_accounts"]; got != 3 {
		t.Fatalf("the API saw %d create attempts, want 3", got)
	}
	if got := st.Faults.TooManyRequests + st.Faults.Unavailable; got != st.Total {
		t.Fatalf("%d of %d requests were faults; every request should have been", got, st.Total)
	}
	if n := len(api.Accounts()); n != 0 {
		t.Fatalf("the API holds %d accounts, want none", n)
	}
}

// The create timeout of the timeouts block bounds the whole operation,
// retries and waits included.
func TestAccCreateTimeoutIsHonoured(t *testing.T) {
	api := newTestAPI(t)
	api.SetFaults(mockapi.Faults{Latency: 30 * time.Second})
	// Set when the step starts: a parallel test first waits for its turn.
	var start time.Time
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			PreConfig: func() { start = time.Now() },
			Config: accountConfig(api, `
  customer_id = "cus_slow"
  timeouts {
    create = "2s"
  }`),
			ExpectError: errorText(`context deadline exceeded`),
		}},
	})
	// Generous bound: the point is that the 30 s latency was not waited out,
	// which the empty mock below proves too (a request waited out is acted on).
	if elapsed := time.Since(start); elapsed > 25*time.Second {
		t.Fatalf("the create took %s despite a 2 s timeout", elapsed)
	}
	if n := len(api.Accounts()); n != 0 {
		t.Fatalf("the API holds %d accounts, want none", n)
	}
	t.Logf("the create stopped after %s", time.Since(start).Round(time.Millisecond))
}
