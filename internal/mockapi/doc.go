// Package mockapi is an in-memory mock of the Agilicus billing API, for
// testing clients (the Terraform provider, and users' own modules in CI)
// without the real service.
//
// It serves the ten billing operations under /v1/billing_accounts described
// in shared/api/billing-api.md, with the same JSON field names and status
// codes, plus a minimal org API under /v1/orgs so tests can create orgs to
// attach. A Server is an http.Handler: mount it in an httptest.Server, or run
// the internal/cmd/mockapi command. Tests can also drive it directly through
// Go methods (CreateOrg, AttachOrg, SetAccountSpec, DeleteAccount, ...) to
// set up state or simulate changes made outside Terraform; those calls are
// not counted in Stats.
//
// # Routes
//
//	GET    /v1/billing_accounts                                          200
//	POST   /v1/billing_accounts                                          201 400 409
//	GET    /v1/billing_accounts/{billing_account_id}                     200 404
//	PUT    /v1/billing_accounts/{billing_account_id}                     200 400 404 409
//	DELETE /v1/billing_accounts/{billing_account_id}                     204 404
//	GET    /v1/billing_accounts/{billing_account_id}/orgs                200 404
//	POST   /v1/billing_accounts/{billing_account_id}/orgs                200 400 404
//	DELETE /v1/billing_accounts/{billing_account_id}/orgs/{org_id}       204 404
//	GET    /v1/billing_accounts/{billing_account_id}/usage_records       200 404
//	POST   /v1/billing_accounts/{billing_account_id}/usage_records       201 400 404
//	GET    /v1/orgs                                                      200
//	POST   /v1/orgs                                                      201 400 409
//	GET    /v1/orgs/{org_id}                                             200 404
//
// Every request outside /_mock/ needs "Authorization: Bearer <token>" and is
// otherwise answered 401. Lists take limit (1 to 500, default 500) and echo
// the limit applied; a bad limit or boolean query parameter is a 400.
// Responses and errors are JSON; every error, including 404, 405 (a known
// path with another method, with an Allow header) and unknown routes,
// carries an ErrorMessage {"error_code", "error_message"}.
//
// # Behaviour the reference does not fix
//
// Where the reference is silent the mock chooses as follows.
//
//   - Duplicates (409): no two accounts share a non-empty spec.customer_id,
//     on create and on PUT; no two orgs share a non-empty subdomain.
//   - Request bodies: a body must be a JSON object; invalid JSON, another
//     JSON value or a known field of the wrong type is a 400. Unknown keys
//     are ignored. Read-only and server-computed fields a client sends
//     (metadata, status, usage quantity and timestamp, an org's id,
//     contact_email, name_slug, status and billing_account_id) are ignored.
//     POST and PUT of an account need a body; the usage-record and add-org
//     bodies may be empty.
//   - PUT replaces the whole spec: a field absent from the body becomes
//     absent. Unknown spec keys are not kept. updated moves on every
//     successful PUT, even one that changes nothing.
//   - Timestamps are RFC 3339 in UTC with microsecond precision, and strictly
//     increasing across the server: when the clock has not advanced since
//     the last stamp the mock adds a microsecond. So updated always moves
//     forward on a change, and creation order is list order.
//   - Ids are 22 random base62 characters from the seeded generator, shared
//     by accounts and orgs and never reused, even after Reset.
//   - status.orgs and status.products are always present (possibly []).
//     status.customer appears only with get_customer_data=true and a
//     customer id; status.subscriptions only with get_subscription_data=true
//     ([] without a customer id). Both are synthesised deterministically from
//     the customer id, as there is no payment backend. Products are empty
//     unless set with SetAccountProducts.
//   - Query parameters: booleans accept true/false in any case and 1/0;
//     empty org_id and customer_id values mean no filter; customer_id
//     matches exactly; org_id on the list keeps the account that org is
//     attached to; org_id on GET of one account scopes the request, so an
//     account that org is not attached to is a 404.
//   - Attachments: an org is on at most one account. Attaching it to
//     another account moves it; attaching it where it is changes nothing.
//     An account lists its orgs oldest attachment first. Detaching answers
//     404 unless the org is attached to that very account, so a stale
//     detach never removes the org from the account it moved to. Adding an
//     org with a missing or empty org_id is a 404 (ORG_NOT_FOUND).
//     Attaching and detaching move the org's updated, not the account's.
//   - Deleting an account detaches its orgs and drops its usage records.
//   - Usage records: POST on an unknown account is a 404. The server sets
//     quantity to the number of orgs attached to the account and timestamp
//     to the clock in epoch seconds; dry runs are answered the same way but
//     not stored. GET returns one summary per calendar month (UTC) that has
//     stored records, oldest first, with keys id (stable per account and
//     month), period ("2026-11") and total_usage.
//   - Orgs: organisation (the name) is required; name_slug is derived from
//     it (an RFC 1035 label of at most 20 characters, made unique with a
//     numeric suffix); admin_state defaults to active and status follows
//     it; auto_create defaults to false and trust_on_first_use_duration to
//     86400.
//
// # Faults
//
// Faults (Options.Faults, SetFaults, PUT /_mock/faults) inject, for API
// requests: latency before anything else; connection resets before any
// processing; 429 and 503 answers (alternating, with Retry-After) before
// any processing, authentication included, as a gateway would; and, for
// POST, PUT, PATCH and DELETE, a dropped response after the request was
// processed, so the change is stored but the client sees a connection
// error. Go's http.Transport silently retries an idempotent request once
// when a reused connection closes without a response, so a client may not
// notice a reset GET.
//
// # Test hooks
//
// Paths under /_mock/ are not part of the Agilicus API. They need no token,
// are never faulted and are not counted in Stats:
//
//	GET  /_mock/stats        Stats as JSON
//	POST /_mock/stats/reset  zero the counters (204)
//	POST /_mock/reset        drop all data and counters (204)
//	GET  /_mock/faults       fault settings as JSON
//	PUT  /_mock/faults       replace them; absent keys are zero (200, or 400
//	                         for a negative value or a rate outside [0, 1])
//	GET  /_mock/state        the stored data, in the SaveState format
//
// Fault settings in JSON are {"latency_ms": 20, "error_rate": 0.3,
// "retry_after_seconds": 1, "reset_rate": 0, "drop_after_commit_rate": 0}.
package mockapi
