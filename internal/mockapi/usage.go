package mockapi

import (
	"cmp"
	"net/http"
	"slices"
	"time"
)

func (s *Server) listUsageRecords(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("billing_account_id")
	limit, err := parseLimit(r.URL.Query())
	if err != nil {
		writeBadQuery(w, err)
		return
	}
	s.respond(w, func() reply {
		a, ok := s.store.accounts[id]
		if !ok {
			return accountNotFound(id)
		}
		return reply{http.StatusOK, ListBillingUsageRecordsResponse{
			Limit:        limit,
			UsageRecords: limited(summarise(a.id, a.usage), limit),
		}}
	})
}

func (s *Server) addUsageRecord(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("billing_account_id")
	if s.Behaviour().later() {
		s.addUsageRecords(w, r, id)
		return
	}
	// quantity and timestamp are read-only: decoded only to type-check them.
	var in BillingUsageRecord
	if err := decodeObject(r, &in, false); err != nil {
		writeBadBody(w, err)
		return
	}
	s.respond(w, func() reply {
		a, ok := s.store.accounts[id]
		if !ok {
			return accountNotFound(id)
		}
		rec := UsageRecord{
			Quantity:  int64(len(s.store.attachedOrgs(id))),
			Timestamp: s.now().Unix(),
		}
		if !in.DryRun {
			a.usage = append(a.usage, rec)
		}
		return reply{http.StatusCreated, BillingUsageRecord{
			DryRun:    in.DryRun,
			Quantity:  rec.Quantity,
			Timestamp: rec.Timestamp,
		}}
	})
}

// addUsageRecords creates usage records as generation 1.405.8 does: one
// record per subscription of the customer, each counting the attached orgs,
// or nothing (204) when the account has no customer id, and so no
// subscription, or no attached org, and so no active resource. A dry run
// answers the same but stores nothing.
func (s *Server) addUsageRecords(w http.ResponseWriter, r *http.Request, id string) {
	// The records a client sends are read-only: decoded only to type-check
	// them.
	var in struct {
		DryRun       bool                 `json:"dry_run"`
		UsageRecords []BillingUsageRecord `json:"usage_records"`
	}
	if err := decodeObject(r, &in, false); err != nil {
		writeBadBody(w, err)
		return
	}
	s.respond(w, func() reply {
		a, ok := s.store.accounts[id]
		if !ok {
			return accountNotFound(id)
		}
		subs := subscriptionsFor(deref(a.spec.CustomerID), a.products, true)
		orgs := int64(len(s.store.attachedOrgs(id)))
		if len(subs) == 0 || orgs == 0 {
			return reply{status: http.StatusNoContent}
		}
		out := CreateBillingUsageRecords{DryRun: in.DryRun, UsageRecords: make([]UsageRecord, 0, len(subs))}
		now := s.now().Unix()
		for range subs {
			out.UsageRecords = append(out.UsageRecords, UsageRecord{Quantity: orgs, Timestamp: now})
		}
		if !in.DryRun {
			a.usage = append(a.usage, out.UsageRecords...)
		}
		return reply{http.StatusCreated, out}
	})
}

// summarise groups an account's records by billing period (calendar month,
// UTC), oldest period first. A summary's id is derived from the account and
// the period, so it is the same on every read.
func summarise(accountID string, records []UsageRecord) []BillingUsageSummary {
	totals := map[string]int64{}
	for _, rec := range records {
		totals[time.Unix(rec.Timestamp, 0).UTC().Format("2006-01")] += rec.Quantity
	}
	out := make([]BillingUsageSummary, 0, len(totals))
	for period, total := range totals {
		out = append(out, BillingUsageSummary{
			ID:         "usage_" + digest(accountID+"/"+period, 16),
			Period:     period,
			TotalUsage: total,
		})
	}
	slices.SortFunc(out, func(x, y BillingUsageSummary) int { return cmp.Compare(x.Period, y.Period) })
	return out
}

// UsageRecords returns the records stored for an account (dry runs are never
// stored), oldest first; nil when the account is unknown or has none.
func (s *Server) UsageRecords(accountID string) []UsageRecord {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.store.accounts[accountID]
	if !ok {
		return nil
	}
	return slices.Clone(a.usage)
}
