package mockapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
)

// Spec keys every generation declares; they are BillingAccountSpec's typed
// fields.
const (
	specCustomerID = "customer_id"
	specDevMode    = "dev_mode"
)

// laterSpecFields are the spec fields generation 1.405.8 adds, with the JSON
// type each must have. Generation 1.125.2 stores them as undeclared keys,
// without looking at them.
var laterSpecFields = []struct {
	name  string
	check func(json.RawMessage) error
}{
	{"product_id", isKind('"')},
	{"license_constraints", arrayOfObjects},
	{"constraint_variables", isKind('{')},
}

// UnmarshalJSON decodes a spec object, keeping every key other than
// customer_id and dev_mode in Extra with its value exactly as written. A
// null customer_id or dev_mode is the same as an absent one; null for the
// whole spec leaves s unchanged, as encoding/json does for a struct.
func (s *BillingAccountSpec) UnmarshalJSON(data []byte) error {
	if string(bytes.TrimSpace(data)) == "null" {
		return nil
	}
	if err := isKind('{')(data); err != nil {
		return fmt.Errorf("spec must be %w", err)
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(data, &fields); err != nil {
		return fmt.Errorf("spec: %w", err)
	}
	var out BillingAccountSpec
	// Sorted, so that the first bad field reported is always the same one.
	for _, key := range slices.Sorted(maps.Keys(fields)) {
		raw := fields[key]
		var err error
		switch key {
		case specCustomerID:
			err = json.Unmarshal(raw, &out.CustomerID)
		case specDevMode:
			err = json.Unmarshal(raw, &out.DevMode)
		default:
			if out.Extra == nil {
				out.Extra = map[string]json.RawMessage{}
			}
			out.Extra[key] = raw
		}
		if err != nil {
			return fmt.Errorf("spec.%s must be %s, got %s", key, kindOf(key), jsonKind(raw))
		}
	}
	*s = out
	return nil
}

// MarshalJSON encodes the spec with its extra keys. encoding/json compacts
// what this returns; the mock's own answers splice the exact bytes in
// instead (see splicer).
func (s BillingAccountSpec) MarshalJSON() ([]byte, error) {
	return s.encode(), nil
}

// encode writes the spec as a JSON object: customer_id and dev_mode, then
// the extra keys in sorted order, each value exactly as stored.
func (s BillingAccountSpec) encode() []byte {
	dst := []byte{'{'}
	sep := func() {
		if dst[len(dst)-1] != '{' {
			dst = append(dst, ',')
		}
	}
	if s.CustomerID != nil {
		sep()
		dst = append(dst, `"customer_id":`...)
		dst = appendCompact(dst, *s.CustomerID)
	}
	if s.DevMode != nil {
		sep()
		dst = append(dst, `"dev_mode":`...)
		dst = appendCompact(dst, *s.DevMode)
	}
	for _, key := range slices.Sorted(maps.Keys(s.Extra)) {
		if key == specCustomerID || key == specDevMode {
			continue
		}
		sep()
		dst = appendCompact(dst, key)
		dst = append(dst, ':')
		dst = append(dst, s.Extra[key]...)
	}
	return append(dst, '}')
}

// clone returns a deep copy that shares no memory with s. It does not go
// through encoding/json, which would reformat the extra values.
func (s BillingAccountSpec) clone() BillingAccountSpec {
	out := BillingAccountSpec{}
	if s.CustomerID != nil {
		out.CustomerID = ptr(*s.CustomerID)
	}
	if s.DevMode != nil {
		out.DevMode = ptr(*s.DevMode)
	}
	if s.Extra != nil {
		out.Extra = make(map[string]json.RawMessage, len(s.Extra))
		for k, v := range s.Extra {
			out.Extra[k] = bytes.Clone(v)
		}
	}
	return out
}

// validate reports an extra value that is not valid JSON, which a Go caller
// could store but no client could read back.
func (s BillingAccountSpec) validate() error {
	for _, key := range slices.Sorted(maps.Keys(s.Extra)) {
		if !json.Valid(s.Extra[key]) {
			return fmt.Errorf("spec.%s is not valid JSON: %q", key, s.Extra[key])
		}
	}
	return nil
}

// checkLater applies generation 1.405.8's schema to the fields it adds: each
// must have its declared JSON type. A null value is taken as an absent field,
// as for customer_id and dev_mode, and is dropped.
func (s *BillingAccountSpec) checkLater() error {
	var errs []error
	for _, f := range laterSpecFields {
		raw, ok := s.Extra[f.name]
		if !ok {
			continue
		}
		if jsonKind(raw) == "null" {
			delete(s.Extra, f.name)
			continue
		}
		if err := f.check(raw); err != nil {
			errs = append(errs, fmt.Errorf("spec.%s must be %w", f.name, err))
		}
	}
	return errors.Join(errs...)
}

// isKind checks that a JSON value starts with the given character: '"' for
// a string, '{' for an object. The value is already known to be valid JSON,
// so its first character decides its type.
func isKind(first byte) func(json.RawMessage) error {
	return func(raw json.RawMessage) error {
		if v := bytes.TrimSpace(raw); len(v) > 0 && v[0] == first {
			return nil
		}
		return fmt.Errorf("%s, got %s", kindName(first), jsonKind(raw))
	}
}

func arrayOfObjects(raw json.RawMessage) error {
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		return fmt.Errorf("an array of objects, got %s", jsonKind(raw))
	}
	for i, item := range items {
		if err := isKind('{')(item); err != nil {
			return fmt.Errorf("an array of objects, got %s at index %d", jsonKind(item), i)
		}
	}
	return nil
}

// jsonKind names the JSON type of a valid JSON value.
func jsonKind(raw json.RawMessage) string {
	v := bytes.TrimSpace(raw)
	if len(v) == 0 {
		return "nothing"
	}
	switch v[0] {
	case 'n':
		return "null"
	case 't', 'f':
		return "a boolean"
	}
	return kindName(v[0])
}

func kindName(first byte) string {
	switch first {
	case '"':
		return "a string"
	case '{':
		return "an object"
	case '[':
		return "an array"
	}
	return "a number"
}

// kindOf names the type of a typed spec field, for error messages.
func kindOf(key string) string {
	if key == specDevMode {
		return "a boolean"
	}
	return "a string"
}

// parseRawSpec reads a spec given as raw JSON by a Go caller: a JSON object,
// whose customer_id and dev_mode, when present, have their declared types.
func parseRawSpec(raw json.RawMessage) (BillingAccountSpec, error) {
	var spec BillingAccountSpec
	if !json.Valid(raw) {
		return spec, errors.New("spec is not valid JSON")
	}
	if err := isKind('{')(raw); err != nil {
		return spec, fmt.Errorf("spec must be %w", err)
	}
	if err := json.Unmarshal(raw, &spec); err != nil {
		return spec, err
	}
	return spec, nil
}

// SetAccountRawSpec replaces an account's spec with raw, a JSON object kept
// key for key and byte for byte as GET will return it, and moves the
// account's updated time. Like SetAccountSpec it simulates a change made
// outside Terraform: customer ids are not checked for conflicts and the
// fields of generation 1.405.8 are not type-checked, so tests can build any
// state. The error wraps ErrAccountNotFound, or describes why raw is not a
// valid spec.
func (s *Server) SetAccountRawSpec(id string, raw json.RawMessage) error {
	spec, err := parseRawSpec(raw)
	if err != nil {
		return fmt.Errorf("mockapi: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.store.accounts[id]
	if !ok {
		return fmt.Errorf("%w: %s", ErrAccountNotFound, id)
	}
	a.spec = spec
	a.updated = s.stamp()
	return nil
}

// AccountRawSpec returns an account's spec as the API returns it: the
// declared fields, then every extra key in sorted order with its value
// exactly as it was sent.
func (s *Server) AccountRawSpec(id string) (json.RawMessage, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.store.accounts[id]
	if !ok {
		return nil, false
	}
	return a.spec.encode(), true
}
