package mockapi

import (
	"errors"
	"fmt"
)

// API generations the mock can serve, named by the version of the agilicus
// Python SDK that documents them. The billing API changed between the two:
// see the package documentation for what each one does.
const (
	APIVersion1125 = "1.125.2"
	APIVersion1405 = "1.405.8"
	// DefaultAPIVersion is the generation served unless told otherwise.
	DefaultAPIVersion = APIVersion1125
)

// Behaviour selects how the mock answers, as opposed to what it stores. It
// can be set in Options, changed at run time with SetBehaviour or through
// PUT /_mock/behaviour, and survives Reset.
type Behaviour struct {
	// APIVersion is the API generation served: APIVersion1125 or
	// APIVersion1405. Empty means DefaultAPIVersion.
	APIVersion string `json:"api_version"`
	// PageSize caps the number of accounts on one page of
	// GET /v1/billing_accounts in generation 1.405.8, on top of the limit the
	// client asks for; zero means no cap. Generation 1.125.2 does not page.
	PageSize int `json:"page_size"`
	// DetachAnyAccount makes DELETE /v1/billing_accounts/{A}/orgs/{O} detach
	// O from whichever account holds it, as long as account A exists,
	// instead of answering 404 unless O is attached to A.
	DetachAnyAccount bool `json:"detach_any_account"`
}

// Validate reports an error for an unknown API version or a negative page
// size.
func (b Behaviour) Validate() error {
	var errs []error
	switch b.APIVersion {
	case "", APIVersion1125, APIVersion1405:
	default:
		errs = append(errs, fmt.Errorf("api_version must be %s or %s, got %q", APIVersion1125, APIVersion1405, b.APIVersion))
	}
	if b.PageSize < 0 {
		errs = append(errs, fmt.Errorf("page_size must not be negative, got %d", b.PageSize))
	}
	return errors.Join(errs...)
}

// String describes the behaviour in one line, for logs and banners.
func (b Behaviour) String() string {
	b = b.normalised()
	return fmt.Sprintf("api_version=%s page_size=%d detach_any_account=%t", b.APIVersion, b.PageSize, b.DetachAnyAccount)
}

// normalised spells out the default API version, so that what the server
// reports never depends on whether the version was given.
func (b Behaviour) normalised() Behaviour {
	if b.APIVersion == "" {
		b.APIVersion = DefaultAPIVersion
	}
	return b
}

// later reports whether the behaviour serves generation 1.405.8, the one
// that differs from the mock's original behaviour.
func (b Behaviour) later() bool { return b.APIVersion == APIVersion1405 }

// SetBehaviour replaces the behaviour settings. It returns Validate's error,
// changing nothing, for invalid settings. Requests already being served
// finish under the behaviour they started with.
func (s *Server) SetBehaviour(b Behaviour) error {
	if err := b.Validate(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.behaviour = b.normalised()
	return nil
}

// Behaviour returns the current behaviour settings, with the API version
// always spelled out.
func (s *Server) Behaviour() Behaviour {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.behaviour
}
