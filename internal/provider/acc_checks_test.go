package provider

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
)

// apiCheck is a state check that compares Terraform's state with what the
// mock API holds, so tests prove the API was changed and not only the state.
type apiCheck func(state *tfjson.State) error

func (c apiCheck) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	if req.State == nil {
		resp.Error = fmt.Errorf("no state")
		return
	}
	resp.Error = c(req.State)
}

// stateResource finds a resource or data source in the state by address.
func stateResource(state *tfjson.State, address string) (*tfjson.StateResource, error) {
	if state.Values == nil || state.Values.RootModule == nil {
		return nil, fmt.Errorf("state has no root module")
	}
	for _, r := range state.Values.RootModule.Resources {
		if r.Address == address {
			return r, nil
		}
	}
	return nil, fmt.Errorf("%s not in state", address)
}

// stateString reads a string attribute of a resource in the state.
func stateString(state *tfjson.State, address, attr string) (string, error) {
	r, err := stateResource(state, address)
	if err != nil {
		return "", err
	}
	v, ok := r.AttributeValues[attr].(string)
	if !ok {
		return "", fmt.Errorf("%s.%s is %T, not a string", address, attr, r.AttributeValues[attr])
	}
	return v, nil
}

// captureString is a state check that stores a string attribute in *dst for
// later steps, e.g. to act on the object out of band.
func captureString(address, attr string, dst *string) apiCheck {
	return func(state *tfjson.State) error {
		v, err := stateString(state, address, attr)
		*dst = v
		return err
	}
}

// routeCount sums the mock's request counts of the routes whose key
// contains substr.
func routeCount(routes map[string]int, substr string) int {
	n := 0
	for k, v := range routes {
		if strings.Contains(k, substr) {
			n += v
		}
	}
	return n
}

// errorText matches an error message literally while allowing terraform to
// wrap it at any space.
func errorText(msg string) *regexp.Regexp {
	parts := strings.Fields(msg)
	for i, p := range parts {
		parts[i] = regexp.QuoteMeta(p)
	}
	return regexp.MustCompile(strings.Join(parts, `\s+`))
}
