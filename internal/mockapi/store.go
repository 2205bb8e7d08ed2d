package mockapi

import (
	"cmp"
	"encoding/json"
	"math/rand/v2"
	"slices"
	"time"
)

// store is the mock's data. It has no lock of its own: every access happens
// with Server.mu held.
type store struct {
	accounts map[string]*account
	orgs     map[string]*orgRecord

	// lastStamp is the newest timestamp handed out; see Server.stamp.
	lastStamp time.Time
	// attachSeq numbers org attachments so an account lists its orgs in the
	// order they were attached.
	attachSeq uint64
}

type account struct {
	id       string
	created  time.Time
	updated  time.Time
	spec     BillingAccountSpec
	products []string
	usage    []UsageRecord
}

// orgRecord is a stored org. org.BillingAccountID is the one place an
// attachment is recorded; attachSeq orders the orgs of one account.
type orgRecord struct {
	org       Organisation
	attachSeq uint64
}

func newStore() *store {
	return &store{accounts: map[string]*account{}, orgs: map[string]*orgRecord{}}
}

// sortedAccounts returns the accounts ordered by creation time, then id.
func (st *store) sortedAccounts() []*account {
	out := make([]*account, 0, len(st.accounts))
	for _, a := range st.accounts {
		out = append(out, a)
	}
	slices.SortFunc(out, compareAccounts)
	return out
}

// compareAccounts orders accounts by creation time, then id: list order.
func compareAccounts(x, y *account) int {
	return cmp.Or(x.created.Compare(y.created), cmp.Compare(x.id, y.id))
}

// sortedOrgs returns all orgs ordered by creation time, then id.
func (st *store) sortedOrgs() []*orgRecord {
	out := make([]*orgRecord, 0, len(st.orgs))
	for _, o := range st.orgs {
		out = append(out, o)
	}
	slices.SortFunc(out, func(x, y *orgRecord) int {
		return cmp.Or(x.org.Created.Compare(y.org.Created), cmp.Compare(x.org.ID, y.org.ID))
	})
	return out
}

// attachedOrgs returns the orgs attached to an account, oldest attachment first.
func (st *store) attachedOrgs(accountID string) []*orgRecord {
	var out []*orgRecord
	for _, o := range st.orgs {
		if o.org.BillingAccountID == accountID {
			out = append(out, o)
		}
	}
	slices.SortFunc(out, func(x, y *orgRecord) int { return cmp.Compare(x.attachSeq, y.attachSeq) })
	return out
}

// accountByCustomer returns an account other than exceptID whose customer id
// is cid, if any. An empty cid never conflicts.
func (st *store) accountByCustomer(cid, exceptID string) (*account, bool) {
	if cid == "" {
		return nil, false
	}
	for _, a := range st.accounts {
		if a.id != exceptID && deref(a.spec.CustomerID) == cid {
			return a, true
		}
	}
	return nil, false
}

// stamp returns the time to record for a change. Stamps are strictly
// increasing: when the clock has not moved past the previous stamp (a coarse
// or fixed test clock), the stamp is the previous one plus a microsecond. This
// makes `updated` move on every change and keeps creation order stable.
// Stamps have microsecond precision, like the database-backed real service.
func (s *Server) stamp() time.Time {
	t := s.now().UTC().Truncate(time.Microsecond)
	if !t.After(s.store.lastStamp) {
		t = s.store.lastStamp.Add(time.Microsecond)
	}
	s.store.lastStamp = t
	return t
}

const idAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// idLength gives ids of about 131 random bits; clients must treat them as
// opaque strings, as the reference says.
const idLength = 22

// newID returns an opaque id used by no account and no org.
func (s *Server) newID() string {
	for {
		b := make([]byte, idLength)
		for i := range b {
			b[i] = idAlphabet[s.idRand.IntN(len(idAlphabet))]
		}
		id := string(b)
		_, isAccount := s.store.accounts[id]
		_, isOrg := s.store.orgs[id]
		if !isAccount && !isOrg {
			return id
		}
	}
}

// newRand returns a generator for one purpose (stream) of the seed, so that
// fault draws never shift the sequence of generated ids. math/rand is
// deliberate: runs must be reproducible from the seed, and nothing the mock
// generates is secret.
func newRand(seed int64, stream uint64) *rand.Rand {
	return rand.New(rand.NewPCG(uint64(seed), stream))
}

// clone returns a deep copy of v. Values handed to callers of the Go API are
// cloned so they can never alias the store.
func clone[T any](v T) T {
	data, err := json.Marshal(v)
	if err != nil {
		panic("mockapi: clone: " + err.Error())
	}
	var out T
	if err := json.Unmarshal(data, &out); err != nil {
		panic("mockapi: clone: " + err.Error())
	}
	return out
}

func deref[T any](p *T) T {
	if p == nil {
		var zero T
		return zero
	}
	return *p
}

func ptr[T any](v T) *T { return &v }
