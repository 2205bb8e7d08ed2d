package mockapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net"
	"net/http"
	"strconv"
	"time"
)

// Faults describes the failures the mock injects into API requests. Each
// rate is the probability, from 0 to 1, that one request gets that failure;
// the draws use the server's seeded generator.
type Faults struct {
	// Latency is added to every API request before anything else happens.
	// A client that gives up during it leaves nothing done.
	Latency time.Duration
	// AnswerLatency is added to every API request after it was processed,
	// before the answer is sent, as a server that takes its time to
	// answer a change it has already made: a client that gives up during
	// it loses the answer, not the change.
	AnswerLatency time.Duration
	// ErrorRate is the fraction of API requests answered, before any
	// processing (and before authentication), with 429 or 503. The two
	// statuses alternate, starting with 429, and both carry Retry-After.
	ErrorRate float64
	// RetryAfter is the Retry-After value sent with injected 429 and 503
	// answers, rounded up to whole seconds. Zero sends "0".
	RetryAfter time.Duration
	// ResetRate is the fraction of API requests whose connection is closed
	// before any processing, without a response.
	ResetRate float64
	// DropAfterCommitRate is the fraction of mutating API requests (POST,
	// PUT, PATCH, DELETE) that are processed in full, so a change is stored
	// when the request succeeds, and then get no response: the connection is
	// closed instead.
	DropAfterCommitRate float64
}

// faultsJSON is the wire form of Faults used by the /_mock/faults hook.
type faultsJSON struct {
	LatencyMS           int64   `json:"latency_ms"`
	AnswerLatencyMS     int64   `json:"answer_latency_ms"`
	ErrorRate           float64 `json:"error_rate"`
	RetryAfterSeconds   int64   `json:"retry_after_seconds"`
	ResetRate           float64 `json:"reset_rate"`
	DropAfterCommitRate float64 `json:"drop_after_commit_rate"`
}

// MarshalJSON encodes f with latency in milliseconds and Retry-After in
// seconds: {"latency_ms", "answer_latency_ms", "error_rate",
// "retry_after_seconds", "reset_rate", "drop_after_commit_rate"}.
func (f Faults) MarshalJSON() ([]byte, error) {
	return json.Marshal(faultsJSON{
		LatencyMS:           f.Latency.Milliseconds(),
		AnswerLatencyMS:     f.AnswerLatency.Milliseconds(),
		ErrorRate:           f.ErrorRate,
		RetryAfterSeconds:   retryAfterSeconds(f.RetryAfter),
		ResetRate:           f.ResetRate,
		DropAfterCommitRate: f.DropAfterCommitRate,
	})
}

// UnmarshalJSON decodes the form written by MarshalJSON. Absent keys are zero.
func (f *Faults) UnmarshalJSON(data []byte) error {
	var j faultsJSON
	if err := json.Unmarshal(data, &j); err != nil {
		return err
	}
	*f = Faults{
		Latency:             time.Duration(j.LatencyMS) * time.Millisecond,
		AnswerLatency:       time.Duration(j.AnswerLatencyMS) * time.Millisecond,
		ErrorRate:           j.ErrorRate,
		RetryAfter:          time.Duration(j.RetryAfterSeconds) * time.Second,
		ResetRate:           j.ResetRate,
		DropAfterCommitRate: j.DropAfterCommitRate,
	}
	return nil
}

// Validate reports an error when a duration is negative or a rate is
// outside [0, 1].
func (f Faults) Validate() error {
	var errs []error
	if f.Latency < 0 {
		errs = append(errs, fmt.Errorf("latency must not be negative, got %v", f.Latency))
	}
	if f.AnswerLatency < 0 {
		errs = append(errs, fmt.Errorf("answer latency must not be negative, got %v", f.AnswerLatency))
	}
	if f.RetryAfter < 0 {
		errs = append(errs, fmt.Errorf("retry-after must not be negative, got %v", f.RetryAfter))
	}
	for _, r := range []struct {
		name string
		v    float64
	}{
		{"error rate", f.ErrorRate},
		{"reset rate", f.ResetRate},
		{"drop-after-commit rate", f.DropAfterCommitRate},
	} {
		if math.IsNaN(r.v) || r.v < 0 || r.v > 1 {
			errs = append(errs, fmt.Errorf("%s must be between 0 and 1, got %v", r.name, r.v))
		}
	}
	return errors.Join(errs...)
}

// SetFaults replaces the fault injection settings. Rates outside [0, 1]
// behave as the nearest bound; use Validate to reject them instead.
func (s *Server) SetFaults(f Faults) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = f
}

// Faults returns the current fault injection settings.
func (s *Server) Faults() Faults {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.faults
}

type faultKind int

const (
	faultNone faultKind = iota
	faultReset
	faultTooManyRequests
	faultUnavailable
	faultDropAfterCommit
)

// admission is what happens to one API request, decided when it arrives.
type admission struct {
	kind            faultKind // a failure injected before processing
	dropAfterCommit bool      // drop the response after processing
	latency         time.Duration
	answerLatency   time.Duration
	retryAfter      time.Duration
}

// admit counts an API request and draws its faults.
func (s *Server) admit(key string, mutating bool) admission {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stats.countRequest(key)
	f := s.faults
	a := admission{latency: f.Latency, answerLatency: f.AnswerLatency, retryAfter: f.RetryAfter}
	switch {
	case s.chance(f.ResetRate):
		a.kind = faultReset
	case s.chance(f.ErrorRate):
		s.errorToggle++
		a.kind = faultTooManyRequests
		if s.errorToggle%2 == 0 {
			a.kind = faultUnavailable
		}
	case mutating && s.chance(f.DropAfterCommitRate):
		a.dropAfterCommit = true
	}
	if a.kind != faultNone {
		s.stats.countFault(a.kind)
	}
	return a
}

// chance draws from the fault generator only for a positive rate, so
// requests made with faults off do not move the sequence.
func (s *Server) chance(rate float64) bool {
	return rate > 0 && s.faultRand.Float64() < rate
}

func writeInjectedError(w http.ResponseWriter, a admission) {
	w.Header().Set("Retry-After", strconv.FormatInt(retryAfterSeconds(a.retryAfter), 10))
	if a.kind == faultTooManyRequests {
		writeError(w, http.StatusTooManyRequests, CodeTooManyRequests, "rate limit exceeded (injected fault)")
		return
	}
	writeError(w, http.StatusServiceUnavailable, CodeServiceUnavailable, "service unavailable (injected fault)")
}

func retryAfterSeconds(d time.Duration) int64 {
	if d <= 0 {
		return 0
	}
	return int64(math.Ceil(d.Seconds()))
}

// abortConnection closes the client's connection without a response. On a
// TCP connection it sends a reset (SO_LINGER 0), as a crashing proxy would.
// Where the connection cannot be taken over (HTTP/2), the handler aborts,
// which makes net/http reset the stream.
func abortConnection(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			if tcp, ok := conn.(*net.TCPConn); ok {
				_ = tcp.SetLinger(0)
			}
			_ = conn.Close()
			return
		}
	}
	panic(http.ErrAbortHandler)
}

// discardWriter receives the response of a request whose answer is dropped.
type discardWriter struct{ header http.Header }

func (d discardWriter) Header() http.Header         { return d.header }
func (d discardWriter) Write(p []byte) (int, error) { return len(p), nil }
func (d discardWriter) WriteHeader(int)             {}
