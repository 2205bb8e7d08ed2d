package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
)

// ListUsageRecords lists an account's usage summaries, up to limit (0: all
// of them). Like ListBillingAccountOrgs, it follows page cursors should the
// API send them.
func (c *Client) ListUsageRecords(ctx context.Context, accountID string, limit int) (*ListBillingUsageRecordsResponse, error) {
	path, err := accountPath(idSeg("billing account id", accountID), lit("usage_records"))
	if err != nil {
		return nil, err
	}
	records, echoed, err := collectPages(ctx, c, path, limit, func(p *ListBillingUsageRecordsResponse) ([]BillingUsageSummary, int, string) {
		return p.UsageRecords, p.Limit, p.PageAtID
	})
	if err != nil {
		return nil, err
	}
	return &ListBillingUsageRecordsResponse{Limit: echoed, UsageRecords: records}, nil
}

// AddUsageRecord asks the server to compute and record usage for an account.
// With dryRun the server computes the records without storing them, so the
// call is safe to repeat; without it the call is not idempotent and is
// retried only when the server certainly did not act.
//
// The answer comes in one of three shapes, depending on the API version: a
// single BillingUsageRecord (older versions), a CreateBillingUsageRecords
// holding a list of records, or 204 No Content when there was nothing to
// record.
func (c *Client) AddUsageRecord(ctx context.Context, accountID string, dryRun bool) (*UsageRecordResult, error) {
	path, err := accountPath(idSeg("billing account id", accountID), lit("usage_records"))
	if err != nil {
		return nil, err
	}
	var raw json.RawMessage
	req := request{method: http.MethodPost, path: path, url: c.urlOf(path), body: usageRecordRequest{DryRun: dryRun}, idempotent: dryRun}
	status, err := c.do(ctx, req, &raw)
	if err != nil {
		return nil, err
	}
	if status == http.StatusNoContent {
		return &UsageRecordResult{NothingToRecord: true, Records: []BillingUsageRecord{}}, nil
	}
	records, err := decodeUsageRecords(raw)
	if err != nil {
		return nil, &UnexpectedAnswerError{Method: req.method, URL: req.url, StatusCode: status,
			Snippet: snippet(raw), Reason: "the body is not a usage record: " + err.Error()}
	}
	return &UsageRecordResult{Records: records}, nil
}

// usageRecordsAnswer is the CreateBillingUsageRecords shape of newer API
// versions.
type usageRecordsAnswer struct {
	UsageRecords *[]BillingUsageRecord `json:"usage_records"`
}

// decodeUsageRecords reads either answer shape: an object with a
// usage_records list, or a single record at the top level.
func decodeUsageRecords(raw json.RawMessage) ([]BillingUsageRecord, error) {
	if !bytes.HasPrefix(bytes.TrimSpace(raw), []byte("{")) {
		return nil, errNotAnObject
	}
	var list usageRecordsAnswer
	if err := json.Unmarshal(raw, &list); err != nil {
		return nil, err
	}
	if list.UsageRecords != nil {
		return *list.UsageRecords, nil
	}
	var one BillingUsageRecord
	if err := json.Unmarshal(raw, &one); err != nil {
		return nil, err
	}
	return []BillingUsageRecord{one}, nil
}

// errNotAnObject is a usage-record answer that is not a JSON object.
var errNotAnObject = errors.New("expected a JSON object")
