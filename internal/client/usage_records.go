package client

import (
	"context"
	"net/http"
	"net/url"
)

// ListUsageRecords lists an account's usage summaries, up to limit (1..500;
// 0 uses the server default).
func (c *Client) ListUsageRecords(ctx context.Context, accountID string, limit int) (*ListBillingUsageRecordsResponse, error) {
	path, err := accountPath(idSeg("billing account id", accountID), lit("usage_records"))
	if err != nil {
		return nil, err
	}
	q := url.Values{}
	if err := setLimit(q, limit); err != nil {
		return nil, err
	}
	var out ListBillingUsageRecordsResponse
	if err := c.do(ctx, request{method: http.MethodGet, path: path, query: q, idempotent: true}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// AddUsageRecord asks the server to compute and record usage for an account.
// With dryRun the server computes the record without storing it, so the call
// is safe to repeat; without it the call is not idempotent and is retried
// only when the server certainly did not act.
func (c *Client) AddUsageRecord(ctx context.Context, accountID string, dryRun bool) (*BillingUsageRecord, error) {
	path, err := accountPath(idSeg("billing account id", accountID), lit("usage_records"))
	if err != nil {
		return nil, err
	}
	var out BillingUsageRecord
	req := request{method: http.MethodPost, path: path, body: usageRecordRequest{DryRun: dryRun}, idempotent: dryRun}
	if err := c.do(ctx, req, &out); err != nil {
		return nil, err
	}
	return &out, nil
}
