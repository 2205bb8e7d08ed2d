package mockapi

import "maps"

// Stats counts the API requests the server has received. Every request that
// reached the API counts, including those answered 401 and those hit by an
// injected fault; /_mock/ requests and Go-API calls do not.
type Stats struct {
	// Total is the number of API requests.
	Total int `json:"total"`
	// Routes counts requests per route, keyed by method and route pattern,
	// e.g. "GET /v1/billing_accounts/{billing_account_id}". A request with
	// a method the route does not support is keyed by its own method and
	// the route's path ("PATCH /v1/billing_accounts"); a request matching no
	// route is keyed "<METHOD> (unmatched)". HEAD requests are served and
	// counted by the GET route.
	Routes map[string]int `json:"routes"`
	// Unauthorized is the number of requests answered 401.
	Unauthorized int `json:"unauthorized"`
	// Faults counts injected faults by kind.
	Faults FaultCounts `json:"faults"`
}

// FaultCounts counts injected faults by kind.
type FaultCounts struct {
	TooManyRequests int `json:"429"`
	Unavailable     int `json:"503"`
	Reset           int `json:"reset"`
	DropAfterCommit int `json:"drop_after_commit"`
}

func newStats() Stats { return Stats{Routes: map[string]int{}} }

func (st *Stats) countRequest(key string) {
	st.Total++
	st.Routes[key]++
}

func (st *Stats) countFault(k faultKind) {
	switch k {
	case faultTooManyRequests:
		st.Faults.TooManyRequests++
	case faultUnavailable:
		st.Faults.Unavailable++
	case faultReset:
		st.Faults.Reset++
	case faultDropAfterCommit:
		st.Faults.DropAfterCommit++
	}
}

// Stats returns a copy of the request counters.
func (s *Server) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := s.stats
	out.Routes = maps.Clone(s.stats.Routes)
	return out
}

// ResetStats sets every counter back to zero.
func (s *Server) ResetStats() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stats = newStats()
}

func (s *Server) countUnauthorized() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stats.Unauthorized++
}

func (s *Server) countFault(k faultKind) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stats.countFault(k)
}
