package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hashicorp/go-retryablehttp"
)

// DefaultBaseURL is the Agilicus API.
const DefaultBaseURL = "https://api.agilicus.com"

// Defaults for Config fields left zero.
const (
	DefaultMaxRetries     = 10
	DefaultRetryWaitMin   = 500 * time.Millisecond
	DefaultRetryWaitMax   = 30 * time.Second
	DefaultRequestTimeout = 60 * time.Second
	// maxIdleConnsPerHost lets all of Terraform's parallel operations (10 by
	// default, often raised) keep their connections alive between calls.
	maxIdleConnsPerHost = 64
	// maxErrorBody bounds how much of an error answer is read, and
	// maxErrorText how much of a plain-text one is quoted.
	maxErrorBody = 4096
	maxErrorText = 200
)

// Config configures a Client. BaseURL and Token are required.
type Config struct {
	// BaseURL is the API root, e.g. https://api.agilicus.com. Plain http is
	// accepted only for loopback hosts, so a token never crosses a network
	// unencrypted.
	BaseURL string
	// Token is the bearer token sent on every request, unless Credentials
	// are given instead.
	Token string
	// Credentials authorize requests another way: an API key or an
	// authentication document.
	Credentials Credentials
	// UserAgent names the caller, e.g. "terraform-provider-agilicus/1.2.3".
	UserAgent string
	// MaxRetries is how many times a failed request is retried: 0 means
	// never, DefaultMaxRetries is the recommended count. Negative values are
	// refused.
	MaxRetries int
	// RetryWaitMin and RetryWaitMax bound the exponential backoff.
	RetryWaitMin time.Duration
	RetryWaitMax time.Duration
	// RequestTimeout bounds each attempt, including reading the answer.
	RequestTimeout time.Duration
	// Transport replaces the default pooled transport (for tests).
	Transport http.RoundTripper
	// Logger receives request and retry lines; nil discards them.
	Logger Logger
}

// Client calls the Agilicus billing API. It is safe for concurrent use.
type Client struct {
	base      *url.URL
	creds     Credentials
	userAgent string
	logger    Logger
	http      *retryablehttp.Client
}

// New validates cfg and returns a Client.
func New(cfg Config) (*Client, error) {
	base, err := ParseBaseURL(cfg.BaseURL)
	if err != nil {
		return nil, err
	}
	creds := cfg.Credentials
	if creds == nil {
		if strings.TrimSpace(cfg.Token) == "" {
			return nil, errors.New("an access token is required")
		}
		if strings.ContainsAny(cfg.Token, "\r\n") {
			return nil, errors.New("the access token must not contain line breaks")
		}
		creds = BearerToken(cfg.Token)
	}
	if cfg.MaxRetries < 0 {
		return nil, fmt.Errorf("invalid retry count %d: must be 0 (no retries) or more", cfg.MaxRetries)
	}
	c := &Client{base: base, creds: creds, userAgent: cfg.UserAgent, logger: cfg.Logger}
	if c.userAgent == "" {
		c.userAgent = "terraform-provider-agilicus"
	}
	if c.logger == nil {
		c.logger = nopLogger{}
	}
	c.http = newRetryingClient(cfg, c.logger)
	return c, nil
}

// ParseBaseURL checks that raw is an absolute http(s) URL without query,
// fragment or credentials, and that plain http is used only for loopback
// hosts.
func ParseBaseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return nil, fmt.Errorf("invalid API host %q: %v", raw, err)
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, fmt.Errorf("invalid API host %q: must be an absolute URL starting with https:// (or http:// for a loopback address)", raw)
	case u.Host == "" || u.Hostname() == "":
		return nil, fmt.Errorf("invalid API host %q: no host name", raw)
	case u.User != nil:
		return nil, fmt.Errorf("invalid API host: must not contain credentials; use the access token")
	case u.RawQuery != "" || u.Fragment != "":
		return nil, fmt.Errorf("invalid API host %q: must not have a query or fragment", raw)
	case u.Scheme == "http" && !isLoopback(u.Hostname()):
		return nil, fmt.Errorf("invalid API host %q: plain http is only allowed for loopback addresses; use https", raw)
	}
	u.Path = strings.TrimRight(u.Path, "/")
	return u, nil
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// request describes one API call.
type request struct {
	method     string
	path       string // escaped, from accountPath
	query      url.Values
	body       any
	idempotent bool
	// url is where the request goes, host and path without the query, as
	// errors name it (urlOf); do sets it when it is empty.
	url string
}

// urlOf is the URL of path (escaped, from accountPath) on the configured
// host, without a query: what errors name, so that a wrong host path shows.
func (c *Client) urlOf(path string) string {
	return c.base.Scheme + "://" + c.base.Host + c.base.EscapedPath() + path
}

// do sends req and decodes a 2xx answer into out (when out is non-nil). It
// returns the answer's status. A 204 No Content leaves out as it is; any
// other success must carry a JSON body when out is non-nil.
func (c *Client) do(ctx context.Context, req request, out any) (int, error) {
	if req.url == "" {
		req.url = c.urlOf(req.path)
	}
	u := *c.base
	unescaped, err := url.PathUnescape(req.path)
	if err != nil {
		return 0, fmt.Errorf("%s %s: %w", req.method, req.url, err)
	}
	u.Path = c.base.Path + unescaped
	u.RawPath = c.base.EscapedPath() + req.path
	u.RawQuery = req.query.Encode()

	var body []byte
	if req.body != nil {
		if body, err = marshalVerbatim(req.body); err != nil {
			return 0, fmt.Errorf("%s %s: encoding request: %w", req.method, req.url, err)
		}
	}
	state := &attemptState{idempotent: req.idempotent, req: &req}
	caller := ctx
	if req.method != http.MethodGet {
		// A change is not started once the caller has stopped, and is not
		// abandoned once it is on the wire.
		if err := ctx.Err(); err != nil {
			return 0, &TransportError{Method: req.method, URL: req.url, Idempotent: req.idempotent,
				Err: fmt.Errorf("not sent: %w", context.Cause(ctx))}
		}
		var done func()
		ctx, done = finishOnceSent(ctx, state)
		defer done()
	}
	ctx = withAttemptState(ctx, state)
	var rawBody any
	if body != nil {
		rawBody = body
	}
	hreq, err := retryablehttp.NewRequestWithContext(ctx, req.method, u.String(), rawBody)
	if err != nil {
		return 0, fmt.Errorf("%s %s: %w", req.method, req.url, err)
	}
	authorization, err := setAuthorization(ctx, c.creds, hreq.Header)
	if err != nil {
		return 0, &TransportError{Method: req.method, URL: req.url, Idempotent: req.idempotent,
			Err: fmt.Errorf("not sent, no access token: %w", err)}
	}
	hreq.Header.Set("User-Agent", c.userAgent)
	hreq.Header.Set("Accept", "application/json")
	if body != nil {
		hreq.Header.Set("Content-Type", "application/json")
	}

	start := time.Now()
	resp, err := c.http.Do(hreq)
	if err == nil && resp.StatusCode == http.StatusUnauthorized && c.creds.refused(authorization) {
		// The API acted on nothing; with fresh credentials, send the
		// request once more.
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxErrorBody))
		_ = resp.Body.Close()
		if authorization, err = setAuthorization(ctx, c.creds, hreq.Header); err != nil {
			return 0, &TransportError{Method: req.method, URL: req.url, Idempotent: req.idempotent,
				Err: fmt.Errorf("not sent again, no new access token: %w", err)}
		}
		resp, err = c.http.Do(hreq)
	}
	if err != nil {
		err = unwrapURLError(err)
		if caller.Err() != nil && errors.Is(err, context.Canceled) {
			// Ended by the caller's stop or deadline: say which.
			err = context.Cause(caller)
		}
		return 0, &TransportError{
			Method: req.method, URL: req.url, Attempts: state.attempts(),
			Sent: state.sent(), Idempotent: req.idempotent, Err: err,
		}
	}
	defer func() { _ = resp.Body.Close() }()
	c.logger.Debug(ctx, "Agilicus API response", map[string]any{
		"method": req.method, "path": req.path, "status": resp.StatusCode,
		"attempts": state.attempts(), "duration_ms": time.Since(start).Milliseconds(),
	})

	switch {
	case resp.StatusCode >= 300 && resp.StatusCode <= 399:
		return resp.StatusCode, &RedirectError{Method: req.method, URL: req.url, StatusCode: resp.StatusCode, Location: redirectLocation(resp)}
	case resp.StatusCode == http.StatusUnauthorized:
		e := newAPIError(req, resp, state.attempts())
		e.Hint = c.creds.refusal(authorization)
		return resp.StatusCode, e
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		return resp.StatusCode, newAPIError(req, resp, state.attempts())
	}
	data, err := readAnswer(req, resp)
	if err != nil {
		var unexpected *UnexpectedAnswerError
		if errors.As(err, &unexpected) {
			return resp.StatusCode, err
		}
		return resp.StatusCode, &TransportError{Method: req.method, URL: req.url, Attempts: state.attempts(), Sent: true, Idempotent: req.idempotent, Err: err}
	}
	if out == nil || (resp.StatusCode == http.StatusNoContent && len(bytes.TrimSpace(data)) == 0) {
		return resp.StatusCode, nil
	}
	return resp.StatusCode, decodeAnswer(req, resp, data, out)
}

func newAPIError(req request, resp *http.Response, attempts int) *APIError {
	e := &APIError{Method: req.method, URL: req.url, StatusCode: resp.StatusCode, Attempts: attempts}
	data, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	e.ErrorCode, e.Message = decodeErrorBody(data)
	switch {
	case looksLikeHTML(resp.Header.Get("Content-Type"), string(bytes.TrimSpace(data))):
		e.Hint = "the answer is an HTML page, which the Agilicus API never sends: " + checkHost
	case resp.StatusCode == http.StatusNotFound && req.path == accountsPath:
		// The account collection always exists on the API: a 404 there
		// comes from a server that is not the API, or a host with a wrong
		// path.
		e.Hint = "the Agilicus API always serves this path, so the host is not the API or has a wrong path: " + checkHost
	}
	return e
}

// decodeErrorBody extracts the ErrorMessage fields, or a short plain-text
// body when the answer is not an ErrorMessage.
func decodeErrorBody(data []byte) (code, message string) {
	data = bytes.TrimSpace(data)
	if len(data) == 0 {
		return "", ""
	}
	var em ErrorMessage
	if err := json.Unmarshal(data, &em); err == nil && (em.ErrorCode != "" || em.ErrorMessage != "") {
		return em.ErrorCode, em.ErrorMessage
	}
	if data[0] == '{' || data[0] == '[' {
		return "", ""
	}
	text := strings.ToValidUTF8(string(data), "")
	text = strings.Join(strings.Fields(text), " ")
	if len(text) > maxErrorText {
		text = truncateUTF8(text, maxErrorText) + "..."
	}
	return "", text
}

// truncateUTF8 cuts s to at most n bytes without splitting a character.
func truncateUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// RecoveryContext is ctx while it lasts. Once ctx has been cancelled (the
// caller stopped), it is a context of its own, bounded by the request
// timeout, for the reads that find out what a change already sent did, so
// that its result is not lost: an account looked up by its customer id, an
// organisation looked for on the account it was attached to. A ctx past its
// deadline stays as it is: the deadline bounds the whole operation.
func (c *Client) RecoveryContext(ctx context.Context) (context.Context, context.CancelFunc) {
	if !isStop(ctx) {
		return ctx, func() {}
	}
	return context.WithTimeout(context.WithoutCancel(ctx), c.http.HTTPClient.Timeout)
}

// MaxRetries is Config.MaxRetries: how often a failed request is tried
// again. Callers that recover an operation themselves (a create whose
// answer was lost, sent again once a lookup shows it was not made) keep to
// the same bound.
func (c *Client) MaxRetries() int {
	return c.http.RetryMax
}

func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}
