package client

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/agilicus/terraform-provider-agilicus/internal/jws"
)

// AuthenticationDocument is a service account's authentication document,
// as the API returns it on creation: with its private key.
type AuthenticationDocument struct {
	ID        string
	UserID    string
	OrgID     string
	IssuerURL *url.URL
	// Expiry is when the document stops working; zero for never.
	Expiry time.Time
	key    *ecdsa.PrivateKey
	// pem is the key as given, a secret to keep out of logs.
	pem string
}

// documentJSON is the document's wire form.
type documentJSON struct {
	Metadata *struct {
		ID string `json:"id"`
	} `json:"metadata"`
	Spec *struct {
		UserID        string `json:"user_id"`
		OrgID         string `json:"org_id"`
		AuthIssuerURL string `json:"auth_issuer_url"`
		Expiry        string `json:"expiry"`
	} `json:"spec"`
	Status *struct {
		Key string `json:"key"`
	} `json:"status"`
}

// DocumentError is a malformed authentication document; Field names the
// part at fault, e.g. "status.key".
type DocumentError struct {
	Field  string
	Reason string
}

func (e *DocumentError) Error() string {
	if e.Field == "" {
		return "the authentication document " + e.Reason
	}
	return "the authentication document's " + e.Field + " " + e.Reason
}

// ParseAuthenticationDocument reads a document's JSON and checks every part
// the exchange needs, naming the field at fault.
func ParseAuthenticationDocument(data []byte) (*AuthenticationDocument, error) {
	var j documentJSON
	if err := json.Unmarshal(data, &j); err != nil {
		return nil, &DocumentError{Reason: "is not JSON (" + err.Error() + "): give the document as the API returned it on creation"}
	}
	switch {
	case j.Metadata == nil || strings.TrimSpace(j.Metadata.ID) == "":
		return nil, &DocumentError{Field: "metadata.id", Reason: "is missing"}
	case j.Spec == nil || strings.TrimSpace(j.Spec.AuthIssuerURL) == "":
		return nil, &DocumentError{Field: "spec.auth_issuer_url", Reason: "is missing: it says where to exchange the document for tokens"}
	case j.Spec.UserID == "":
		return nil, &DocumentError{Field: "spec.user_id", Reason: "is missing"}
	case j.Status == nil || strings.TrimSpace(j.Status.Key) == "":
		return nil, &DocumentError{Field: "status.key", Reason: "is missing: the API returns the private key only when the " +
			"document is created, so keep the document exactly as it was returned then"}
	}
	issuer, err := ParseBaseURL(j.Spec.AuthIssuerURL)
	if err != nil {
		return nil, &DocumentError{Field: "spec.auth_issuer_url", Reason: strings.TrimPrefix(err.Error(), "invalid API host ")}
	}
	key, err := parseECKey(j.Status.Key)
	if err != nil {
		return nil, &DocumentError{Field: "status.key", Reason: err.Error()}
	}
	doc := &AuthenticationDocument{ID: j.Metadata.ID, UserID: j.Spec.UserID, OrgID: j.Spec.OrgID, IssuerURL: issuer, key: key, pem: j.Status.Key}
	if j.Spec.Expiry != "" {
		if doc.Expiry, err = time.Parse(time.RFC3339, j.Spec.Expiry); err != nil {
			return nil, &DocumentError{Field: "spec.expiry", Reason: fmt.Sprintf("%q is not an RFC 3339 date-time", j.Spec.Expiry)}
		}
	}
	return doc, nil
}

// parseECKey reads a PEM EC P-256 private key, SEC 1 or PKCS #8.
func parseECKey(s string) (*ecdsa.PrivateKey, error) {
	block, _ := pem.Decode([]byte(s))
	if block == nil {
		return nil, errors.New("is not a PEM-encoded private key")
	}
	var key *ecdsa.PrivateKey
	if k, err := x509.ParseECPrivateKey(block.Bytes); err == nil {
		key = k
	} else if parsed, err := x509.ParsePKCS8PrivateKey(block.Bytes); err == nil {
		k, ok := parsed.(*ecdsa.PrivateKey)
		if !ok {
			return nil, fmt.Errorf("is a %T key, not an EC P-256 key", parsed)
		}
		key = k
	} else {
		return nil, errors.New("is not an EC private key")
	}
	if key.Curve != elliptic.P256() {
		return nil, fmt.Errorf("is an EC key on %s, not on P-256", key.Curve.Params().Name)
	}
	return key, nil
}

// Assertion claims, as Agilicus names them (not the registered aud, iss
// and exp).
const (
	assertionAudience  = "urn:api:agilicus:tokens"
	assertionIssuerFmt = "urn:agilicus:authentication_documents:%s"
	assertionLifetime  = time.Hour
	identityGrantType  = "urn:agilicus:params:oauth:grant-type:identity_statement"
)

// assertion is a fresh identity assertion: a JWT signed ES256 with the
// document's key.
func (d *AuthenticationDocument) assertion(now time.Time) (string, error) {
	claims := map[string]string{
		"audience": assertionAudience,
		"issuer":   fmt.Sprintf(assertionIssuerFmt, d.ID),
		"user_id":  d.UserID,
		"org_id":   d.OrgID,
		"expiry":   now.Add(assertionLifetime).UTC().Format(time.RFC3339),
	}
	return jws.SignES256(d.key, claims)
}

// DocumentCredentials exchange an authentication document for access
// tokens at its issuer, keep the current token, and get a new one before
// it expires: one exchange at a time, whatever the number of requests
// waiting for it.
type DocumentCredentials struct {
	doc    *AuthenticationDocument
	scopes []string
	http   *http.Client
	now    func() time.Time
	// onSecret is told every token and assertion made, so that loggers
	// can mask them.
	onSecret func(string)

	group     singleflight.Group
	exchanges atomic.Int64

	mu        sync.Mutex
	token     string
	refreshAt time.Time
}

// maxTokenAnswer bounds the issuer's answer.
const maxTokenAnswer = 1 << 20

// NewDocumentCredentials returns credentials for doc. timeout bounds one
// exchange; onSecret, when not nil, is told each token and assertion.
func NewDocumentCredentials(doc *AuthenticationDocument, scopes []string, timeout time.Duration, onSecret func(string)) *DocumentCredentials {
	if timeout <= 0 {
		timeout = DefaultRequestTimeout
	}
	if onSecret == nil {
		onSecret = func(string) {}
	}
	onSecret(doc.pem)
	return &DocumentCredentials{
		doc: doc, scopes: scopes, now: time.Now, onSecret: onSecret,
		http: &http.Client{Timeout: timeout, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }},
	}
}

// Exchanges is how many exchanges succeeded or failed so far.
func (d *DocumentCredentials) Exchanges() int64 { return d.exchanges.Load() }

func (d *DocumentCredentials) authorization(ctx context.Context) (string, error) {
	tok, err := d.current(ctx)
	if err != nil {
		return "", err
	}
	return "Bearer " + tok, nil
}

// current returns a token that is not about to expire, exchanging the
// document for a new one when needed.
func (d *DocumentCredentials) current(ctx context.Context) (string, error) {
	d.mu.Lock()
	tok, fresh := d.token, d.token != "" && d.now().Before(d.refreshAt)
	d.mu.Unlock()
	if fresh {
		return tok, nil
	}
	ch := d.group.DoChan("exchange", func() (any, error) {
		// Another caller may have finished an exchange meanwhile.
		d.mu.Lock()
		tok, fresh := d.token, d.token != "" && d.now().Before(d.refreshAt)
		d.mu.Unlock()
		if fresh {
			return tok, nil
		}
		return d.exchange(context.WithoutCancel(ctx))
	})
	select {
	case <-ctx.Done():
		return "", ctx.Err()
	case res := <-ch:
		if res.Err != nil {
			return "", res.Err
		}
		return res.Val.(string), nil //nolint:forcetypeassert // the only value the function returns
	}
}

// refreshMargin is how long before a token's exp a new one is fetched: a
// quarter of its lifetime, at most a minute, so that a request never
// leaves with a token about to expire on the way.
func refreshMargin(lifetime time.Duration) time.Duration {
	return min(time.Minute, lifetime/4)
}

// exchange gets a new access token at the issuer.
func (d *DocumentCredentials) exchange(ctx context.Context) (string, error) {
	d.exchanges.Add(1)
	start := d.now()
	if !d.doc.Expiry.IsZero() && !start.Before(d.doc.Expiry) {
		return "", fmt.Errorf("authentication document %s expired at %s: create a new one", d.doc.ID, d.doc.Expiry.UTC().Format(time.RFC3339))
	}
	assertion, err := d.doc.assertion(start)
	if err != nil {
		return "", fmt.Errorf("signing the identity assertion of authentication document %s: %w", d.doc.ID, err)
	}
	d.onSecret(assertion)
	form := url.Values{
		"grant_type":                 {identityGrantType},
		"authentication_document_id": {d.doc.ID},
		"identity_assertion":         {assertion},
	}
	if len(d.scopes) > 0 {
		form.Set("scope", strings.Join(d.scopes, " "))
	}
	tokenURL := strings.TrimRight(d.doc.IssuerURL.String(), "/") + "/token"
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, tokenURL, strings.NewReader(form.Encode()))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	req.Header.Set(authorizationHeader, "Bearer "+assertion)
	resp, err := d.http.Do(req)
	if err != nil {
		err = unwrapURLError(err)
		msg := fmt.Sprintf("exchanging authentication document %s at %s: %v", d.doc.ID, tokenURL, err)
		if h := hostHint(err); h != "" {
			msg += "; " + strings.Replace(h, checkHost, "check the document's spec.auth_issuer_url", 1)
		}
		return "", errors.New(msg)
	}
	defer func() { _ = resp.Body.Close() }()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxTokenAnswer+1))
	if err != nil {
		return "", fmt.Errorf("exchanging authentication document %s at %s: reading the answer: %w", d.doc.ID, tokenURL, err)
	}
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("the issuer at %s refused authentication document %s: %s: %s", tokenURL, d.doc.ID, resp.Status, quoteAnswer(data))
	}
	var answer struct {
		AccessToken string `json:"access_token"`
	}
	if len(data) > maxTokenAnswer || json.Unmarshal(data, &answer) != nil || answer.AccessToken == "" {
		return "", fmt.Errorf("the issuer at %s answered authentication document %s without an access token: %s", tokenURL, d.doc.ID, quoteAnswer(data))
	}
	d.onSecret(answer.AccessToken)
	refreshAt := start.Add(assertionLifetime) // a token without exp: until refused
	if exp, ok := jwtExpiry(answer.AccessToken); ok {
		refreshAt = exp.Add(-refreshMargin(exp.Sub(start)))
	}
	d.mu.Lock()
	d.token, d.refreshAt = answer.AccessToken, refreshAt
	d.mu.Unlock()
	return answer.AccessToken, nil
}

// quoteAnswer is the start of an answer, printable, for an error.
func quoteAnswer(data []byte) string {
	var em ErrorMessage
	if json.Unmarshal(data, &em) == nil && (em.ErrorCode != "" || em.ErrorMessage != "") {
		return strings.TrimPrefix(em.ErrorCode+": "+em.ErrorMessage, ": ")
	}
	if s := snippet(data); s != "" {
		return fmt.Sprintf("%q", s)
	}
	return "no body"
}

// refused drops the token the API refused, so that the replay of the
// request gets a new one.
func (d *DocumentCredentials) refused(header string) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	if header == "Bearer "+d.token {
		d.token = ""
	}
	return true
}

func (d *DocumentCredentials) refusal(string) string {
	return fmt.Sprintf("the access token of authentication document %s was refused, also right after a new exchange: "+
		"check that the document was not deleted (revoked) and that its user may do this", d.doc.ID)
}

func (d *DocumentCredentials) secrets() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	out := []string{d.doc.pem}
	if d.token != "" {
		out = append(out, d.token)
	}
	return out
}
