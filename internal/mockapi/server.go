package mockapi

import (
	"bytes"
	"context"
	"io"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

// Options configures a Server.
type Options struct {
	// Token is the bearer token every API request must carry
	// ("Authorization: Bearer <Token>"). It must not be empty.
	Token string
	// Seed seeds id generation and fault randomness. Zero picks a seed from
	// the current time.
	Seed int64
	// Now is the server's clock. Nil means time.Now.
	Now func() time.Time
	// Faults is the initial fault injection; the zero value injects nothing.
	Faults Faults
	// APIVersion is the API generation served, APIVersion1125 or
	// APIVersion1405; empty means DefaultAPIVersion. See Behaviour.
	APIVersion string
	// PageSize caps the accounts on one page of the account list in
	// generation 1.405.8; zero means no cap. See Behaviour.
	PageSize int
	// DetachAnyAccount lets a detach through any existing account take an
	// org off the account that holds it. See Behaviour.
	DetachAnyAccount bool
	// TokenLifetime is how long the access tokens the mock's issuer makes
	// live; zero means DefaultTokenLifetime.
	TokenLifetime time.Duration
}

// behaviour returns the Behaviour part of the options.
func (o Options) behaviour() Behaviour {
	return Behaviour{APIVersion: o.APIVersion, PageSize: o.PageSize, DetachAnyAccount: o.DetachAnyAccount}
}

// Server is a stateful, in-memory mock of the Agilicus billing API. It
// implements http.Handler and is safe for concurrent use: every piece of
// state lives in the Server and is guarded by one mutex.
type Server struct {
	token string
	now   func() time.Time
	mux   *http.ServeMux
	// sleep waits out injected latency. Tests replace it to observe the
	// delay without timing anything.
	sleep func(ctx context.Context, d time.Duration)

	mu          sync.Mutex
	store       *store
	stats       Stats
	faults      Faults
	behaviour   Behaviour
	idRand      *rand.Rand
	faultRand   *rand.Rand
	errorToggle uint64
	issuer      *issuer
}

// New returns a Server with no data. It panics if opts.Token is empty, as a
// mock that rejects every request would only hide the misconfiguration, and
// if the behaviour options are invalid (see Behaviour.Validate).
func New(opts Options) *Server {
	if opts.Token == "" {
		panic("mockapi: Options.Token must not be empty")
	}
	if err := opts.behaviour().Validate(); err != nil {
		panic("mockapi: invalid Options: " + err.Error())
	}
	seed := opts.Seed
	if seed == 0 {
		seed = time.Now().UnixNano()
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	s := &Server{
		token:     opts.Token,
		now:       now,
		sleep:     sleepContext,
		store:     newStore(),
		stats:     newStats(),
		faults:    opts.Faults,
		behaviour: opts.behaviour().normalised(),
		idRand:    newRand(seed, 1),
		faultRand: newRand(seed, 2),
		issuer:    newIssuer(opts.TokenLifetime),
	}
	s.mux = http.NewServeMux()
	s.register(s.apiRoutes(), s.api)
	s.register(s.issuerRoutes(), s.issuerRoute)
	s.register(s.hookRoutes(), asIs)
	s.mux.Handle("/_mock/", http.HandlerFunc(notFound))
	s.mux.Handle("/", s.api(func(r *http.Request) string { return r.Method + " (unmatched)" }, http.HandlerFunc(notFound)))
	return s
}

// ServeHTTP serves the API under /v1/ and the test hooks under /_mock/.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mux.ServeHTTP(w, r)
}

// Reset drops all data and statistics. Fault and behaviour settings are
// kept, and the id generator is not rewound, so ids issued before the reset
// are never reused.
func (s *Server) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.store = newStore()
	s.stats = newStats()
	s.issuer = newIssuer(s.issuer.lifetime)
}

// keyFunc names a request for Stats.Routes.
type keyFunc func(*http.Request) string

type route struct {
	method  string
	path    string
	handler http.HandlerFunc
}

// issuerRoutes is the token endpoint, which takes an identity assertion
// instead of a bearer token.
func (s *Server) issuerRoutes() []route {
	return []route{{http.MethodPost, "/token", s.exchangeToken}}
}

func (s *Server) apiRoutes() []route {
	const (
		accounts = "/v1/billing_accounts"
		account  = accounts + "/{billing_account_id}"
	)
	return []route{
		{http.MethodGet, accounts, s.listAccounts},
		{http.MethodPost, accounts, s.createAccount},
		{http.MethodGet, account, s.getAccount},
		{http.MethodPut, account, s.replaceAccount},
		{http.MethodDelete, account, s.deleteAccount},
		{http.MethodGet, account + "/orgs", s.listAccountOrgs},
		{http.MethodPost, account + "/orgs", s.addOrgToAccount},
		{http.MethodDelete, account + "/orgs/{org_id}", s.removeOrgFromAccount},
		{http.MethodGet, account + "/usage_records", s.listUsageRecords},
		{http.MethodPost, account + "/usage_records", s.addUsageRecord},
		{http.MethodGet, "/v1/orgs", s.listOrgs},
		{http.MethodPost, "/v1/orgs", s.createOrg},
		{http.MethodGet, "/v1/orgs/{org_id}", s.getOrg},
		{http.MethodPost, "/v1/authentication_documents", s.createAuthenticationDocument},
		{http.MethodDelete, "/v1/authentication_documents/{document_id}", s.deleteAuthenticationDocument},
		{http.MethodPost, "/v1/api_keys", s.createAPIKey},
	}
}

// register adds routes to the mux, each wrapped by wrap with a function that
// names the request for statistics. Every path also gets a method-less
// pattern so a known path with an unsupported method answers 405 in JSON
// rather than the mux's plain-text default.
func (s *Server) register(routes []route, wrap func(keyFunc, http.Handler) http.Handler) {
	methods := map[string][]string{}
	var paths []string
	for _, rt := range routes {
		pattern := rt.method + " " + rt.path
		s.mux.Handle(pattern, wrap(func(*http.Request) string { return pattern }, rt.handler))
		if _, seen := methods[rt.path]; !seen {
			paths = append(paths, rt.path)
		}
		methods[rt.path] = append(methods[rt.path], rt.method)
	}
	for _, path := range paths {
		allow := methods[path]
		if slices.Contains(allow, http.MethodGet) {
			allow = append(allow, http.MethodHead)
		}
		key := func(r *http.Request) string { return r.Method + " " + path }
		s.mux.Handle(path, wrap(key, methodNotAllowed(strings.Join(allow, ", "))))
	}
}

// api wraps an API handler with what happens to every API request, in this
// order: counting, injected latency, connection resets and 429/503 answers
// (which a gateway in front of the service would produce before any
// authentication), the bearer-token check, and finally the handler, whose
// response may be dropped after the change was committed.
func (s *Server) api(key keyFunc, h http.Handler) http.Handler {
	return s.apiRoute(key, h, false)
}

// issuerRoute is api without the credential check: the token issuer is
// reached with an identity assertion, not with an access token.
func (s *Server) issuerRoute(key keyFunc, h http.Handler) http.Handler {
	return s.apiRoute(key, h, true)
}

func (s *Server) apiRoute(key keyFunc, h http.Handler, open bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		plan := s.admit(key(r), isMutating(r.Method))
		if plan.latency > 0 {
			// Read the body first: only then does the HTTP server watch the
			// connection and cancel the request's context when the client
			// gives up during the delay.
			bufferBody(r)
			s.sleep(r.Context(), plan.latency)
			if r.Context().Err() != nil {
				// The client is gone; like a server whose request timed out
				// at the gateway, act on nothing.
				return
			}
		}
		switch plan.kind {
		case faultReset:
			abortConnection(w)
			return
		case faultTooManyRequests, faultUnavailable:
			writeInjectedError(w, plan)
			return
		}
		if ok, reason := s.authorized(r); !ok && !open {
			s.countUnauthorized()
			writeUnauthorized(w, reason)
			return
		}
		if plan.dropAfterCommit {
			h.ServeHTTP(discardWriter{header: http.Header{}}, r)
			s.countFault(faultDropAfterCommit)
			abortConnection(w)
			return
		}
		if plan.answerLatency > 0 {
			// Act now, answer later: the change is made whether or not the
			// client is still there to hear of it.
			rec := newHeldAnswer()
			h.ServeHTTP(rec, r)
			s.sleep(r.Context(), plan.answerLatency)
			rec.sendTo(w)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// heldAnswer keeps a handler's answer to send it later.
type heldAnswer struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func newHeldAnswer() *heldAnswer { return &heldAnswer{header: http.Header{}, status: http.StatusOK} }

func (h *heldAnswer) Header() http.Header         { return h.header }
func (h *heldAnswer) Write(p []byte) (int, error) { return h.body.Write(p) }
func (h *heldAnswer) WriteHeader(status int)      { h.status = status }

func (h *heldAnswer) sendTo(w http.ResponseWriter) {
	for k, v := range h.header {
		w.Header()[k] = v
	}
	w.WriteHeader(h.status)
	_, _ = w.Write(h.body.Bytes())
}

// bufferBody replaces the request body with an in-memory copy of at most
// maxBodyBytes+1 bytes, so handlers still see an oversized body as such.
func bufferBody(r *http.Request) {
	if r.Body == nil || r.Body == http.NoBody {
		return
	}
	data, _ := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes+1))
	_ = r.Body.Close()
	r.Body = io.NopCloser(bytes.NewReader(data))
}

// asIs serves a hook route without the API's counting, faults and auth.
func asIs(_ keyFunc, h http.Handler) http.Handler { return h }

func isMutating(method string) bool {
	switch method {
	case http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete:
		return true
	}
	return false
}

func sleepContext(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}
