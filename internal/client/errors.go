package client

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// APIError is an answer from the API with a status outside 2xx.
type APIError struct {
	// Method and Path name the request, e.g. "GET" and "/v1/billing_accounts/abc".
	Method string
	Path   string
	// StatusCode is the HTTP status of the last attempt.
	StatusCode int
	// ErrorCode and Message come from the ErrorMessage body when present.
	ErrorCode string
	Message   string
	// Attempts is how many times the request was sent.
	Attempts int
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: %d %s", e.Method, e.Path, e.StatusCode, http.StatusText(e.StatusCode))
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
	return b.String()
}

// TransportError is a request that got no HTTP answer: the connection failed
// or the context ended.
type TransportError struct {
	Method   string
	Path     string
	Attempts int
	// Sent reports whether the last attempt's request reached the wire in
	// full, so the server may have acted on it.
	Sent bool
	// Idempotent reports whether the request could be replayed safely.
	Idempotent bool
	Err        error
}

func (e *TransportError) Error() string {
	msg := fmt.Sprintf("%s %s: %v", e.Method, e.Path, e.Err)
	if e.Attempts > 1 {
		msg += fmt.Sprintf(" (after %d attempts)", e.Attempts)
	}
	if e.outcomeUnknown() {
		msg += "; the request was sent but no answer arrived, so the server may have acted on it"
	}
	return msg
}

func (e *TransportError) Unwrap() error { return e.Err }

func (e *TransportError) outcomeUnknown() bool { return e.Sent && !e.Idempotent }

// IsNotFound reports whether err is a 404 answer.
func IsNotFound(err error) bool { return hasStatus(err, http.StatusNotFound) }

// IsConflict reports whether err is a 409 answer.
func IsConflict(err error) bool { return hasStatus(err, http.StatusConflict) }

// IsBadRequest reports whether err is a 400 answer.
func IsBadRequest(err error) bool { return hasStatus(err, http.StatusBadRequest) }

// IsUnauthorized reports whether err is a 401 or 403 answer.
func IsUnauthorized(err error) bool {
	return hasStatus(err, http.StatusUnauthorized) || hasStatus(err, http.StatusForbidden)
}

// IsOutcomeUnknown reports whether err means a non-idempotent request was
// sent but no answer arrived: the server may or may not have acted on it.
func IsOutcomeUnknown(err error) bool {
	var te *TransportError
	return errors.As(err, &te) && te.outcomeUnknown()
}

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
