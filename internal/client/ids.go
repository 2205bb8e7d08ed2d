package client

import (
	"fmt"
	"net/url"
	"strings"
	"unicode"
)

// MaxIDLength bounds ids accepted by ValidateID. The API declares no limit;
// this one is far above any id it issues and keeps URLs sane.
const MaxIDLength = 256

// ValidateID checks that id can be used as one path segment of a request.
// Ids are opaque, but none the API issues contains a slash, a percent sign,
// white space or a control character, and "." or ".." would make the URL
// name another resource; rejecting them keeps any input from reaching an
// endpoint other than the one intended.
func ValidateID(id string) error {
	switch {
	case id == "":
		return fmt.Errorf("must not be empty")
	case len(id) > MaxIDLength:
		return fmt.Errorf("must be at most %d characters long", MaxIDLength)
	case id == "." || id == "..":
		return fmt.Errorf("must not be %q", id)
	}
	for _, r := range id {
		switch {
		case r == '/' || r == '\\':
			return fmt.Errorf("must not contain %q", r)
		case r == '%' || r == '?' || r == '#':
			return fmt.Errorf("must not contain %q", r)
		case unicode.IsSpace(r):
			return fmt.Errorf("must not contain white space")
		case unicode.IsControl(r) || !unicode.IsPrint(r):
			return fmt.Errorf("must not contain control or non-printable characters")
		}
	}
	return nil
}

// accountPath joins segments below /v1/billing_accounts into an escaped
// path. Each id is validated first, so a bad id fails before any request is
// made.
func accountPath(segments ...pathSegment) (string, error) {
	var b strings.Builder
	b.WriteString(accountsPath)
	for _, s := range segments {
		if s.id {
			if err := ValidateID(s.value); err != nil {
				return "", &InvalidIDError{Name: s.name, ID: s.value, Reason: err.Error()}
			}
			b.WriteString("/")
			b.WriteString(url.PathEscape(s.value))
			continue
		}
		b.WriteString("/")
		b.WriteString(s.value)
	}
	return b.String(), nil
}

type pathSegment struct {
	name  string
	value string
	id    bool
}

func idSeg(name, value string) pathSegment { return pathSegment{name: name, value: value, id: true} }
func lit(value string) pathSegment         { return pathSegment{value: value} }

// InvalidIDError reports an id rejected before any request was made.
type InvalidIDError struct {
	Name   string
	ID     string
	Reason string
}

func (e *InvalidIDError) Error() string {
	return fmt.Sprintf("invalid %s %q: %s", e.Name, e.ID, e.Reason)
}
