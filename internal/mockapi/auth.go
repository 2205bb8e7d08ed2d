package mockapi

import (
	"net/http"
)

// authorized reports whether r carries valid credentials (see
// checkCredentials), and why not when it does not.
func (s *Server) authorized(r *http.Request) (bool, string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.checkCredentials(r)
}

func writeUnauthorized(w http.ResponseWriter, reason string) {
	w.Header().Set("WWW-Authenticate", `Bearer realm="agilicus"`)
	writeError(w, http.StatusUnauthorized, CodeUnauthorized, "%s", reason)
}
