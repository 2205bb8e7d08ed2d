package mockapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"
)

// stateVersion is the version of the state-file format written by SaveState.
const stateVersion = 1

// stateFile is the saved data: orgs, and accounts with their attachments (in
// attachment order), products and stored usage records. Statistics, fault
// and behaviour settings are not part of it.
type stateFile struct {
	Version  int            `json:"version"`
	Orgs     []Organisation `json:"orgs"`
	Accounts []stateAccount `json:"accounts"`
}

// stateAccount is one account of the state file. Spec is kept raw: it is
// written and read exactly as stored, extra keys included (see splicer).
type stateAccount struct {
	Metadata     MetadataWithID  `json:"metadata"`
	Spec         json.RawMessage `json:"spec"`
	Products     []string        `json:"products,omitempty"`
	OrgIDs       []string        `json:"org_ids,omitempty"`
	UsageRecords []UsageRecord   `json:"usage_records,omitempty"`
}

// SaveState writes all stored data as JSON.
func (s *Server) SaveState(w io.Writer) error {
	data, err := func() ([]byte, error) {
		s.mu.Lock()
		defer s.mu.Unlock()
		sp := &splicer{}
		f := stateFile{Version: stateVersion, Orgs: []Organisation{}, Accounts: []stateAccount{}}
		for _, o := range s.store.sortedOrgs() {
			f.Orgs = append(f.Orgs, o.org)
		}
		for _, a := range s.store.sortedAccounts() {
			sa := stateAccount{
				Metadata:     MetadataWithID{ID: a.id, Created: a.created, Updated: a.updated},
				Spec:         sp.hold(a.spec.encode()),
				Products:     a.products,
				UsageRecords: a.usage,
			}
			for _, o := range s.store.attachedOrgs(a.id) {
				sa.OrgIDs = append(sa.OrgIDs, o.org.ID)
			}
			f.Accounts = append(f.Accounts, sa)
		}
		return sp.encode(f, "  ")
	}()
	if err != nil {
		return fmt.Errorf("mockapi: encoding state: %w", err)
	}
	if _, err := w.Write(data); err != nil {
		return fmt.Errorf("mockapi: writing state: %w", err)
	}
	return nil
}

// LoadState replaces all stored data with the data read from r, in the
// format SaveState writes. Hand-written files may leave out server-set
// fields (timestamps, name_slug, org status); they are filled in as on
// creation. An org's billing_account_id must agree with the org_ids of the
// account that lists it. On error the stored data is left unchanged.
// Statistics, fault and behaviour settings are not touched. Files written
// before specs kept extra keys load as they are.
func (s *Server) LoadState(r io.Reader) error {
	var f stateFile
	if err := json.NewDecoder(r).Decode(&f); err != nil {
		return fmt.Errorf("mockapi: decoding state: %w", err)
	}
	if f.Version != stateVersion {
		return fmt.Errorf("mockapi: unsupported state version %d (want %d)", f.Version, stateVersion)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	previous := s.store
	s.store = newStore()
	if err := s.load(f); err != nil {
		s.store = previous
		return fmt.Errorf("mockapi: invalid state: %w", err)
	}
	return nil
}

// load fills the (empty) store from f.
func (s *Server) load(f stateFile) error {
	st := s.store
	for i, o := range f.Orgs {
		if o.ID == "" {
			return fmt.Errorf("orgs[%d]: id is required", i)
		}
		if _, dup := st.orgs[o.ID]; dup {
			return fmt.Errorf("orgs[%d]: duplicate org id %s", i, o.ID)
		}
		if o.AdminState != "" && statusFor(o.AdminState) == nil {
			return fmt.Errorf("org %s: unknown admin_state %q", o.ID, o.AdminState)
		}
		if other, dup := s.orgBySubdomain(o.Subdomain); dup {
			return fmt.Errorf("org %s: subdomain %q is also used by org %s", o.ID, o.Subdomain, other.org.ID)
		}
		rec := &orgRecord{org: clone(o)}
		rec.org.Created, rec.org.Updated = o.Created.UTC(), o.Updated.UTC()
		st.orgs[o.ID] = rec
		st.lastStamp = latest(st.lastStamp, o.Created, o.Updated)
	}
	for i, sa := range f.Accounts {
		id := sa.Metadata.ID
		if id == "" {
			return fmt.Errorf("accounts[%d]: metadata.id is required", i)
		}
		if _, dup := st.accounts[id]; dup {
			return fmt.Errorf("accounts[%d]: duplicate billing account id %s", i, id)
		}
		var spec BillingAccountSpec
		if len(sa.Spec) > 0 {
			if err := json.Unmarshal(sa.Spec, &spec); err != nil {
				return fmt.Errorf("billing account %s: %w", id, err)
			}
		}
		if other, dup := st.accountByCustomer(deref(spec.CustomerID), id); dup {
			return fmt.Errorf("billing account %s: customer_id is also used by %s", id, other.id)
		}
		for _, orgID := range sa.OrgIDs {
			o, ok := st.orgs[orgID]
			switch {
			case !ok:
				return fmt.Errorf("billing account %s lists org %s, which is not in orgs", id, orgID)
			case o.org.BillingAccountID != id:
				return fmt.Errorf("billing account %s lists org %s, whose billing_account_id is %q", id, orgID, o.org.BillingAccountID)
			case o.attachSeq != 0:
				return fmt.Errorf("billing account %s lists org %s twice", id, orgID)
			}
			st.attachSeq++
			o.attachSeq = st.attachSeq
		}
		st.accounts[id] = &account{
			id:       id,
			created:  sa.Metadata.Created.UTC(),
			updated:  sa.Metadata.Updated.UTC(),
			spec:     spec,
			products: sa.Products,
			usage:    sa.UsageRecords,
		}
		st.lastStamp = latest(st.lastStamp, sa.Metadata.Created, sa.Metadata.Updated)
	}
	var errs []error
	for _, o := range st.sortedOrgs() {
		if o.org.BillingAccountID != "" && o.attachSeq == 0 {
			errs = append(errs, fmt.Errorf("org %s names billing account %q, which does not list it", o.org.ID, o.org.BillingAccountID))
		}
		s.completeOrg(&o.org)
	}
	for _, a := range st.sortedAccounts() {
		if a.created.IsZero() {
			a.created = s.stamp()
		}
		if a.updated.IsZero() {
			a.updated = a.created
		}
	}
	return errors.Join(errs...)
}

func latest(ts ...time.Time) time.Time {
	var out time.Time
	for _, t := range ts {
		if t.After(out) {
			out = t
		}
	}
	return out.UTC()
}
