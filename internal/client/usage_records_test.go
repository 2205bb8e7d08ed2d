package client

import (
	"errors"
	"net/http"
	"testing"
)

func TestUsageRecordEndpoints(t *testing.T) {
	c, srv := newMockClient(t)
	ctx := t.Context()
	a, err := c.CreateBillingAccount(ctx, BillingAccountSpec{CustomerID: "cus_u"})
	if err != nil {
		t.Fatal(err)
	}
	preview, err := c.AddUsageRecord(ctx, a.ID(), true)
	if err != nil || len(preview.Records) != 1 || preview.Records[0].Quantity == nil || preview.Records[0].Timestamp == nil {
		t.Fatalf("preview: %+v, %v", preview, err)
	}
	if n := len(srv.UsageRecords(a.ID())); n != 0 {
		t.Fatalf("a dry run stored %d records", n)
	}
	rec, err := c.AddUsageRecord(ctx, a.ID(), false)
	if err != nil || len(rec.Records) != 1 || rec.Records[0].Quantity == nil || rec.NothingToRecord {
		t.Fatalf("record: %+v, %v", rec, err)
	}
	if n := len(srv.UsageRecords(a.ID())); n != 1 {
		t.Fatalf("stored %d records, want 1", n)
	}
	list, err := c.ListUsageRecords(ctx, a.ID(), 0)
	if err != nil || list.Limit != 500 || len(list.UsageRecords) != 1 || list.UsageRecords[0].TotalUsage == nil ||
		list.UsageRecords[0].Period == "" || list.UsageRecords[0].ID == "" {
		t.Fatalf("list: %+v, %v", list, err)
	}
	_, err = c.ListUsageRecords(ctx, "missing", 0)
	mustStatus(t, err, http.StatusNotFound)
	_, err = c.AddUsageRecord(ctx, "missing", true)
	mustStatus(t, err, http.StatusNotFound)
}

// Recording usage understands every answer shape the API versions send.
func TestUsageRecordAnswerShapes(t *testing.T) {
	tests := []struct {
		name       string
		answer     func(http.ResponseWriter, *http.Request)
		quantities []int64
		nothing    bool
	}{
		{"single record (older API)", jsonBody(201, `{"dry_run":false,"quantity":3,"timestamp":1764000000}`), []int64{3}, false},
		{"record list (newer API)", jsonBody(201, `{"dry_run":false,"usage_records":[{"quantity":2,"timestamp":1},{"quantity":5,"timestamp":2}]}`), []int64{2, 5}, false},
		{"empty record list", jsonBody(201, `{"dry_run":false,"usage_records":[]}`), nil, false},
		{"204 no content", status(http.StatusNoContent), nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := newScriptedClient(t, 0, tt.answer)
			res, err := c.AddUsageRecord(t.Context(), "acc1", false)
			if err != nil {
				t.Fatal(err)
			}
			if res.NothingToRecord != tt.nothing || len(res.Records) != len(tt.quantities) {
				t.Fatalf("got %+v", res)
			}
			for i, q := range tt.quantities {
				if res.Records[i].Quantity == nil || *res.Records[i].Quantity != q {
					t.Fatalf("record %d: %+v, want quantity %d", i, res.Records[i], q)
				}
			}
		})
	}
	for _, body := range []string{`[1,2]`, `{"usage_records":{"quantity":1}}`, `"recorded"`} {
		c, _ := newScriptedClient(t, 0, jsonBody(201, body))
		_, err := c.AddUsageRecord(t.Context(), "acc1", false)
		var ue *UnexpectedAnswerError
		if !errors.As(err, &ue) || !MayHaveActed(err) {
			t.Errorf("answer %s: got %v, want an unexpected-answer error that may have acted", body, err)
		}
	}
}
