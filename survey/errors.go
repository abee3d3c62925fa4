package survey

import (
	"errors"
	"fmt"
	"time"
)

// Error codes. Each maps to exactly one HTTP status in handlers; the domain
// knows nothing of HTTP.
const (
	ECONFLICT     = "conflict"            // wrong state, duplicate, concurrent edit
	EINVALID      = "invalid"             // well-formed values that break a rule
	EMALFORMED    = "malformed"           // not parseable as the expected shape
	ENOTFOUND     = "not_found"           // unknown, or not visible to the caller
	EFORBIDDEN    = "forbidden"           // role may not do this
	EUNAUTHORIZED = "unauthorized"        // no or bad credential
	EPRECONDITION = "precondition_failed" // If-Match did not match
	EUNAVAILABLE  = "unavailable"         // the store cannot be reached
	ERATELIMITED  = "rate_limited"        // too many failed attempts; RetryAfter says how long to wait

	// Refinements of ECONFLICT and EFORBIDDEN that callers act on.
	ENOTOPEN  = "round_not_open"      // the round is not open, or not yet (409)
	EDEADLINE = "deadline_passed"     // the department's deadline has passed (409)
	EINACTIVE = "department_inactive" // the department is deactivated (403)
	EINTERNAL = "internal"            // anything else; never shown in detail
)

// FieldError names one offending field of a request, the rule it breaks
// (with the rule's parameter, e.g. max 4000) and says in English what is
// wrong. Pages translate by Rule and Param, never by the message.
type FieldError struct {
	Field   string `json:"field"`
	Rule    string `json:"rule,omitempty"`
	Param   string `json:"param,omitempty"`
	Message string `json:"message"`
}

// Error is the domain error: a code, a message safe to show to the caller,
// and optionally the fields at fault.
type Error struct {
	Code    string
	Message string
	Fields  []FieldError
	// RetryAfter is how long a rate_limited caller must wait.
	RetryAfter time.Duration
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// Errorf builds an *Error with a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Sentinel errors the store returns; compare with errors.Is.
var (
	ErrNotFound    = &Error{Code: ENOTFOUND, Message: "not found"}
	ErrConflict    = &Error{Code: ECONFLICT, Message: "conflicting change"}
	ErrUnavailable = &Error{Code: EUNAVAILABLE, Message: "the data store is unavailable; try again shortly"}
)

// Is lets errors.Is match any *Error with the same code, so a specific
// "round 2026 not found" still matches ErrNotFound.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

// ErrorCode returns the code of err, EINTERNAL when it is not an *Error.
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// Invalid returns an EINVALID error listing the offending fields.
func Invalid(message string, fields ...FieldError) *Error {
	return &Error{Code: EINVALID, Message: message, Fields: fields}
}

// AnswerConflictError reports answers whose base_rev no longer matches: the
// caller gets the current value of each, and nothing of the patch is applied.
type AnswerConflictError struct {
	Current map[string]*Answer
}

func (e *AnswerConflictError) Error() string {
	return fmt.Sprintf("%d answer(s) changed since they were read", len(e.Current))
}

// Is makes an AnswerConflictError match ErrConflict.
func (e *AnswerConflictError) Is(target error) bool { return target == ErrConflict }
