package handlers

import (
	"errors"
	"log/slog"
	"net/http"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/dpo/dgsurvey/survey"
)

// Codes for failures that only exist at the HTTP boundary.
const (
	codeTooLarge       = "too_large"
	codeUnsupportedMed = "unsupported_media_type"
	codeRateLimited    = "rate_limited"
)

// httpError is a boundary failure with its own status (413, 415, 429).
type httpError struct {
	status  int
	code    string
	message string
}

func (e *httpError) Error() string { return e.message }

// statusOf is the one mapping from error codes to HTTP statuses.
var statusOf = map[string]int{
	survey.EMALFORMED:    http.StatusBadRequest,
	survey.EUNAUTHORIZED: http.StatusUnauthorized,
	survey.EFORBIDDEN:    http.StatusForbidden,
	survey.ENOTFOUND:     http.StatusNotFound,
	survey.ECONFLICT:     http.StatusConflict,
	survey.EPRECONDITION: http.StatusPreconditionFailed,
	survey.EINVALID:      http.StatusUnprocessableEntity,
	survey.EUNAVAILABLE:  http.StatusServiceUnavailable,
	survey.EINTERNAL:     http.StatusInternalServerError,
}

type errorBody struct {
	Code    string              `json:"code"`
	Message string              `json:"message"`
	Fields  []survey.FieldError `json:"fields,omitempty"`
}

// fail writes err as the JSON error of DESIGN §4 and aborts the request.
// Server-side failures are logged with the request id and never shown.
func (s *Server) fail(c *gin.Context, err error) {
	var (
		he  *httpError
		ce  *survey.AnswerConflictError
		de  *survey.Error
		out = errorBody{Code: survey.EINTERNAL, Message: "internal error; the request id is " + requestID(c)}
	)
	status := http.StatusInternalServerError
	body := gin.H{}
	switch {
	case errors.As(err, &he):
		status, out.Code, out.Message = he.status, he.code, he.message
	case errors.As(err, &ce):
		status, out.Code, out.Message = http.StatusConflict, survey.ECONFLICT, ce.Error()+"; nothing was saved"
		out.Fields = make([]survey.FieldError, 0, len(ce.Current))
		for id := range ce.Current {
			out.Fields = append(out.Fields, survey.FieldError{Field: "answers." + id + ".base_rev", Message: "does not match the stored rev"})
		}
		body["current"] = ce.Current
	case errors.As(err, &de) && de.Code != survey.EINTERNAL:
		status = statusOf[de.Code]
		out.Code = de.Code
		out.Message, out.Fields = de.Message, de.Fields
		if de.Code == survey.EUNAVAILABLE {
			out.Message = survey.ErrUnavailable.Message
		}
	}
	if status == 0 {
		status = http.StatusInternalServerError
	}
	out.Message = clip(out.Message)
	if len(out.Fields) > 0 {
		fields := make([]survey.FieldError, len(out.Fields))
		for i, f := range out.Fields {
			fields[i] = survey.FieldError{Field: clip(f.Field), Message: clip(f.Message)}
		}
		out.Fields = fields
	}
	if status >= 500 {
		s.log.ErrorContext(c.Request.Context(), "request failed", slog.String("request_id", requestID(c)),
			slog.String("path", c.FullPath()), slog.Any("error", err))
	}
	body["error"] = out
	c.AbortWithStatusJSON(status, body)
}

// maxErrorText bounds each message and field name of an error body: they
// may repeat parts of the request (an unknown field's name, a path id), and
// an error must never reflect a large input back.
const maxErrorText = 200

// clip shortens s to at most maxErrorText bytes, on a character boundary.
func clip(s string) string {
	if len(s) <= maxErrorText {
		return s
	}
	cut := maxErrorText
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// malformed builds a 400 error.
func malformed(format string, args ...any) *survey.Error {
	return survey.Errorf(survey.EMALFORMED, format, args...)
}
