// Package mockapi is an in-memory mock of the Agilicus billing API, for
// testing clients (the Terraform provider, and users' own modules in CI)
// without the real service.
//
// It serves the ten billing operations under /v1/billing_accounts of the
// Agilicus billing API as documented by the agilicus Python SDK 1.125.2,
// with the later changes up to SDK 1.405.8, with the same JSON field names
// and status codes, plus a minimal org API under /v1/orgs so tests can create
// orgs to attach. A Server is an http.Handler: mount it in an
// httptest.Server, or run the internal/cmd/mockapi command. Tests can also
// drive it directly through Go methods (CreateOrg, AttachOrg, SetAccountSpec,
// SetAccountRawSpec, DeleteAccount, ...) to set up state or simulate changes
// made outside Terraform; those calls are not counted in Stats.
//
// # Routes
//
//	GET    /v1/billing_accounts                                          200 400
//	POST   /v1/billing_accounts                                          201 400 409
//	GET    /v1/billing_accounts/{billing_account_id}                     200 404
//	PUT    /v1/billing_accounts/{billing_account_id}                     200 400 404 409
//	DELETE /v1/billing_accounts/{billing_account_id}                     204 404
//	GET    /v1/billing_accounts/{billing_account_id}/orgs                200 404
//	POST   /v1/billing_accounts/{billing_account_id}/orgs                200 400 404
//	DELETE /v1/billing_accounts/{billing_account_id}/orgs/{org_id}       204 404
//	GET    /v1/billing_accounts/{billing_account_id}/usage_records       200 404
//	POST   /v1/billing_accounts/{billing_account_id}/usage_records       201 204 400 404
//	GET    /v1/orgs                                                      200
//	POST   /v1/orgs                                                      201 400 409
//	GET    /v1/orgs/{org_id}                                             200 404
//	POST   /v1/authentication_documents                                  201 400
//	DELETE /v1/authentication_documents/{document_id}                    204 404
//	POST   /v1/api_keys                                                  201 400
//	POST   /token                                                        200 400
//
// Every request outside /_mock/ and /token (which takes an identity
// assertion instead) needs "Authorization: Bearer <token>" and is
// otherwise answered 401. Lists take limit (1 to 500, default 500) and echo
// the limit applied; a bad limit or boolean query parameter is a 400.
// Responses and errors are JSON; every error, including 404, 405 (a known
// path with another method, with an Allow header) and unknown routes,
// carries an ErrorMessage {"error_code", "error_message"}.
//
// # API generations
//
// The API changed between the two SDK versions. The mock serves either
// generation, chosen by Behaviour.APIVersion (Options.APIVersion,
// SetBehaviour, PUT /_mock/behaviour, or the command's -api-version flag):
// "1.125.2", the default, or "1.405.8". Switching changes how requests are
// answered, never the stored data; a request in progress keeps the
// generation it began with. Generation 1.405.8 differs as follows; 1.125.2
// behaves as described in the rest of this documentation.
//
//   - Spec fields: product_id (a string), license_constraints (an array of
//     objects) and constraint_variables (an object) are declared. Create and
//     PUT reject another JSON type with a 400 and take null as absent. In
//     1.125.2 they are undeclared keys, kept whatever their value (see
//     below).
//   - Usage records: POST .../usage_records takes CreateBillingUsageRecords
//     {"dry_run": bool, "usage_records": [...]}; the records a client sends
//     are type-checked (as BillingUsageRecord) and otherwise ignored, as
//     their fields are read-only; an empty body is {"dry_run": false}. The
//     answer is 201 {"dry_run": <as sent>, "usage_records": [{"quantity": N,
//     "timestamp": T}, ...]} with one record per subscription of the
//     customer, each counting the orgs attached to the account, or 204 with
//     no body when nothing is recorded: the account has no customer_id (so
//     no subscription) or no attached org (so no active resource). Dry runs
//     follow the same rules and store nothing. Every stored record adds to
//     its month's total_usage.
//   - Subscriptions: a customer has one subscription per entry of the
//     account's status.products, or one when the account has no products
//     (1.125.2: always one). Each is a BillingSubscription {"id": "sub_...",
//     "object", "customer", "status", and "product" when it stems from a
//     product}; ids are derived from the customer id and the product name,
//     so they are stable across reads.
//   - Customer: status.customer also carries id (the customer id), balance
//     (an integer, negative for a credit), created (Unix seconds), currency,
//     description, invoice_prefix, livemode (true unless spec.dev_mode),
//     metadata (string to string) and phone, all derived from the customer
//     id. 1.125.2 gives name and email only.
//   - Cascade: POST .../orgs accepts {"org_id": X, "cascade": true}, which
//     attaches X and then every org whose parent_id chain leads to X, oldest
//     first; sub-orgs attached elsewhere move, as on a single attach. In
//     1.125.2 cascade is an undeclared key, neither checked nor obeyed.
//   - Paging: GET /v1/billing_accounts is paged (see Paging below). 1.125.2
//     ignores page_at_id and the page size and answers up to limit accounts.
//
// # Paging
//
// In generation 1.405.8 the account list answers at most min(limit,
// PageSize) accounts, or limit accounts when PageSize is 0, and always
// carries the keys page_at_id and previous_id; limit still echoes the limit
// asked for (or the default). The cursor is an account id, in the list's
// order (creation time, then id), after the org_id and customer_id filters:
//
//   - page_at_id in the query asks for the page starting at that account;
//     absent or empty asks for the first page.
//   - page_at_id in the answer is the id of the first account of the next
//     page, to pass as is; "" on the last page.
//   - previous_id in the answer is the id of the account one page size
//     before this page's first (the first account when fewer precede it),
//     so passing it pages backwards; "" on the first page.
//   - A cursor may name an account the filters leave out: the page starts
//     at the first matching account after it in list order. A cursor that
//     names no existing account (never issued, or deleted since) is a 400
//     INVALID_QUERY_PARAMETER.
//
// Only the account list is paged; the org and usage-record lists are not.
//
// # Behaviour the reference does not fix
//
// Where the reference is silent the mock chooses as follows.
//
//   - Duplicates (409): no two accounts share a non-empty spec.customer_id,
//     on create and on PUT; no two orgs share a non-empty subdomain.
//   - Request bodies: a body must be a JSON object; invalid JSON, another
//     JSON value or a known field of the wrong type is a 400. Unknown keys
//     are ignored, except in an account's spec. Read-only and
//     server-computed fields a client sends
//     (metadata, status, usage quantity and timestamp, an org's id,
//     contact_email, name_slug, status and billing_account_id) are ignored.
//     POST and PUT of an account need a body; the usage-record and add-org
//     bodies may be empty.
//   - Spec keys: the API lets every object carry undeclared properties, so
//     the spec keeps every key a client sends and returns each value byte
//     for byte as sent (whitespace, key order, number spelling and string
//     escapes included), in the answers to create, GET, list and PUT, in
//     Account (BillingAccountSpec.Extra), AccountRawSpec and the state
//     file. A null customer_id or dev_mode is taken as absent; a null
//     undeclared key is kept as null. The spec's own keys come back
//     customer_id and dev_mode first, the rest in sorted order.
//   - PUT replaces the whole spec: a key absent from the body, extra keys
//     included, becomes absent, so a client that wants to keep keys it does
//     not know must read, modify and write back. updated moves on every
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
//     detach never removes the org from the account it moved to; with
//     Behaviour.DetachAnyAccount it detaches the org from whichever account
//     holds it, as long as the account in the path exists, and is a 404
//     only when the org is unknown or attached nowhere (DetachOrg keeps to
//     the strict rule either way). Adding an
//     org with a missing or empty org_id is a 404 (ORG_NOT_FOUND).
//     Attaching and detaching move the org's updated, not the account's.
//   - Deleting an account detaches its orgs and drops its usage records.
//   - Usage records: POST on an unknown account is a 404. In 1.125.2 the
//     server answers one record: quantity is the number of orgs attached to
//     the account and timestamp the clock in epoch seconds; dry runs are
//     answered the same way but not stored. (1.405.8: see above.) GET
//     returns one summary per calendar month (UTC) that has stored records,
//     oldest first, with keys id (stable per account and month), period
//     ("2026-11") and total_usage.
//   - Orgs: organisation (the name) is required; name_slug is derived from
//     it (an RFC 1035 label of at most 20 characters, made unique with a
//     numeric suffix); admin_state defaults to active and status follows
//     it; auto_create defaults to false and trust_on_first_use_duration to
//     86400. parent_id is kept as sent (it is not checked), and root_org_id
//     follows it.
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
//	GET  /_mock/behaviour    behaviour settings as JSON
//	PUT  /_mock/behaviour    replace them; absent keys take their defaults
//	                         (200, or 400 for an unknown api_version or a
//	                         negative page_size)
//
// Fault settings in JSON are {"latency_ms": 20, "error_rate": 0.3,
// "retry_after_seconds": 1, "reset_rate": 0, "drop_after_commit_rate": 0}.
// Behaviour settings in JSON are {"api_version": "1.405.8", "page_size": 2,
// "detach_any_account": true}; the defaults are "1.125.2", 0 (no cap) and
// false. Reset keeps both, and neither is part of the saved state.
package mockapi
