// Package client is a typed Go client for the Agilicus billing API: billing
// accounts, the organisations attached to them and their usage records.
//
// It knows nothing of Terraform. Every call takes a context, sends a bearer
// token and a User-Agent, speaks JSON, and returns either a typed model or an
// error that can be inspected with IsNotFound, IsConflict, IsBadRequest and
// IsOutcomeUnknown.
//
// # Retries
//
// Requests are retried with capped exponential backoff and jitter, honouring
// Retry-After, by go-retryablehttp. What may be retried depends on whether
// replaying the request can change the result:
//
//   - Idempotent requests (GET, PUT, DELETE, and attaching an organisation,
//     which the API treats as "make it so") are retried on connection errors,
//     429 and 5xx responses other than 501.
//   - Non-idempotent requests (creating a billing account, recording usage)
//     are retried only when the server certainly did not act on them: a 429
//     or 503 answer, or a connection error that happened before the request
//     was written. If the connection fails after the request was written the
//     server may have acted; the call then fails with an error for which
//     IsOutcomeUnknown reports true, and the caller must find out what
//     happened (for example by looking the account up by customer id) instead
//     of blindly sending it again.
//
// Context cancellation stops retries at once.
package client
