package mockapi

import (
	"os"
	"regexp"
	"slices"
	"testing"
)

// TestRoutesDocumentedInThePackageDoc keeps the route table of doc.go, which
// users of the mock read in its Go documentation, the same as the routes the
// server registers: a route added to apiRoutes without its line there, or a
// line left behind, fails here.
func TestRoutesDocumentedInThePackageDoc(t *testing.T) {
	doc, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	line := regexp.MustCompile(`(?m)^//\t(GET|POST|PUT|DELETE)\s+(/\S+)\s+[0-9 ]+$`)
	var documented []string
	for _, m := range line.FindAllSubmatch(doc, -1) {
		documented = append(documented, string(m[1])+" "+string(m[2]))
	}
	s := New(Options{Token: "doc-test"})
	var served []string
	for _, r := range append(s.apiRoutes(), s.issuerRoutes()...) {
		served = append(served, r.method+" "+r.path)
	}
	slices.Sort(documented)
	slices.Sort(served)
	if !slices.Equal(documented, served) {
		t.Fatalf("doc.go lists the routes\n  %v\nthe server serves\n  %v", documented, served)
	}
}
