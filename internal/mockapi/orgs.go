package mockapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"
)

// Org defaults the reference documents.
const (
	defaultTrustOnFirstUse = 86400
	maxSlugLength          = 20
)

func (s *Server) createOrg(w http.ResponseWriter, r *http.Request) {
	data, err := readObject(r, true)
	if err == nil {
		err = validateOrgBody(data)
	}
	var in Organisation
	if err == nil {
		err = json.Unmarshal(data, &in)
	}
	if err != nil {
		writeBadBody(w, err)
		return
	}
	// Read-only and server-reported fields a client sends are ignored; an
	// org joins a billing account only through the billing API.
	in.ID, in.ContactEmail, in.BillingAccountID = "", "", ""
	s.respond(w, func() reply {
		if other, ok := s.orgBySubdomain(in.Subdomain); ok {
			return errorReply(http.StatusConflict, CodeSubdomainInUse,
				"subdomain %q is already used by org %s", in.Subdomain, other.org.ID)
		}
		return reply{http.StatusCreated, s.putOrg(in).org}
	})
}

func (s *Server) getOrg(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("org_id")
	s.respond(w, func() reply {
		o, ok := s.store.orgs[id]
		if !ok {
			return orgNotFound(id)
		}
		return reply{http.StatusOK, o.org}
	})
}

func (s *Server) listOrgs(w http.ResponseWriter, r *http.Request) {
	limit, err := parseLimit(r.URL.Query())
	if err != nil {
		writeBadQuery(w, err)
		return
	}
	s.respond(w, func() reply {
		out := []Organisation{}
		for _, o := range limited(s.store.sortedOrgs(), limit) {
			out = append(out, o.org)
		}
		return reply{http.StatusOK, ListOrgsResponse{Limit: limit, Orgs: out}}
	})
}

func orgNotFound(id string) reply {
	return errorReply(http.StatusNotFound, CodeOrgNotFound, "org %s not found", id)
}

// validateOrgBody checks an Organisation body against the reference's
// constraints. It works on the raw body because FeatureFlag.enabled is
// required, which a decoded bool cannot tell from false.
func validateOrgBody(data []byte) error {
	var in struct {
		Organisation *string `json:"organisation"`
		ExternalID   string  `json:"external_id"`
		Issuer       string  `json:"issuer"`
		Subdomain    string  `json:"subdomain"`
		AdminState   string  `json:"admin_state"`
		TrustOnFirst *int64  `json:"trust_on_first_use_duration"`
		FeatureFlags []struct {
			Feature *string `json:"feature"`
			Enabled *bool   `json:"enabled"`
			Setting string  `json:"setting"`
		} `json:"feature_flags"`
	}
	if err := json.Unmarshal(data, &in); err != nil {
		return err
	}
	var errs []error
	if deref(in.Organisation) == "" {
		errs = append(errs, errors.New("organisation (the org's name) is required"))
	}
	for _, f := range []struct {
		name, v string
		max     int
	}{
		{"organisation", deref(in.Organisation), 100},
		{"external_id", in.ExternalID, 100},
		{"issuer", in.Issuer, 100},
		{"subdomain", in.Subdomain, 100},
	} {
		if utf8.RuneCountInString(f.v) > f.max {
			errs = append(errs, fmt.Errorf("%s is longer than %d characters", f.name, f.max))
		}
	}
	if in.AdminState != "" && statusFor(in.AdminState) == nil {
		errs = append(errs, fmt.Errorf("admin_state must be one of active, suspended, disabled, deleted; got %q", in.AdminState))
	}
	if deref(in.TrustOnFirst) < 0 {
		errs = append(errs, errors.New("trust_on_first_use_duration must not be negative"))
	}
	for i, f := range in.FeatureFlags {
		switch {
		case deref(f.Feature) == "":
			errs = append(errs, fmt.Errorf("feature_flags[%d].feature is required", i))
		case utf8.RuneCountInString(*f.Feature) > 128:
			errs = append(errs, fmt.Errorf("feature_flags[%d].feature is longer than 128 characters", i))
		}
		if f.Enabled == nil {
			errs = append(errs, fmt.Errorf("feature_flags[%d].enabled is required", i))
		}
		if utf8.RuneCountInString(f.Setting) > 4096 {
			errs = append(errs, fmt.Errorf("feature_flags[%d].setting is longer than 4096 characters", i))
		}
	}
	return errors.Join(errs...)
}

// putOrg stores o, creating it or, when an org with o.ID exists, replacing
// it while keeping its creation time and billing attachment. The server sets
// id (when empty), created, updated, name_slug, root_org_id and status, and
// fills the documented defaults.
func (s *Server) putOrg(o Organisation) *orgRecord {
	if o.ID == "" {
		o.ID = s.newID()
	}
	rec, exists := s.store.orgs[o.ID]
	if !exists {
		rec = &orgRecord{}
		s.store.orgs[o.ID] = rec
	}
	now := s.stamp()
	o.Created, o.Updated, o.BillingAccountID = now, now, ""
	if exists {
		o.Created, o.BillingAccountID = rec.org.Created, rec.org.BillingAccountID
	}
	o.NameSlug, o.RootOrgID, o.Status = "", "", nil
	rec.org = o
	s.completeOrg(&rec.org)
	return rec
}

// completeOrg fills the server-set fields and documented defaults that o
// lacks. o must already be in the store, under its id.
func (s *Server) completeOrg(o *Organisation) {
	if o.Created.IsZero() {
		o.Created = s.stamp()
	}
	if o.Updated.IsZero() {
		o.Updated = o.Created
	}
	if o.NameSlug == "" {
		o.NameSlug = s.uniqueSlug(slugify(o.Organisation), o.ID)
	}
	if o.Subdomain == "" {
		// Every organisation of the API has one; derived from the name
		// when none is given, unique as the slug is.
		o.Subdomain = o.NameSlug
	}
	if o.RootOrgID == "" {
		o.RootOrgID = o.ID
		if parent, ok := s.store.orgs[o.ParentID]; ok && parent.org.RootOrgID != "" {
			o.RootOrgID = parent.org.RootOrgID
		} else if o.ParentID != "" {
			o.RootOrgID = o.ParentID
		}
	}
	if o.AdminState == "" {
		o.AdminState = StateActive
	}
	if o.Status == nil {
		o.Status = statusFor(o.AdminState)
	}
	if o.AutoCreate == nil {
		o.AutoCreate = ptr(false)
	}
	if o.TrustOnFirstUseDuration == nil {
		o.TrustOnFirstUseDuration = ptr(int64(defaultTrustOnFirstUse))
	}
}

// statusFor returns the status the mock reports for an admin state, or nil
// for an unknown state. Suspended orgs keep their admin portal and issuer
// (the reference says admin tools still work); disabled and deleted orgs
// have nothing running.
func statusFor(state string) *OrganisationStatus {
	var all, admin, issuer bool
	switch state {
	case StateActive:
		all, admin, issuer = true, true, true
	case StateSuspended:
		admin, issuer = true, true
	case StateDisabled, StateDeleted:
	default:
		return nil
	}
	return &OrganisationStatus{AllUp: &all, AdminUp: &admin, IssuerUp: &issuer, CurrentState: state}
}

// slugify derives an RFC 1035 label of at most maxSlugLength characters
// from an org name.
func slugify(name string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(name) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "-"):
			b.WriteByte('-')
		}
	}
	slug := b.String()
	if slug == "" || slug[0] < 'a' {
		slug = "org-" + slug
	}
	return trimSlug(slug, maxSlugLength)
}

func trimSlug(slug string, n int) string {
	if len(slug) > n {
		slug = slug[:n]
	}
	return strings.TrimRight(slug, "-")
}

// uniqueSlug returns base, or base with a numeric suffix, so that no org
// other than selfID has the slug.
func (s *Server) uniqueSlug(base, selfID string) string {
	taken := map[string]bool{}
	for id, o := range s.store.orgs {
		if id != selfID {
			taken[o.org.NameSlug] = true
		}
	}
	slug := base
	for n := 2; taken[slug]; n++ {
		suffix := fmt.Sprintf("-%d", n)
		slug = trimSlug(base, maxSlugLength-len(suffix)) + suffix
	}
	return slug
}

func (s *Server) orgBySubdomain(subdomain string) (*orgRecord, bool) {
	if subdomain == "" {
		return nil, false
	}
	for _, o := range s.store.orgs {
		if o.org.Subdomain == subdomain {
			return o, true
		}
	}
	return nil, false
}

// CreateOrg stores an org without validation and returns it as stored. The
// server assigns the id when o.ID is empty; when an org with o.ID exists it
// is replaced, keeping its creation time and billing attachment. Like the
// API, it sets created, updated, name_slug, root_org_id and status, fills
// defaults (admin_state active, auto_create false, trust_on_first_use_duration
// 86400) and ignores o.BillingAccountID: use AttachOrg.
func (s *Server) CreateOrg(o Organisation) Organisation {
	s.mu.Lock()
	defer s.mu.Unlock()
	return clone(s.putOrg(clone(o)).org)
}

// Org returns a stored org.
func (s *Server) Org(id string) (Organisation, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.store.orgs[id]
	if !ok {
		return Organisation{}, false
	}
	return clone(o.org), true
}

// Orgs returns every stored org, ordered by creation time, then id.
func (s *Server) Orgs() []Organisation {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []Organisation{}
	for _, o := range s.store.sortedOrgs() {
		out = append(out, o.org)
	}
	return clone(out)
}
