package httpx

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"unicode/utf8"

	"github.com/dpo/dgsurvey/survey"
)

// Codes for failures that exist only at the HTTP boundary.
const (
	CodeTooLarge         = "too_large"
	CodeUnsupportedMedia = "unsupported_media_type"
	CodeMethodNotAllowed = "method_not_allowed"
	// CodeCancelled: the client went away before the answer (its request's
	// context was cancelled). Not a fault of the service or its store.
	CodeCancelled = "cancelled"
)

// StatusClientClosedRequest is the status recorded (in the access log and
// metrics) for a request its client cancelled; nginx's 499. The client is
// gone, so nobody reads it.
const StatusClientClosedRequest = 499

// Error is a boundary failure with its own status (405, 413, 415).
type Error struct {
	Status  int
	Code    string
	Message string
}

func (e *Error) Error() string { return e.Message }

// statusOf is the one mapping from error codes to HTTP statuses.
var statusOf = map[string]int{
	survey.EMALFORMED:    http.StatusBadRequest,
	survey.EUNAUTHORIZED: http.StatusUnauthorized,
	survey.EFORBIDDEN:    http.StatusForbidden,
	survey.ENOTFOUND:     http.StatusNotFound,
	survey.ECONFLICT:     http.StatusConflict,
	survey.EPRECONDITION: http.StatusPreconditionFailed,
	survey.EINVALID:      http.StatusUnprocessableEntity,
	survey.ERATELIMITED:  http.StatusTooManyRequests,
	survey.ENOTOPEN:      http.StatusConflict,
	survey.EDEADLINE:     http.StatusConflict,
	survey.EINACTIVE:     http.StatusForbidden,
	survey.EUNAVAILABLE:  http.StatusServiceUnavailable,
	survey.EINTERNAL:     http.StatusInternalServerError,
}

// Problem is an error classified for an answer: the status, the machine
// code, a message safe to show, the fields at fault, and for answer
// conflicts the current answers. Internal failures keep only the status
// and code; their cause is for the log.
type Problem struct {
	Status     int
	Code       string
	Message    string
	Fields     []survey.FieldError
	Current    map[string]*survey.Answer
	RetryAfter int // seconds, for 429
}

// Classify turns any error into the Problem the API and the pages answer
// with. Messages and field names are clipped, so an error never reflects a
// large input back.
func Classify(err error) Problem {
	var (
		he *Error
		ce *survey.AnswerConflictError
		de *survey.Error
	)
	p := Problem{Status: http.StatusInternalServerError, Code: survey.EINTERNAL}
	switch {
	case errors.Is(err, context.Canceled):
		p.Status, p.Code, p.Message = StatusClientClosedRequest, CodeCancelled, "the request was cancelled by the client"
	case errors.As(err, &he):
		p.Status, p.Code, p.Message = he.Status, he.Code, he.Message
	case errors.As(err, &ce):
		p.Status, p.Code, p.Message = http.StatusConflict, survey.ECONFLICT, ce.Error()+"; nothing was saved"
		for _, id := range sortedIDs(ce.Current) {
			p.Fields = append(p.Fields, survey.Fault("answers."+id+".base_rev", survey.RuleStale, ""))
		}
		p.Current = ce.Current
	case errors.As(err, &de) && de.Code != survey.EINTERNAL && statusOf[de.Code] != 0:
		p.Status, p.Code, p.Message, p.Fields = statusOf[de.Code], de.Code, de.Message, de.Fields
		if de.Code == survey.EUNAVAILABLE {
			p.Message = survey.ErrUnavailable.Message
		}
		if de.RetryAfter > 0 {
			p.RetryAfter = int(de.RetryAfter.Seconds() + 0.999)
		}
	}
	p.Message = Clip(p.Message)
	if len(p.Fields) > 0 {
		fields := make([]survey.FieldError, len(p.Fields))
		for i, f := range p.Fields {
			f.Field, f.Message, f.Param = Clip(f.Field), Clip(f.Message), Clip(f.Param)
			fields[i] = f
		}
		p.Fields = fields
	}
	return p
}

func sortedIDs(m map[string]*survey.Answer) []string {
	ids := make([]string, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// maxErrorText bounds each message and field name of an error: they may
// repeat parts of the request (an unknown field's name, a path id).
const maxErrorText = 200

// Clip shortens s to at most maxErrorText bytes, on a character boundary.
func Clip(s string) string {
	if len(s) <= maxErrorText {
		return s
	}
	cut := maxErrorText
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// Malformed builds a 400 error.
func Malformed(format string, args ...any) *survey.Error {
	return survey.Errorf(survey.EMALFORMED, format, args...)
}
