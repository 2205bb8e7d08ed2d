package provider

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// loseFirstAccountDeleteAnswer lets the first DELETE of an account reach the
// mock, which deletes the account, and then hangs up instead of answering.
// The client's retry of that DELETE then meets an account that is already
// gone (404).
func loseFirstAccountDeleteAnswer(lost *atomic.Int32) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			rest, isAccountPath := strings.CutPrefix(r.URL.Path, "/v1/billing_accounts/")
			isAccountDelete := r.Method == http.MethodDelete && isAccountPath && !strings.Contains(rest, "/")
			if !isAccountDelete || !lost.CompareAndSwap(0, 1) {
				next.ServeHTTP(w, r)
				return
			}
			next.ServeHTTP(httptest.NewRecorder(), r)
			if hj, ok := w.(http.Hijacker); ok {
				if conn, _, err := hj.Hijack(); err == nil {
					_ = conn.Close()
				}
			}
		})
	}
}

// A delete of an account that is already gone succeeds: here the account is
// deleted by the first request, whose answer is lost, and the retry is
// answered 404.
func TestAccBillingAccount_deleteOfGoneAccountSucceeds(t *testing.T) {
	var lost atomic.Int32
	api := newWrappedTestAPI(t, testMockOptions(t), loseFirstAccountDeleteAnswer(&lost))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: accountConfig(api, `customer_id = "cus_gone"`)},
		},
		CheckDestroy: checkMockAccountCount(api, 0),
	})
	if lost.Load() != 1 {
		t.Fatal("no delete answer was lost: the test did not test anything")
	}
	if n := api.Stats().Routes["DELETE /v1/billing_accounts/{billing_account_id}"]; n != 2 {
		t.Fatalf("%d account deletes reached the mock, want 2 (the lost one and the retry answered 404)", n)
	}
}
