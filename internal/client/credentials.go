package client

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/agilicus/terraform-provider-agilicus/internal/jws"
)

// Credentials authorize requests to the API: a static bearer token, an
// API key sent with HTTP basic auth, or a service account's
// authentication document exchanged for short-lived tokens.
type Credentials interface {
	// authorization is the Authorization header value for the next
	// request.
	authorization(ctx context.Context) (string, error)
	// refused is called when the API answered 401 to a request sent with
	// header; it reports whether fresh credentials may be accepted, in
	// which case the request is sent once more.
	refused(header string) bool
	// refusal explains a 401 to a request sent with header.
	refusal(header string) string
	// secrets are the strings that must never reach a log line.
	secrets() []string
}

// BearerToken is a static access token.
type BearerToken string

func (t BearerToken) authorization(context.Context) (string, error) {
	return "Bearer " + string(t), nil
}
func (t BearerToken) refused(string) bool { return false }
func (t BearerToken) secrets() []string   { return []string{string(t)} }

// refusal says when a JWT access token expired, since a static token that
// outlives a long run is the usual reason for a 401.
func (t BearerToken) refusal(string) string {
	if exp, ok := jwtExpiry(string(t)); ok && !exp.After(time.Now()) {
		return fmt.Sprintf("the access token expired at %s; for runs longer than a token lives, configure "+
			"authentication_document instead, which gets new tokens as they are needed", exp.UTC().Format(time.RFC3339))
	}
	return "the access token was refused: check that it is valid and not expired"
}

// APIKey is an API key with the email address of its user, sent with
// HTTP basic auth.
type APIKey struct {
	User string
	Key  string
}

//nolint:unparam // Credentials: an exchange can fail, a key cannot.
func (k APIKey) authorization(context.Context) (string, error) {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(k.User+":"+k.Key)), nil
}
func (k APIKey) refused(string) bool { return false }
func (k APIKey) refusal(string) string {
	return fmt.Sprintf("the API key of %q was refused: check api_key and api_key_user, and that the key is not revoked or expired", k.User)
}
func (k APIKey) secrets() []string {
	return []string{k.Key, base64.StdEncoding.EncodeToString([]byte(k.User + ":" + k.Key))}
}

// jwtExpiry reads the exp claim of a JWT without checking its signature:
// only to time a refresh or explain a refusal, never to trust it.
func jwtExpiry(token string) (time.Time, bool) {
	var claims struct {
		Exp *json.Number `json:"exp"`
	}
	if jws.Claims(token, &claims) != nil || claims.Exp == nil {
		return time.Time{}, false
	}
	secs, err := claims.Exp.Float64()
	if err != nil {
		return time.Time{}, false
	}
	return time.Unix(int64(secs), 0), true
}

// authorizationHeader is the header name, kept in one place.
const authorizationHeader = "Authorization"

// setAuthorization authorizes hreq with creds and returns the header value.
func setAuthorization(ctx context.Context, creds Credentials, h http.Header) (string, error) {
	v, err := creds.authorization(ctx)
	if err != nil {
		return "", err
	}
	h.Set(authorizationHeader, v)
	return v, nil
}
