package provider

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/resource"
)

// TestDocsCoverEveryType checks that every resource, list resource, action
// and data source the provider serves has its own documentation template
// and example, and that
// the import examples of a resource match whether it can be imported: a
// resource that refuses import must not show an import example, and one
// that accepts it must show both the command and the import block.
func TestDocsCoverEveryType(t *testing.T) {
	root := moduleRoot(t)
	ctx := t.Context()
	p := New("test")()

	// refusesImport names the resources whose ImportState always fails.
	refusesImport := map[string]bool{"agilicus_billing_usage_record": true}

	for _, newResource := range p.Resources(ctx) {
		r := newResource()
		var meta resource.MetadataResponse
		r.Metadata(ctx, resource.MetadataRequest{ProviderTypeName: "agilicus"}, &meta)
		name := meta.TypeName
		t.Run("resource/"+name, func(t *testing.T) {
			short := strings.TrimPrefix(name, "agilicus_")
			mustExist(t, filepath.Join(root, "templates", "resources", short+".md.tmpl"))
			examples := filepath.Join(root, "examples", "resources", name)
			mustExist(t, filepath.Join(examples, "resource.tf"))

			importer, importable := r.(resource.ResourceWithImportState)
			if importable && refusesImport[name] {
				// Keep the list honest: the resource must really refuse.
				var resp resource.ImportStateResponse
				importer.ImportState(ctx, resource.ImportStateRequest{ID: "any"}, &resp)
				if !resp.Diagnostics.HasError() {
					t.Fatalf("%s is listed as refusing import but accepted id %q", name, "any")
				}
				importable = false
			}
			for _, f := range []string{"import.sh", "import-by-string-id.tf"} {
				_, err := os.Stat(filepath.Join(examples, f))
				switch {
				case importable && err != nil:
					t.Errorf("%s can be imported but %s is missing: %v", name, f, err)
				case !importable && err == nil:
					t.Errorf("%s cannot be imported but has %s", name, f)
				}
			}
		})
	}

	agilicus, ok := p.(*AgilicusProvider)
	if !ok {
		t.Fatalf("New returned a %T", p)
	}
	// The other types need a template and an example named after the type;
	// only the example's file name differs between kinds.
	type documented struct{ kind, name, example string }
	var others []documented
	for _, newList := range agilicus.ListResources(ctx) {
		var meta resource.MetadataResponse
		newList().Metadata(ctx, resource.MetadataRequest{ProviderTypeName: "agilicus"}, &meta)
		others = append(others, documented{"list-resources", meta.TypeName, "list-resource.tfquery.hcl"})
	}
	for _, newAction := range agilicus.Actions(ctx) {
		var meta action.MetadataResponse
		newAction().Metadata(ctx, action.MetadataRequest{ProviderTypeName: "agilicus"}, &meta)
		others = append(others, documented{"actions", meta.TypeName, "action.tf"})
	}
	for _, newDataSource := range p.DataSources(ctx) {
		var meta datasource.MetadataResponse
		newDataSource().Metadata(ctx, datasource.MetadataRequest{ProviderTypeName: "agilicus"}, &meta)
		others = append(others, documented{"data-sources", meta.TypeName, "data-source.tf"})
	}
	for _, d := range others {
		t.Run(d.kind+"/"+d.name, func(t *testing.T) {
			short := strings.TrimPrefix(d.name, "agilicus_")
			mustExist(t, filepath.Join(root, "templates", d.kind, short+".md.tmpl"))
			mustExist(t, filepath.Join(root, "examples", d.kind, d.name, d.example))
		})
	}
}

func mustExist(t *testing.T, path string) {
	t.Helper()
	if _, err := os.Stat(path); err != nil {
		t.Errorf("missing %s: %v", path, err)
	}
}

// TestDocsLinkEveryGuide checks that each guide the registry renders from
// templates/guides is linked from the provider's index page and from the
// README, so that no guide is published where nobody finds it.
func TestDocsLinkEveryGuide(t *testing.T) {
	root := moduleRoot(t)
	templates, err := filepath.Glob(filepath.Join(root, "templates", "guides", "*.md.tmpl"))
	if err != nil || len(templates) == 0 {
		t.Fatalf("no guide templates under templates/guides (%v)", err)
	}
	index, err := os.ReadFile(filepath.Join(root, "templates", "index.md.tmpl"))
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tmpl := range templates {
		name := strings.TrimSuffix(filepath.Base(tmpl), ".tmpl")
		mustExist(t, filepath.Join(root, "docs", "guides", name))
		if !strings.Contains(string(index), "(guides/"+name+")") {
			t.Errorf("templates/index.md.tmpl does not link guides/%s", name)
		}
		if !strings.Contains(string(readme), "(docs/guides/"+name+")") {
			t.Errorf("README.md does not link docs/guides/%s", name)
		}
	}
}
