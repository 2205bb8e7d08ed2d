package mockapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// Error codes carried in ErrorMessage.Code.
const (
	CodeInvalidBody        = "INVALID_REQUEST_BODY"
	CodeInvalidQuery       = "INVALID_QUERY_PARAMETER"
	CodeUnauthorized       = "UNAUTHORIZED"
	CodeNotFound           = "NOT_FOUND"
	CodeAccountNotFound    = "BILLING_ACCOUNT_NOT_FOUND"
	CodeOrgNotFound        = "ORG_NOT_FOUND"
	CodeOrgNotAttached     = "ORG_NOT_ATTACHED"
	CodeMethodNotAllowed   = "METHOD_NOT_ALLOWED"
	CodeCustomerIDInUse    = "CUSTOMER_ID_IN_USE"
	CodeSubdomainInUse     = "SUBDOMAIN_IN_USE"
	CodeTooManyRequests    = "TOO_MANY_REQUESTS"
	CodeServiceUnavailable = "SERVICE_UNAVAILABLE"
)

// maxBodyBytes bounds request bodies; every valid body is far smaller.
const maxBodyBytes = 1 << 20

// Bounds of the limit query parameter.
const (
	DefaultLimit = 500
	MaxLimit     = 500
)

// reply is a status and a body (nil for no body) computed under the lock.
type reply struct {
	status int
	body   any
}

func errorReply(status int, code, format string, args ...any) reply {
	return reply{status, ErrorMessage{Code: code, Message: fmt.Sprintf(format, args...)}}
}

// respond runs fn with the lock held and encodes its reply before releasing
// the lock, so a response can never observe a later change to the store.
func (s *Server) respond(w http.ResponseWriter, fn func() reply) {
	rep, data := func() (reply, []byte) {
		s.mu.Lock()
		defer s.mu.Unlock()
		rep := fn()
		if rep.body == nil {
			return rep, nil
		}
		return rep, mustMarshal(rep.body)
	}()
	writeRaw(w, rep.status, data)
}

// mustMarshal encodes a response body (with a final newline), writing specs
// exactly as stored. The mock's own types always encode, so a failure is a
// bug.
func mustMarshal(v any) []byte {
	data, err := encodeDocument(v)
	if err != nil {
		panic("mockapi: encoding response: " + err.Error())
	}
	return data
}

// writeRaw writes a status and an encoded body; nil data means no body.
func writeRaw(w http.ResponseWriter, status int, data []byte) {
	if data != nil {
		w.Header().Set("Content-Type", "application/json")
	}
	w.WriteHeader(status)
	if data != nil {
		_, _ = w.Write(data)
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	writeRaw(w, status, mustMarshal(v))
}

func writeError(w http.ResponseWriter, status int, code, format string, args ...any) {
	writeJSON(w, status, ErrorMessage{Code: code, Message: fmt.Sprintf(format, args...)})
}

func notFound(w http.ResponseWriter, r *http.Request) {
	writeError(w, http.StatusNotFound, CodeNotFound, "no route for %s %s", r.Method, r.URL.Path)
}

func methodNotAllowed(allow string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Allow", allow)
		writeError(w, http.StatusMethodNotAllowed, CodeMethodNotAllowed,
			"method %s is not allowed on %s (allowed: %s)", r.Method, r.URL.Path, allow)
	})
}

func writeBadBody(w http.ResponseWriter, err error) {
	writeError(w, http.StatusBadRequest, CodeInvalidBody, "invalid request body: %v", err)
}

func writeBadQuery(w http.ResponseWriter, err error) {
	writeError(w, http.StatusBadRequest, CodeInvalidQuery, "%v", err)
}

// decodeObject decodes a JSON object body into v, leaving v untouched when
// the body is empty; an empty body is an error only when required. Any
// JSON value other than an object is rejected, and so are values of the
// wrong type for a known field; unknown fields are ignored, as the API
// accepts additional properties.
func decodeObject(r *http.Request, v any, required bool) error {
	data, err := readObject(r, required)
	if err != nil || data == nil {
		return err
	}
	return json.Unmarshal(data, v)
}

// readObject returns the request body, which must be a JSON object (checked
// only by its first character; decoding checks the rest). It returns nil for
// an empty body unless required.
func readObject(r *http.Request, required bool) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes+1))
	if err != nil {
		return nil, fmt.Errorf("reading body: %w", err)
	}
	if len(data) > maxBodyBytes {
		return nil, fmt.Errorf("body is larger than %d bytes", maxBodyBytes)
	}
	data = bytes.TrimSpace(data)
	switch {
	case len(data) == 0 && required:
		return nil, errors.New("a JSON object is required")
	case len(data) == 0:
		return nil, nil
	case data[0] != '{':
		return nil, errors.New("the body must be a JSON object")
	}
	return data, nil
}

// parseLimit reads the limit query parameter: an integer from 1 to MaxLimit,
// DefaultLimit when absent.
func parseLimit(q url.Values) (int, error) {
	if !q.Has("limit") {
		return DefaultLimit, nil
	}
	raw := q.Get("limit")
	n, err := strconv.Atoi(raw)
	if err != nil || n < 1 || n > MaxLimit {
		return 0, fmt.Errorf("limit must be an integer from 1 to %d, got %q", MaxLimit, raw)
	}
	return n, nil
}

// parseFlag reads a boolean query parameter: true/false in any case, or 1/0;
// false when absent.
func parseFlag(q url.Values, name string) (bool, error) {
	if !q.Has(name) {
		return false, nil
	}
	raw := q.Get(name)
	switch strings.ToLower(raw) {
	case "true", "1":
		return true, nil
	case "false", "0":
		return false, nil
	}
	return false, fmt.Errorf("%s must be true or false, got %q", name, raw)
}

// limited returns at most n items of list.
func limited[T any](list []T, n int) []T {
	if len(list) > n {
		return list[:n]
	}
	return list
}
