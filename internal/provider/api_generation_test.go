package provider

import (
	"os"
	"testing"

	"github.com/agilicus/terraform-provider-agilicus/internal/mockapi"
)

// envTestAPIVersion selects the API generation the acceptance tests' mock
// serves: mockapi.APIVersion1125 (the default) or mockapi.APIVersion1405.
// `make test` runs the suite once with each.
const envTestAPIVersion = "AGILICUS_TEST_API_VERSION"

// testPageSize is the account-list page size of the newer generation's
// mock: small, so that every listing in the suite crosses page boundaries.
const testPageSize = 2

// testMockOptions are the mock options every acceptance test starts from.
func testMockOptions(t testing.TB) mockapi.Options {
	t.Helper()
	opts := mockapi.Options{Token: testToken, APIVersion: testAPIVersion(t)}
	if opts.APIVersion == mockapi.APIVersion1405 {
		opts.PageSize = testPageSize
	}
	return opts
}

// testAPIVersion is the generation named by envTestAPIVersion.
func testAPIVersion(t testing.TB) string {
	t.Helper()
	switch v := os.Getenv(envTestAPIVersion); v {
	case "", mockapi.APIVersion1125:
		return mockapi.APIVersion1125
	case mockapi.APIVersion1405:
		return v
	default:
		t.Fatalf("%s=%q: want %s or %s", envTestAPIVersion, v, mockapi.APIVersion1125, mockapi.APIVersion1405)
		return ""
	}
}

// newerAPI reports whether the tests run against the newer generation.
func newerAPI(t *testing.T) bool {
	t.Helper()
	return testAPIVersion(t) == mockapi.APIVersion1405
}
