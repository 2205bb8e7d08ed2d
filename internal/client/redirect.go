package client

import (
	"fmt"
	"net/http"
	"strings"
)

// maxRedirects is how many redirects within the configured host are followed.
const maxRedirects = 5

// checkRedirect follows a redirect only to the host the request went to and
// never from https to http: the bearer token goes to the configured host
// alone, and never in clear text. A redirect it refuses is handed back as
// the 3xx answer itself, which do reports as a RedirectError.
func checkRedirect(req *http.Request, via []*http.Request) error {
	first := via[0].URL
	switch {
	case !strings.EqualFold(req.URL.Host, first.Host):
		return http.ErrUseLastResponse
	case first.Scheme == "https" && req.URL.Scheme != "https":
		return http.ErrUseLastResponse
	case len(via) > maxRedirects:
		return http.ErrUseLastResponse
	}
	return nil
}

// RedirectError is a redirect the client did not follow.
type RedirectError struct {
	Method     string
	URL        string
	StatusCode int
	// Location is where the server redirected to, without its query.
	Location string
}

func (e *RedirectError) Error() string {
	return fmt.Sprintf("%s %s: %d redirect to %q not followed: the access token is sent only to the configured host, "+
		"over https; set the provider's host to the API's final address", e.Method, e.URL, e.StatusCode, e.Location)
}

// redirectLocation is the Location of a 3xx answer, reduced to scheme, host
// and path so that no query parameter (which may hold a secret) is quoted.
func redirectLocation(resp *http.Response) string {
	loc, err := resp.Location()
	if err != nil {
		return resp.Header.Get("Location")
	}
	return loc.Scheme + "://" + loc.Host + loc.EscapedPath()
}
