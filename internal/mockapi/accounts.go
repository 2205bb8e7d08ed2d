package mockapi

import (
	"net/http"
	"net/url"
)

// include selects the payment-backend data added to a rendered account,
// and the generation whose shapes it takes.
type include struct {
	subscriptions bool
	customer      bool
	later         bool
}

func parseInclude(q url.Values) (include, error) {
	var inc include
	var err error
	if inc.subscriptions, err = parseFlag(q, "get_subscription_data"); err != nil {
		return inc, err
	}
	inc.customer, err = parseFlag(q, "get_customer_data")
	return inc, err
}

func (s *Server) listAccounts(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit, err := parseLimit(q)
	if err != nil {
		writeBadQuery(w, err)
		return
	}
	inc, err := parseInclude(q)
	if err != nil {
		writeBadQuery(w, err)
		return
	}
	b := s.Behaviour()
	inc.later = b.later()
	orgID, customerID, cursor := q.Get("org_id"), q.Get("customer_id"), q.Get("page_at_id")
	s.respond(w, func() reply {
		var matched []*account
		for _, a := range s.store.sortedAccounts() {
			if orgID != "" && !s.orgAttachedTo(orgID, a.id) {
				continue
			}
			if customerID != "" && deref(a.spec.CustomerID) != customerID {
				continue
			}
			matched = append(matched, a)
		}
		resp := ListBillingAccountsResponse{Limit: limit, BillingAccounts: []BillingAccount{}}
		if b.later() {
			page, err := s.store.pageAccounts(matched, cursor, pageSize(limit, b.PageSize))
			if err != nil {
				return errorReply(http.StatusBadRequest, CodeInvalidQuery, "%v", err)
			}
			matched = page.accounts
			resp.PageAtID, resp.PreviousID = &page.next, &page.previous
		}
		// A page never exceeds the limit; generation 1.125.2 has no pages,
		// only one answer of up to limit accounts.
		for _, a := range limited(matched, limit) {
			resp.BillingAccounts = append(resp.BillingAccounts, s.render(a, inc))
		}
		return reply{http.StatusOK, resp}
	})
}

// decodeAccount reads a BillingAccount body. Only spec is used, but the
// whole model is decoded so that the server-set blocks a client echoes back
// (as the official CLI does on update) are still type-checked. Generation
// 1.405.8 also type-checks the spec fields it declares.
func decodeAccount(w http.ResponseWriter, r *http.Request, b Behaviour) (BillingAccountSpec, bool) {
	var in BillingAccount
	err := decodeObject(r, &in, true)
	if err == nil && b.later() {
		err = in.Spec.checkLater()
	}
	if err != nil {
		writeBadBody(w, err)
		return BillingAccountSpec{}, false
	}
	return in.Spec, true
}

func (s *Server) createAccount(w http.ResponseWriter, r *http.Request) {
	spec, ok := decodeAccount(w, r, s.Behaviour())
	if !ok {
		return
	}
	s.respond(w, func() reply {
		if rep, conflict := s.customerConflict(spec, ""); conflict {
			return rep
		}
		now := s.stamp()
		a := &account{id: s.newID(), created: now, updated: now, spec: spec}
		s.store.accounts[a.id] = a
		return reply{http.StatusCreated, s.render(a, include{})}
	})
}

func (s *Server) getAccount(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("billing_account_id")
	q := r.URL.Query()
	inc, err := parseInclude(q)
	if err != nil {
		writeBadQuery(w, err)
		return
	}
	inc.later = s.Behaviour().later()
	orgID := q.Get("org_id")
	s.respond(w, func() reply {
		a, ok := s.store.accounts[id]
		if !ok {
			return accountNotFound(id)
		}
		if orgID != "" && !s.orgAttachedTo(orgID, id) {
			return errorReply(http.StatusNotFound, CodeAccountNotFound,
				"billing account %s not found for org %s", id, orgID)
		}
		return reply{http.StatusOK, s.render(a, inc)}
	})
}

func (s *Server) replaceAccount(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("billing_account_id")
	spec, ok := decodeAccount(w, r, s.Behaviour())
	if !ok {
		return
	}
	s.respond(w, func() reply {
		a, ok := s.store.accounts[id]
		if !ok {
			return accountNotFound(id)
		}
		if rep, conflict := s.customerConflict(spec, id); conflict {
			return rep
		}
		a.spec = spec
		a.updated = s.stamp()
		return reply{http.StatusOK, s.render(a, include{})}
	})
}

func (s *Server) deleteAccount(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("billing_account_id")
	s.respond(w, func() reply {
		if !s.removeAccount(id) {
			return accountNotFound(id)
		}
		return reply{status: http.StatusNoContent}
	})
}

func accountNotFound(id string) reply {
	return errorReply(http.StatusNotFound, CodeAccountNotFound, "billing account %s not found", id)
}

// customerConflict answers 409 when another account already uses the
// spec's (non-empty) customer id.
func (s *Server) customerConflict(spec BillingAccountSpec, exceptID string) (reply, bool) {
	cid := deref(spec.CustomerID)
	other, ok := s.store.accountByCustomer(cid, exceptID)
	if !ok {
		return reply{}, false
	}
	return errorReply(http.StatusConflict, CodeCustomerIDInUse,
		"customer_id %q is already used by billing account %s", cid, other.id), true
}

// removeAccount deletes an account, detaching its orgs and dropping its
// usage records. It reports whether the account existed.
func (s *Server) removeAccount(id string) bool {
	if _, ok := s.store.accounts[id]; !ok {
		return false
	}
	for _, o := range s.store.attachedOrgs(id) {
		s.setAttachment(o, "")
	}
	delete(s.store.accounts, id)
	return true
}

// render builds the API view of an account. The result may share memory
// with the store: callers encode it under the lock or clone it.
func (s *Server) render(a *account, inc include) BillingAccount {
	status := BillingAccountStatus{Orgs: []Organisation{}, Products: []BillingProduct{}}
	for _, o := range s.store.attachedOrgs(a.id) {
		status.Orgs = append(status.Orgs, o.org)
	}
	for _, name := range a.products {
		status.Products = append(status.Products, BillingProduct{Name: name})
	}
	cid := deref(a.spec.CustomerID)
	if inc.customer && cid != "" {
		status.Customer = customerFor(cid, deref(a.spec.DevMode), inc.later)
	}
	if inc.subscriptions {
		status.Subscriptions = subscriptionsFor(cid, a.products, inc.later)
	}
	return BillingAccount{
		Metadata: MetadataWithID{ID: a.id, Created: a.created, Updated: a.updated},
		Spec:     a.spec,
		Status:   status,
	}
}

// Account returns the stored account, as GET would without the
// payment-backend flags.
func (s *Server) Account(id string) (BillingAccount, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.store.accounts[id]
	if !ok {
		return BillingAccount{}, false
	}
	return s.render(a, include{}).clone(), true
}

// Accounts returns every stored account, ordered by creation time, then id.
func (s *Server) Accounts() []BillingAccount {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []BillingAccount{}
	for _, a := range s.store.sortedAccounts() {
		out = append(out, s.render(a, include{}).clone())
	}
	return out
}

// clone returns a deep copy of a rendered account, so that callers of the
// Go API never alias the store. The spec is copied directly, as a trip
// through encoding/json would reformat its extra values.
func (a BillingAccount) clone() BillingAccount {
	return BillingAccount{Metadata: a.Metadata, Spec: a.Spec.clone(), Status: clone(a.Status)}
}

// DeleteAccount deletes an account as DELETE would, simulating a deletion
// made outside Terraform. It reports whether the account existed.
func (s *Server) DeleteAccount(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.removeAccount(id)
}

// SetAccountSpec replaces an account's spec, extra keys included, and moves
// its updated time, simulating a change made outside Terraform. Unlike PUT
// it does not check customer ids for conflicts or the types of the fields
// generation 1.405.8 declares, so tests can build any state. It reports
// whether the account exists. It panics if a value in spec.Extra is not
// valid JSON, as no client could read such a spec back.
func (s *Server) SetAccountSpec(id string, spec BillingAccountSpec) bool {
	if err := spec.validate(); err != nil {
		panic("mockapi: SetAccountSpec: " + err.Error())
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.store.accounts[id]
	if !ok {
		return false
	}
	a.spec = spec.clone()
	a.updated = s.stamp()
	return true
}

// SetAccountProducts sets the product names reported in status.products.
// Products are server-reported status, so updated does not move. It reports
// whether the account exists.
func (s *Server) SetAccountProducts(id string, names []string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.store.accounts[id]
	if !ok {
		return false
	}
	a.products = append([]string(nil), names...)
	return true
}
