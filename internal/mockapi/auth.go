package mockapi

import (
	"crypto/subtle"
	"net/http"
	"strings"
)

// authorized reports whether r carries "Authorization: Bearer <token>". The
// scheme is matched case-insensitively (RFC 7235); the token exactly.
func (s *Server) authorized(r *http.Request) bool {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(strings.TrimSpace(token)), []byte(s.token)) == 1
}

func writeUnauthorized(w http.ResponseWriter) {
	w.Header().Set("WWW-Authenticate", `Bearer realm="agilicus"`)
	writeError(w, http.StatusUnauthorized, CodeUnauthorized,
		"a valid bearer token is required (Authorization: Bearer <token>)")
}
