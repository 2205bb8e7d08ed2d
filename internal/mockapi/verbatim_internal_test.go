package mockapi

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"
)

// The wire documents mirror the public types field for field: apart from
// whitespace inside spec values, an answer must read the same as
// encoding/json's encoding of the public type.
func TestWireDocumentsMatchPublicTypes(t *testing.T) {
	account := BillingAccount{
		Metadata: MetadataWithID{ID: "a1", Created: time.Unix(1, 0).UTC(), Updated: time.Unix(2, 0).UTC()},
		Spec: BillingAccountSpec{CustomerID: ptr("c<1>"), Extra: map[string]json.RawMessage{
			"x":    json.RawMessage(`{ "b": [1,  2], "a": "<&>" }`),
			"trap": json.RawMessage(`"\/held\/0"`),
		}},
		Status: BillingAccountStatus{
			Orgs:          []Organisation{{ID: "o1", Organisation: `\/held\/0 "\/held\/0"`}},
			Products:      []BillingProduct{{Name: "p"}},
			Subscriptions: []map[string]any{{"id": "sub_1"}},
			Customer:      &BillingCustomer{Name: "n"},
		},
	}
	list := ListBillingAccountsResponse{Limit: 3, BillingAccounts: []BillingAccount{account, {}}, PageAtID: ptr("a2"), PreviousID: ptr("")}
	for name, v := range map[string]any{
		"account":    account,
		"list":       list,
		"empty list": ListBillingAccountsResponse{Limit: 1},
	} {
		t.Run(name, func(t *testing.T) {
			var want bytes.Buffer
			enc := json.NewEncoder(&want)
			enc.SetEscapeHTML(false)
			if err := enc.Encode(v); err != nil {
				t.Fatal(err)
			}
			got := mustMarshal(v)
			if !json.Valid(got) {
				t.Fatalf("invalid JSON: %s", got)
			}
			var compact bytes.Buffer
			if err := json.Compact(&compact, got); err != nil {
				t.Fatal(err)
			}
			wantText := want.String()
			if name == "empty list" {
				// The public type encodes a nil list as null; answers
				// always carry a list.
				wantText = `{"limit":1,"billing_accounts":[]}` + "\n"
			}
			if compact.String()+"\n" != wantText {
				t.Errorf("answer  %s\npublic  %s", compact.String(), wantText)
			}
		})
	}
	if got := mustMarshal(account); !bytes.Contains(got, []byte(`"x":{ "b": [1,  2], "a": "<&>" }`)) {
		t.Errorf("spec value not written as stored: %s", got)
	}
}

func TestSpliceLeavesOtherTextAlone(t *testing.T) {
	sp := &splicer{}
	doc := []byte(`{"a":` + string(sp.hold([]byte(`"\/held\/1"`))) + `,"b":` + string(sp.hold([]byte(`[ 1 ]`))) + `}`)
	if got := string(sp.splice(doc)); got != `{"a":"\/held\/1","b":[ 1 ]}` {
		t.Errorf("splice = %s", got)
	}
	empty := &splicer{}
	if got := string(empty.splice([]byte(`{"a":"\/held\/0"}`))); got != `{"a":"\/held\/0"}` {
		t.Errorf("splice without held values = %s", got)
	}
}
