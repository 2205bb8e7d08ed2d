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
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
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

// main.go serves with providerserver.Serve, whose default protocol is 6.
// The provider must build as a protocol 6 server and answer a schema
// request there, and main.go must not ask Serve for another protocol.
func TestProviderServesProtocol6(t *testing.T) {
	server, err := providerserver.NewProtocol6WithError(provider.New("test")())()
	if err != nil {
		t.Fatalf("building the protocol 6 server: %v", err)
	}
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
	serveOpts := 0
	ast.Inspect(file, func(n ast.Node) bool {
		lit, ok := n.(*ast.CompositeLit)
		if !ok || !isSelector(lit.Type, "providerserver", "ServeOpts") {
			return true
		}
		serveOpts++
		for _, elt := range lit.Elts {
			if kv, ok := elt.(*ast.KeyValueExpr); ok {
				if id, ok := kv.Key.(*ast.Ident); ok && id.Name == "ProtocolVersion" {
					t.Errorf("main.go sets ServeOpts.ProtocolVersion (%s); serve the default, protocol 6, to match the manifest",
						fset.Position(kv.Pos()))
				}
			}
		}
		return true
	})
	if serveOpts != 1 {
		t.Errorf("main.go has %d providerserver.ServeOpts literals, want 1", serveOpts)
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
