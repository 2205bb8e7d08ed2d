package client

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"net/http"
	"net/http/httptrace"
	"strconv"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/hashicorp/go-cleanhttp"
	"github.com/hashicorp/go-retryablehttp"
)

// maxRetryAfter caps how long a Retry-After header can make one wait last.
const maxRetryAfter = 2 * time.Minute

// attemptState follows one logical request across its attempts.
type attemptState struct {
	idempotent bool
	count      atomic.Int32
	wrote      atomic.Bool
	// inFlight is set while an attempt runs, from its start to its answer
	// (or failure); not during the waits between attempts.
	inFlight atomic.Bool
	// stopped is set when the caller's context ended while a mutating
	// request was under way (see finishOnceSent): no further attempt is
	// made.
	stopped atomic.Bool
	// refused counts the attempts whose connection was refused.
	refused atomic.Int32
	// req is the request, for log lines.
	req *request
}

// requestOf is the request of ctx's attempt state, if any.
func requestOf(ctx context.Context) *request {
	if s, ok := ctx.Value(attemptStateKey{}).(*attemptState); ok {
		return s.req
	}
	return nil
}

func (s *attemptState) attempts() int { return int(s.count.Load()) }
func (s *attemptState) sent() bool    { return s.wrote.Load() }

type attemptStateKey struct{}

// withAttemptState stores s in ctx and traces when each attempt's request
// has been written, which tells a safe retry from a possible duplicate.
func withAttemptState(ctx context.Context, s *attemptState) context.Context {
	ctx = context.WithValue(ctx, attemptStateKey{}, s)
	return httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		WroteRequest: func(httptrace.WroteRequestInfo) { s.wrote.Store(true) },
	})
}

func attemptStateFrom(ctx context.Context) *attemptState {
	s, _ := ctx.Value(attemptStateKey{}).(*attemptState)
	if s == nil {
		return &attemptState{}
	}
	return s
}

func newRetryingClient(cfg Config, logger Logger) *retryablehttp.Client {
	transport := cfg.Transport
	if transport == nil {
		t := cleanhttp.DefaultPooledTransport()
		t.MaxIdleConnsPerHost = maxIdleConnsPerHost
		t.MaxIdleConns = maxIdleConnsPerHost
		transport = t
	}
	timeout := cfg.RequestTimeout
	if timeout <= 0 {
		timeout = DefaultRequestTimeout
	}
	waitMin, waitMax := cfg.RetryWaitMin, cfg.RetryWaitMax
	if waitMin <= 0 {
		waitMin = DefaultRetryWaitMin
	}
	if waitMax <= 0 {
		waitMax = DefaultRetryWaitMax
	}
	if waitMax < waitMin {
		waitMax = waitMin
	}
	policy := retryPolicy{waitMin: waitMin, waitMax: waitMax, maxRetries: cfg.MaxRetries, logger: logger}
	return &retryablehttp.Client{
		HTTPClient:   &http.Client{Transport: transport, Timeout: timeout, CheckRedirect: checkRedirect},
		RetryWaitMin: waitMin,
		RetryWaitMax: waitMax,
		RetryMax:     cfg.MaxRetries,
		CheckRetry:   policy.check,
		// The policy waits before it says to retry, so that it can log why
		// and for how long; nothing is left to wait here.
		Backoff: func(time.Duration, time.Duration, int, *http.Response) time.Duration { return 0 },
		RequestLogHook: func(_ retryablehttp.Logger, req *http.Request, attempt int) {
			s := attemptStateFrom(req.Context())
			s.count.Store(int32(attempt + 1))
			s.wrote.Store(false)
			s.inFlight.Store(true)
		},
		// Hand the last answer back instead of a generic "giving up" error,
		// so the caller reports its status and the number of attempts.
		ErrorHandler: func(resp *http.Response, err error, _ int) (*http.Response, error) {
			if err != nil && resp != nil {
				_ = resp.Body.Close()
				return nil, err
			}
			return resp, err
		},
	}
}

// finishOnceSent returns the context a mutating request is sent with, and a
// function to call when the request is done. While no attempt is on the
// wire, the returned context ends when ctx does, so a stop (Terraform
// cancels the context of every request in flight when it is interrupted)
// prevents the request from being sent, or sent again. Once an attempt has
// been written in full, the server may act on it, so that attempt is let
// run to its answer, bounded by the request timeout, and the caller learns
// what the server did instead of abandoning a change that may have been
// made. No attempt follows it.
//
// A deadline of ctx is different: it is the caller's bound on the whole
// operation (a resource's timeouts block), and it ends every attempt.
func finishOnceSent(ctx context.Context, s *attemptState) (context.Context, func()) {
	sendCtx, cancel := context.WithCancelCause(context.WithoutCancel(ctx))
	stop := context.AfterFunc(ctx, func() {
		s.stopped.Store(true)
		if !isStop(ctx) || !s.inFlight.Load() || !s.sent() {
			cancel(context.Cause(ctx))
		}
	})
	return sendCtx, func() {
		stop()
		cancel(nil)
	}
}

// isStop reports whether ctx ended by cancellation (a stop), not by its
// deadline.
func isStop(ctx context.Context) bool {
	return errors.Is(ctx.Err(), context.Canceled)
}

// maxRefusedRetries bounds the retries of a refused connection, whatever
// max_retries says: a restarting server is back within them, and a wrong
// host or port fails within seconds instead of minutes.
const maxRefusedRetries = 3

// retryPolicy decides whether to try a request again and waits before it
// does; see the package documentation for the rule.
type retryPolicy struct {
	waitMin, waitMax time.Duration
	maxRetries       int
	logger           Logger
}

// check is retryablehttp's CheckRetry. When another attempt follows, it
// logs why and when, and waits until then; a stop or the end of ctx ends
// the wait at once.
func (p retryPolicy) check(ctx context.Context, resp *http.Response, err error) (bool, error) {
	s := attemptStateFrom(ctx)
	s.inFlight.Store(false)
	retry, reason := p.decide(ctx, s, resp, err)
	if !retry || s.attempts() > p.maxRetries {
		// retryablehttp stops here too when no retries are left.
		return retry, err
	}
	wait := backoff(p.waitMin, p.waitMax, s.attempts()-1, resp)
	if req := requestOf(ctx); req != nil {
		p.logger.Warn(ctx, "retrying Agilicus API request", map[string]any{
			"method": req.method, "url": req.url, "reason": reason,
			"attempt": s.attempts() + 1, "wait_ms": wait.Milliseconds(),
		})
	}
	timer := time.NewTimer(wait)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return false, ctx.Err()
	case <-timer.C:
		return true, err
	}
}

// decide says whether the attempt that ended with resp or err may be tried
// again, and why it failed.
func (p retryPolicy) decide(ctx context.Context, s *attemptState, resp *http.Response, err error) (bool, string) {
	if ctx.Err() != nil {
		return false, ctx.Err().Error()
	}
	if s.stopped.Load() {
		// The caller stopped while this attempt ran: report its outcome,
		// try nothing more.
		return false, "stopped"
	}
	if err != nil {
		reason := unwrapURLError(err).Error()
		switch {
		case errors.Is(err, context.Canceled), hostHint(err) != "" && !errors.Is(err, syscall.ECONNREFUSED):
			// Cancelled, or a mistake no retry mends (unknown host, TLS or
			// protocol mismatch).
			return false, reason
		case errors.Is(err, syscall.ECONNREFUSED) && s.refused.Add(1) > maxRefusedRetries:
			return false, reason
		}
		// Without an answer, replay only what cannot duplicate anything.
		return s.idempotent || !s.sent(), reason
	}
	reason := resp.Status
	switch code := resp.StatusCode; {
	case code == http.StatusTooManyRequests || code == http.StatusServiceUnavailable:
		// The server turned the request away before acting on it.
		return true, reason
	case code == http.StatusNotImplemented:
		return false, reason
	case code >= 500:
		return s.idempotent, reason
	}
	return false, reason
}

// backoff waits as long as Retry-After asks (capped), otherwise grows
// exponentially from waitMin to waitMax with jitter so that many parallel
// requests do not retry in lockstep.
func backoff(waitMin, waitMax time.Duration, attempt int, resp *http.Response) time.Duration {
	if resp != nil {
		if d, ok := parseRetryAfter(resp.Header.Get("Retry-After"), time.Now()); ok {
			return min(d, maxRetryAfter)
		}
	}
	exp := float64(waitMin) * math.Pow(2, float64(attempt))
	if exp > float64(waitMax) || math.IsInf(exp, 0) {
		exp = float64(waitMax)
	}
	half := time.Duration(exp / 2)
	return half + rand.N(half+1)
}

// parseRetryAfter reads delay-seconds or an HTTP date.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.Atoi(v); err == nil {
		if secs < 0 {
			return 0, false
		}
		return time.Duration(secs) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return d, true
		}
		return 0, true
	}
	return 0, false
}
