package main

import (
	"bytes"
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"maps"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/agilicus/terraform-provider-agilicus/internal/provider"
)

// The registry reads terraform-registry-manifest.json to learn which plugin
// protocol the released binaries speak. It must say 6.0, the protocol
// main.go serves.
func TestRegistryManifestDeclaresProtocol6(t *testing.T) {
	data, err := os.ReadFile("terraform-registry-manifest.json")
	if err != nil {
		t.Fatal(err)
	}
	var manifest struct {
		Version  int `json:"version"`
		Metadata struct {
			ProtocolVersions []string `json:"protocol_versions"`
		} `json:"metadata"`
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&manifest); err != nil {
		t.Fatalf("terraform-registry-manifest.json: %v", err)
	}
	if manifest.Version != 1 {
		t.Errorf("manifest version = %d, want 1", manifest.Version)
	}
	if want := []string{"6.0"}; !slices.Equal(manifest.Metadata.ProtocolVersions, want) {
		t.Errorf("protocol_versions = %q, want %q", manifest.Metadata.ProtocolVersions, want)
	}
}

// main.go serves protocol 6 with tf6server.Serve. The provider must build
// as a protocol 6 server and answer a schema request there, and main.go
// must not serve protocol 5.
func TestProviderServesProtocol6(t *testing.T) {
	server := provider.NewProtocol6Server("test")()
	resp, err := server.GetProviderSchema(t.Context(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range resp.Diagnostics {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			t.Errorf("schema diagnostic: %s: %s", d.Summary, d.Detail)
		}
	}
	if _, ok := resp.ResourceSchemas["agilicus_billing_account"]; !ok {
		t.Errorf("protocol 6 schema has no agilicus_billing_account; resources: %v", slices.Sorted(maps.Keys(resp.ResourceSchemas)))
	}

	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, "main.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, imp := range file.Imports {
		if strings.Contains(imp.Path.Value, "tf5server") || strings.Contains(imp.Path.Value, "tfprotov5") {
			t.Errorf("main.go imports %s; it must serve protocol 6 only, as the manifest says", imp.Path.Value)
		}
	}
	serves := 0
	ast.Inspect(file, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok && isSelector(call.Fun, "tf6server", "Serve") {
			serves++
		}
		return true
	})
	if serves != 1 {
		t.Errorf("main.go calls tf6server.Serve %d times, want 1", serves)
	}
}

func isSelector(e ast.Expr, pkg, name string) bool {
	sel, ok := e.(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != name {
		return false
	}
	id, ok := sel.X.(*ast.Ident)
	return ok && id.Name == pkg
}
