package mockapi

import (
	"fmt"
	"net/http"
)

// Error is an error of the mock's Go API. Its values are constants, so they
// can be compared with errors.Is.
type Error string

// Error returns the message.
func (e Error) Error() string { return string(e) }

// Errors returned (wrapped, with the id) by AttachOrg.
const (
	ErrAccountNotFound Error = "mockapi: billing account not found"
	ErrOrgNotFound     Error = "mockapi: org not found"
)

func (s *Server) listAccountOrgs(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("billing_account_id")
	limit, err := parseLimit(r.URL.Query())
	if err != nil {
		writeBadQuery(w, err)
		return
	}
	s.respond(w, func() reply {
		if _, ok := s.store.accounts[id]; !ok {
			return accountNotFound(id)
		}
		out := []Organisation{}
		for _, o := range limited(s.store.attachedOrgs(id), limit) {
			out = append(out, o.org)
		}
		return reply{http.StatusOK, ListOrgsResponse{Limit: limit, Orgs: out}}
	})
}

func (s *Server) addOrgToAccount(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("billing_account_id")
	in, err := decodeBillingOrg(r, s.Behaviour())
	if err != nil {
		writeBadBody(w, err)
		return
	}
	s.respond(w, func() reply {
		if _, ok := s.store.accounts[id]; !ok {
			return accountNotFound(id)
		}
		if in.OrgID == "" {
			return errorReply(http.StatusNotFound, CodeOrgNotFound, "org_id is required: no org to attach")
		}
		o, ok := s.store.orgs[in.OrgID]
		if !ok {
			return orgNotFound(in.OrgID)
		}
		s.attachTree(o, id, in.Cascade)
		return reply{http.StatusOK, o.org}
	})
}

// decodeBillingOrg reads the body of an attach. Generation 1.125.2 does not
// know cascade: there it is an undeclared key, neither checked nor obeyed.
func decodeBillingOrg(r *http.Request, b Behaviour) (BillingOrg, error) {
	var in BillingOrg
	if b.later() {
		err := decodeObject(r, &in, false)
		return in, err
	}
	var old struct {
		OrgID string `json:"org_id"`
	}
	err := decodeObject(r, &old, false)
	in.OrgID = old.OrgID
	return in, err
}

func (s *Server) removeOrgFromAccount(w http.ResponseWriter, r *http.Request) {
	id, orgID := r.PathValue("billing_account_id"), r.PathValue("org_id")
	anyAccount := s.Behaviour().DetachAnyAccount
	s.respond(w, func() reply {
		if _, ok := s.store.accounts[id]; !ok {
			return accountNotFound(id)
		}
		if anyAccount {
			if !s.detachAnywhere(orgID) {
				return errorReply(http.StatusNotFound, CodeOrgNotAttached,
					"org %s is not attached to any billing account", orgID)
			}
			return reply{status: http.StatusNoContent}
		}
		if !s.detach(id, orgID) {
			return errorReply(http.StatusNotFound, CodeOrgNotAttached,
				"org %s is not attached to billing account %s", orgID, id)
		}
		return reply{status: http.StatusNoContent}
	})
}

// orgAttachedTo reports whether the org is attached to the account.
func (s *Server) orgAttachedTo(orgID, accountID string) bool {
	o, ok := s.store.orgs[orgID]
	return ok && o.org.BillingAccountID == accountID
}

// attach puts the org on the account, taking it off any other account: an
// org has at most one billing account. Attaching it where it already is
// changes nothing, so the org keeps its place in the account's list.
func (s *Server) attach(o *orgRecord, accountID string) {
	if o.org.BillingAccountID != accountID {
		s.setAttachment(o, accountID)
	}
}

// detach takes the org off the account. It reports false, changing nothing,
// when the org is not attached to that account, so a stale detach can never
// take the org off the account it has since moved to.
func (s *Server) detach(accountID, orgID string) bool {
	if !s.orgAttachedTo(orgID, accountID) {
		return false
	}
	s.setAttachment(s.store.orgs[orgID], "")
	return true
}

// detachAnywhere takes the org off whichever account holds it, as detaches
// do under Behaviour.DetachAnyAccount. It reports false when the org is
// unknown or attached nowhere.
func (s *Server) detachAnywhere(orgID string) bool {
	o, ok := s.store.orgs[orgID]
	if !ok || o.org.BillingAccountID == "" {
		return false
	}
	s.setAttachment(o, "")
	return true
}

// setAttachment records the org's billing account ("" for none). The org
// record changes, so its updated time moves; the accounts' do not, as an
// account's spec is unaffected.
func (s *Server) setAttachment(o *orgRecord, accountID string) {
	o.org.BillingAccountID = accountID
	o.org.Updated = s.stamp()
	o.attachSeq = 0
	if accountID != "" {
		s.store.attachSeq++
		o.attachSeq = s.store.attachSeq
	}
}

// AttachOrg attaches an org to an account as POST .../orgs would. The
// error wraps ErrAccountNotFound or ErrOrgNotFound.
func (s *Server) AttachOrg(accountID, orgID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.store.accounts[accountID]; !ok {
		return fmt.Errorf("%w: %s", ErrAccountNotFound, accountID)
	}
	o, ok := s.store.orgs[orgID]
	if !ok {
		return fmt.Errorf("%w: %s", ErrOrgNotFound, orgID)
	}
	s.attach(o, accountID)
	return nil
}

// DetachOrg detaches an org from an account as DELETE .../orgs/{org_id}
// does by default. It reports whether the org was attached to that account.
// It always keeps to that account, whatever Behaviour.DetachAnyAccount says,
// so tests can rely on it to simulate a precise change.
func (s *Server) DetachOrg(accountID, orgID string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.detach(accountID, orgID)
}
