// Package client is a typed Go client for the Agilicus billing API: billing
// accounts, the organisations attached to them and their usage records.
//
// It knows nothing of Terraform. Every call takes a context, sends a bearer
// token and a User-Agent, speaks JSON, and returns either a typed model or an
// error that can be inspected with IsNotFound, IsConflict and MayHaveActed,
// or with errors.As for *APIError and *TransportError.
//
// # API versions
//
// The client works with the API as SDK 1.125.2 documents it and with its
// later versions (up to SDK 1.405.8) without being told which one it talks
// to: it recognises each answer's shape.
//
//   - Lists follow page_at_id cursors until the caller has what it asked
//     for; older versions send none, and one answer is the whole list.
//   - Recording usage accepts a single record, a list of records, or 204 No
//     Content when there was nothing to record (UsageRecordResult).
//   - A spec keeps every key the client does not model
//     (BillingAccountSpec.Extra), and UpdateBillingAccountSpec changes a
//     spec by reading it and writing it back whole, because a PUT replaces
//     the spec and would erase any key it lacks.
//
// # Untrusted answers
//
// Every answer is checked before it is used: a body larger than
// MaxAnswerBytes, a body that is not JSON or not of the expected shape, and
// an answer about another object than the one asked for are reported as an
// UnexpectedAnswerError, quoting the status, content type and the start of
// the body. Redirects are followed only within the configured host and
// never from https to http, so the token goes nowhere else (RedirectError).
//
// # Retries
//
// Requests are retried with capped exponential backoff and jitter, honouring
// Retry-After, by go-retryablehttp; Config.MaxRetries 0 turns retries off.
// What may be retried depends on whether replaying the request can change
// the result:
//
//   - Idempotent requests (GET, PUT, DELETE, attaching an organisation,
//     which the API treats as "make it so", and dry-run usage records) are
//     retried on connection errors, 429 and 5xx answers other than 501.
//   - Non-idempotent requests (creating a billing account, recording usage)
//     are retried only when the server certainly did not act on them: a 429
//     or 503 answer, or a connection error that happened before the request
//     was written. Otherwise the call fails, and MayHaveActed tells the
//     caller whether the server may nevertheless have carried it out (the
//     request was sent and no answer came back, a 5xx other than 501 and
//     503, or a success whose answer could not be used); the caller must
//     then find out what happened (for example by looking the account up by
//     customer id) instead of blindly sending it again.
//
// Context cancellation stops retries at once.
package client
