package client

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"syscall"
)

// APIError is an answer from the API with a status outside 2xx.
type APIError struct {
	// Method and URL name the request as it was sent, e.g. "GET" and
	// "https://api.agilicus.com/v1/billing_accounts/abc" (without the query).
	Method string
	URL    string
	// StatusCode is the HTTP status of the last attempt.
	StatusCode int
	// ErrorCode and Message come from the ErrorMessage body when present.
	ErrorCode string
	Message   string
	// Attempts is how many times the request was sent.
	Attempts int
	// Hint says what to check when the answer shows that the host is not
	// the Agilicus API (an HTML page, a path the API always serves
	// answered 404).
	Hint string
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: %d %s", e.Method, e.URL, e.StatusCode, http.StatusText(e.StatusCode))
	switch {
	case e.ErrorCode != "" && e.Message != "":
		fmt.Fprintf(&b, ": %s: %s", e.ErrorCode, e.Message)
	case e.Message != "":
		fmt.Fprintf(&b, ": %s", e.Message)
	case e.ErrorCode != "":
		fmt.Fprintf(&b, ": %s", e.ErrorCode)
	}
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " (after %d attempts)", e.Attempts)
	}
	if e.Hint != "" {
		b.WriteString("; " + e.Hint)
	}
	return b.String()
}

// TransportError is a request that got no HTTP answer: the connection failed
// or the context ended.
type TransportError struct {
	Method   string
	URL      string
	Attempts int
	// Sent reports whether the last attempt's request reached the wire in
	// full, so the server may have acted on it.
	Sent bool
	// Idempotent reports whether the request could be replayed safely.
	Idempotent bool
	Err        error
}

func (e *TransportError) Error() string {
	msg := fmt.Sprintf("%s %s: %v", e.Method, e.URL, e.Err)
	if e.Attempts > 1 {
		msg += fmt.Sprintf(" (after %d attempts)", e.Attempts)
	}
	if e.outcomeUnknown() {
		msg += "; the request was sent but no answer arrived, so the server may have acted on it"
	}
	if h := hostHint(e.Err); h != "" {
		msg += "; " + h
	}
	return msg
}

// checkHost ends the hints about a host that is not the Agilicus API.
const checkHost = "check the provider's host setting (host, or " + "AGILICUS_API_HOST" + ")"

// hostHint says what a connection failure means when it points at a wrong
// host, port or scheme rather than at an outage; "" otherwise.
func hostHint(err error) string {
	var dns *net.DNSError
	var unknownAuthority x509.UnknownAuthorityError
	var hostname x509.HostnameError
	var invalid x509.CertificateInvalidError
	var verify *tls.CertificateVerificationError
	msg := ""
	if err != nil {
		msg = err.Error()
	}
	switch {
	case err == nil:
		return ""
	case errors.Is(err, syscall.ECONNREFUSED):
		return "nothing accepts connections at that address: " + checkHost
	case errors.As(err, &dns) && dns.IsNotFound:
		return "the host name does not exist: " + checkHost
	case strings.Contains(msg, "server gave HTTP response to HTTPS client"),
		strings.Contains(msg, "first record does not look like a TLS handshake"):
		return "the server speaks plain http, not https: " + checkHost
	case errors.As(err, &unknownAuthority), errors.As(err, &hostname), errors.As(err, &invalid), errors.As(err, &verify):
		return "the server's TLS certificate is not valid for this host: " + checkHost
	}
	return ""
}

func (e *TransportError) Unwrap() error { return e.Err }

func (e *TransportError) outcomeUnknown() bool { return e.Sent && !e.Idempotent }

// IsNotFound reports whether err is a 404 answer.
func IsNotFound(err error) bool { return hasStatus(err, http.StatusNotFound) }

// IsConflict reports whether err is a 409 answer.
func IsConflict(err error) bool { return hasStatus(err, http.StatusConflict) }

// MayHaveActed reports whether a failed request may nevertheless have been
// carried out by the server: it was sent and no answer came back, or the
// answer was a server error that does not say the request was turned away
// (429 and 503 do, and 501 means the operation does not exist), or a
// success whose answer could not be used. A gateway
// answering 502 or 504, or a server failing with 500 after storing, may well
// have acted. Callers of non-idempotent operations use it to decide when to
// look for the result instead of reporting a plain failure.
func MayHaveActed(err error) bool {
	var te *TransportError
	if errors.As(err, &te) {
		return te.Sent
	}
	// A success whose body could not be used: the server did act.
	var ue *UnexpectedAnswerError
	if errors.As(err, &ue) {
		return true
	}
	var ae *APIError
	if !errors.As(err, &ae) {
		return false
	}
	switch ae.StatusCode {
	case http.StatusNotImplemented, http.StatusServiceUnavailable:
		return false
	}
	return ae.StatusCode >= 500
}

func hasStatus(err error, status int) bool {
	var ae *APIError
	return errors.As(err, &ae) && ae.StatusCode == status
}
