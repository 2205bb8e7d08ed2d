package mockapi

import (
	"bytes"
	"encoding/json"
	"strconv"
)

// The extra keys of a spec go back to the client exactly as it sent them,
// whitespace included. encoding/json cannot write such a value inside a
// document: it compacts (and may re-escape) whatever a json.RawMessage or a
// MarshalJSON method returns, and indenting reformats it again. So documents
// holding specs are written in two steps: encoding/json writes the document
// with a placeholder string where each spec goes, then splice replaces every
// placeholder with the spec's own bytes.

// heldPrefix starts a placeholder. It begins with the escape \/, which
// encoding/json never writes in a string it encodes itself, so no string of
// the document (an org name, a customer id) can look like a placeholder.
const heldPrefix = `"\/held\/`

// splicer collects the values held out of one document.
type splicer struct{ held [][]byte }

// hold returns the placeholder to encode in place of raw.
func (sp *splicer) hold(raw []byte) json.RawMessage {
	sp.held = append(sp.held, raw)
	return json.RawMessage(heldPrefix + strconv.Itoa(len(sp.held)-1) + `"`)
}

// splice returns doc with every placeholder replaced by its held value. The
// document is scanned once, before any value is put in, so a held value that
// happens to contain placeholder-like text is never replaced itself.
func (sp *splicer) splice(doc []byte) []byte {
	if len(sp.held) == 0 {
		return doc
	}
	out := make([]byte, 0, len(doc))
	for {
		i := bytes.Index(doc, []byte(heldPrefix))
		if i < 0 {
			return append(out, doc...)
		}
		rest := doc[i+len(heldPrefix):]
		end := bytes.IndexByte(rest, '"')
		n, err := strconv.Atoi(string(rest[:end]))
		if err != nil || n >= len(sp.held) {
			panic("mockapi: splice: malformed placeholder")
		}
		out = append(out, doc[:i]...)
		out = append(out, sp.held[n]...)
		doc = rest[end+1:]
	}
}

// holder is a response body that contains specs: it gives the document to
// encode in its place, with the specs held out by sp.
type holder interface {
	withHeld(sp *splicer) any
}

// encodeDocument encodes v compactly, HTML characters unescaped, with a
// final newline, writing the specs of a holder exactly as stored.
func encodeDocument(v any) ([]byte, error) {
	sp := &splicer{}
	if h, ok := v.(holder); ok {
		v = h.withHeld(sp)
	}
	return sp.encode(v, "")
}

// encode encodes v, whose held values came from sp, indented by indent when
// it is not empty, and splices the held values in.
func (sp *splicer) encode(v any, indent string) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if indent != "" {
		enc.SetIndent("", indent)
	}
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return sp.splice(buf.Bytes()), nil
}

// appendCompact appends the JSON encoding of a string or a bool, with HTML
// characters unescaped like the rest of the mock's answers.
func appendCompact(dst []byte, v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic("mockapi: encoding " + err.Error())
	}
	return append(dst, bytes.TrimSuffix(buf.Bytes(), []byte("\n"))...)
}

// accountDocument is BillingAccount as written on the wire, its spec held.
type accountDocument struct {
	Metadata MetadataWithID       `json:"metadata"`
	Spec     json.RawMessage      `json:"spec"`
	Status   BillingAccountStatus `json:"status"`
}

func (a BillingAccount) withHeld(sp *splicer) any { return a.document(sp) }

func (a BillingAccount) document(sp *splicer) accountDocument {
	return accountDocument{Metadata: a.Metadata, Spec: sp.hold(a.Spec.encode()), Status: a.Status}
}

// accountListDocument is ListBillingAccountsResponse as written on the wire.
type accountListDocument struct {
	Limit           int               `json:"limit"`
	BillingAccounts []accountDocument `json:"billing_accounts"`
	PageAtID        *string           `json:"page_at_id,omitempty"`
	PreviousID      *string           `json:"previous_id,omitempty"`
}

func (l ListBillingAccountsResponse) withHeld(sp *splicer) any {
	doc := accountListDocument{
		Limit:           l.Limit,
		BillingAccounts: make([]accountDocument, 0, len(l.BillingAccounts)),
		PageAtID:        l.PageAtID,
		PreviousID:      l.PreviousID,
	}
	for _, a := range l.BillingAccounts {
		doc.BillingAccounts = append(doc.BillingAccounts, a.document(sp))
	}
	return doc
}
