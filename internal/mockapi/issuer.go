package mockapi

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/subtle"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/agilicus/terraform-provider-agilicus/internal/jws"
)

// The mock's token issuer: authentication documents of service accounts,
// exchanged at POST /token for ES256 access tokens that expire, and API
// keys for HTTP basic auth. Besides them, the static token of Options
// stays valid, so tests and the demo need nothing else.

// DefaultTokenLifetime is how long an issued access token lives unless
// Options.TokenLifetime says otherwise.
const DefaultTokenLifetime = time.Hour

// Claims of identity assertions, as Agilicus names them.
const (
	assertionAudience   = "urn:api:agilicus:tokens"
	assertionIssuerPfx  = "urn:agilicus:authentication_documents:"
	identityGrantType   = "urn:agilicus:params:oauth:grant-type:identity_statement"
	codeInvalidGrant    = "INVALID_GRANT"
	codeTokenExpired    = "TOKEN_EXPIRED"
	codeDocumentMissing = "DOCUMENT_NOT_FOUND"
)

// authDocument is a stored authentication document: its public key only.
type authDocument struct {
	id, userID, orgID string
	public            *ecdsa.PublicKey
	expiry            time.Time
}

// issuer holds the issuer's key and what it issued.
type issuer struct {
	key       *ecdsa.PrivateKey
	lifetime  time.Duration
	docs      map[string]*authDocument
	apiKeys   map[string]string // key -> email
	exchanges int
	// issued are the access tokens made, and assertions the identity
	// assertions received, for tests that check that none leaks.
	issued     []string
	assertions []string
}

func newIssuer(lifetime time.Duration) *issuer {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		panic("mockapi: generating the issuer key: " + err.Error())
	}
	if lifetime <= 0 {
		lifetime = DefaultTokenLifetime
	}
	return &issuer{key: key, lifetime: lifetime, docs: map[string]*authDocument{}, apiKeys: map[string]string{}}
}

// AuthenticationDocumentSpec is what POST /v1/authentication_documents takes.
type AuthenticationDocumentSpec struct {
	UserID        string `json:"user_id"`
	OrgID         string `json:"org_id"`
	AuthIssuerURL string `json:"auth_issuer_url,omitempty"`
	Expiry        string `json:"expiry,omitempty"`
}

// AuthenticationDocument is a document as created, with its private key.
type AuthenticationDocument struct {
	Metadata MetadataWithID             `json:"metadata"`
	Spec     AuthenticationDocumentSpec `json:"spec"`
	Status   struct {
		Key string `json:"key,omitempty"`
	} `json:"status"`
}

// CreateAuthenticationDocument makes a document whose issuer is issuerURL
// (the mock's base URL) and returns it as the API does on creation, with
// its private key, which the mock does not keep. A zero expiry never
// expires.
func (s *Server) CreateAuthenticationDocument(issuerURL, userID, orgID string, expiry time.Time) AuthenticationDocument {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		panic("mockapi: generating a document key: " + err.Error())
	}
	der, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		panic("mockapi: encoding a document key: " + err.Error())
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	doc := &authDocument{id: s.newID(), userID: userID, orgID: orgID, public: &key.PublicKey, expiry: expiry}
	s.issuer.docs[doc.id] = doc
	var out AuthenticationDocument
	out.Metadata = MetadataWithID{ID: doc.id, Created: s.stamp()}
	out.Spec = AuthenticationDocumentSpec{UserID: userID, OrgID: orgID, AuthIssuerURL: strings.TrimRight(issuerURL, "/")}
	if !expiry.IsZero() {
		out.Spec.Expiry = expiry.UTC().Format(time.RFC3339)
	}
	out.Status.Key = string(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: der}))
	return out
}

// RevokeAuthenticationDocument deletes a document, as DELETE does; tokens
// issued for it stop working. It reports whether the document existed.
func (s *Server) RevokeAuthenticationDocument(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.issuer.docs[id]
	delete(s.issuer.docs, id)
	return ok
}

// CreateAPIKey makes an API key for the user with that email address.
func (s *Server) CreateAPIKey(email string) string {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		panic("mockapi: generating an API key: " + err.Error())
	}
	key := base64.RawURLEncoding.EncodeToString(b)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.issuer.apiKeys[key] = email
	return key
}

// TokenExchanges is how many documents were exchanged for tokens.
func (s *Server) TokenExchanges() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.issuer.exchanges
}

// createAuthenticationDocument serves POST /v1/authentication_documents.
func (s *Server) createAuthenticationDocument(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Spec AuthenticationDocumentSpec `json:"spec"`
	}
	if err := decodeObject(r, &in, false); err != nil {
		writeBadBody(w, err)
		return
	}
	if in.Spec.UserID == "" {
		writeError(w, http.StatusBadRequest, CodeInvalidBody, "spec.user_id is required")
		return
	}
	var expiry time.Time
	if in.Spec.Expiry != "" {
		var err error
		if expiry, err = time.Parse(time.RFC3339, in.Spec.Expiry); err != nil {
			writeError(w, http.StatusBadRequest, CodeInvalidBody, "spec.expiry %q is not an RFC 3339 date-time", in.Spec.Expiry)
			return
		}
	}
	writeJSON(w, http.StatusCreated, s.CreateAuthenticationDocument("http://"+r.Host, in.Spec.UserID, in.Spec.OrgID, expiry))
}

// deleteAuthenticationDocument serves DELETE /v1/authentication_documents/{id}.
func (s *Server) deleteAuthenticationDocument(w http.ResponseWriter, r *http.Request) {
	if !s.RevokeAuthenticationDocument(r.PathValue("document_id")) {
		writeError(w, http.StatusNotFound, codeDocumentMissing, "no authentication document %s", r.PathValue("document_id"))
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// createAPIKey serves POST /v1/api_keys: {"spec": {"email": ...}} gives
// {"spec": {...}, "status": {"api_key": ...}}, the key shown this once.
func (s *Server) createAPIKey(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Spec struct {
			Email string `json:"email"`
		} `json:"spec"`
	}
	if err := decodeObject(r, &in, false); err != nil || in.Spec.Email == "" {
		writeError(w, http.StatusBadRequest, CodeInvalidBody, "spec.email is required")
		return
	}
	key := s.CreateAPIKey(in.Spec.Email)
	writeJSON(w, http.StatusCreated, map[string]any{"spec": in.Spec, "status": map[string]string{"api_key": key}})
}

// exchangeToken serves POST /token: it checks the identity assertion
// against the document's public key, and issues an access token.
func (s *Server) exchangeToken(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		writeError(w, http.StatusBadRequest, codeInvalidGrant, "the body is not a form: %v", err)
		return
	}
	grant, docID, assertion := r.PostForm.Get("grant_type"), r.PostForm.Get("authentication_document_id"), r.PostForm.Get("identity_assertion")
	if grant != identityGrantType {
		writeError(w, http.StatusBadRequest, codeInvalidGrant, "grant_type must be %s", identityGrantType)
		return
	}
	if bearer, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); !ok || bearer != assertion {
		writeError(w, http.StatusBadRequest, codeInvalidGrant, "the Authorization header must carry the identity assertion")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.issuer.exchanges++
	s.issuer.assertions = append(s.issuer.assertions, assertion)
	doc, ok := s.issuer.docs[docID]
	if !ok {
		writeError(w, http.StatusBadRequest, codeInvalidGrant, "authentication document %s does not exist or was revoked", docID)
		return
	}
	now := s.now()
	if !doc.expiry.IsZero() && !now.Before(doc.expiry) {
		writeError(w, http.StatusBadRequest, codeInvalidGrant, "authentication document %s expired at %s", docID, doc.expiry.UTC().Format(time.RFC3339))
		return
	}
	var claims struct {
		Audience string `json:"audience"`
		Issuer   string `json:"issuer"`
		UserID   string `json:"user_id"`
		OrgID    string `json:"org_id"`
		Expiry   string `json:"expiry"`
	}
	if err := jws.VerifyES256(assertion, doc.public, &claims); err != nil {
		writeError(w, http.StatusBadRequest, codeInvalidGrant, "the identity assertion: %v", err)
		return
	}
	expiry, err := time.Parse(time.RFC3339, claims.Expiry)
	switch {
	case claims.Audience != assertionAudience:
		err = fmt.Errorf("audience is %q, want %q", claims.Audience, assertionAudience)
	case claims.Issuer != assertionIssuerPfx+docID:
		err = fmt.Errorf("issuer is %q, want %q", claims.Issuer, assertionIssuerPfx+docID)
	case claims.UserID != doc.userID || claims.OrgID != doc.orgID:
		err = errors.New("user_id and org_id do not match the document")
	case err != nil:
		err = fmt.Errorf("expiry %q is not an RFC 3339 date-time", claims.Expiry)
	case !now.Before(expiry):
		err = fmt.Errorf("it expired at %s", claims.Expiry)
	}
	if err != nil {
		writeError(w, http.StatusBadRequest, codeInvalidGrant, "the identity assertion: %v", err)
		return
	}
	token, err := s.issueLocked(doc, r.PostForm.Get("scope"))
	if err != nil {
		writeError(w, http.StatusInternalServerError, "INTERNAL", "signing a token: %v", err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"access_token": token, "token_type": "bearer", "expires_in": int64(s.issuer.lifetime.Seconds()),
	})
}

// issueLocked makes an access token for doc; s.mu is held.
func (s *Server) issueLocked(doc *authDocument, scope string) (string, error) {
	now := s.now()
	// exp is in whole seconds: rounded up, so that a token lives at least
	// its lifetime.
	exp := now.Add(s.issuer.lifetime + time.Second - 1).Unix()
	token, err := jws.SignES256(s.issuer.key, map[string]any{
		"sub": doc.userID, "org": doc.orgID, "doc": doc.id, "scope": scope,
		"iat": now.Unix(), "exp": exp,
	})
	if err == nil {
		s.issuer.issued = append(s.issuer.issued, token)
	}
	return token, err
}

// IssueAccessToken makes an access token for a document without an
// exchange, as another tool that minted a token would hand one over.
func (s *Server) IssueAccessToken(docID string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	doc, ok := s.issuer.docs[docID]
	if !ok {
		return "", fmt.Errorf("no authentication document %s", docID)
	}
	return s.issueLocked(doc, "")
}

// IssuedSecrets are the access tokens the issuer made and the identity
// assertions it received so far.
func (s *Server) IssuedSecrets() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append(append([]string(nil), s.issuer.issued...), s.issuer.assertions...)
}

// checkCredentials checks a request's Authorization header: the static
// token, an issued token of a document not revoked and not expired, or an
// API key. Called with s.mu held. The reason says why a request is turned
// away.
func (s *Server) checkCredentials(r *http.Request) (bool, string) {
	header := r.Header.Get("Authorization")
	if user, key, ok := r.BasicAuth(); ok {
		if email, found := s.issuer.apiKeys[key]; found && subtle.ConstantTimeCompare([]byte(email), []byte(user)) == 1 {
			return true, ""
		}
		return false, "the API key and user are not valid"
	}
	scheme, token, ok := strings.Cut(header, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return false, "a valid bearer token is required (Authorization: Bearer <token>)"
	}
	token = strings.TrimSpace(token)
	if subtle.ConstantTimeCompare([]byte(token), []byte(s.token)) == 1 {
		return true, ""
	}
	var claims struct {
		Doc string `json:"doc"`
		Exp int64  `json:"exp"`
	}
	if jws.VerifyES256(token, &s.issuer.key.PublicKey, &claims) != nil {
		return false, "a valid bearer token is required (Authorization: Bearer <token>)"
	}
	if exp := time.Unix(claims.Exp, 0); !s.now().Before(exp) {
		return false, "the access token expired at " + exp.UTC().Format(time.RFC3339)
	}
	if _, ok := s.issuer.docs[claims.Doc]; !ok {
		return false, "the access token's authentication document was revoked"
	}
	return true, ""
}
