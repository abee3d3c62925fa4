package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"reflect"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/dpo/dgsurvey/handlers/httpx"
	"github.com/dpo/dgsurvey/survey"
)

// bind is the only way request bodies are read: JSON content type (415), a
// size cap (413), valid UTF-8 (400: encoding/json would silently replace
// bad bytes), no unknown fields and no trailing data (400). It checks the
// shape only; the use cases check the rules (422).
func (a *API) bind(c *gin.Context, obj any) error { return decodeJSON(c.Request, a.maxBody, obj) }

func decodeJSON(req *http.Request, maxBody int64, obj any) error {
	mt, _, err := mime.ParseMediaType(req.Header.Get("Content-Type"))
	if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
		return &httpx.Error{Status: http.StatusUnsupportedMediaType, Code: httpx.CodeUnsupportedMedia, Message: "the request body must be JSON (Content-Type: application/json)"}
	}
	if req.Body == nil {
		return httpx.Malformed("the request body is empty")
	}
	data, err := io.ReadAll(http.MaxBytesReader(nil, req.Body, maxBody))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return &httpx.Error{Status: http.StatusRequestEntityTooLarge, Code: httpx.CodeTooLarge, Message: fmt.Sprintf("the request body exceeds %d bytes", maxBody)}
		}
		return httpx.Malformed("the request body could not be read")
	}
	if !utf8.Valid(data) {
		return httpx.Malformed("the request body is not valid UTF-8")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(obj); err != nil {
		return decodeError(err)
	}
	if dec.More() {
		return httpx.Malformed("unexpected data after the JSON value")
	}
	return nil
}

// decodeError turns encoding/json's errors into a 400 naming the field.
func decodeError(err error) error {
	var (
		typeErr   *json.UnmarshalTypeError
		syntaxErr *json.SyntaxError
	)
	switch {
	case errors.As(err, &typeErr):
		field := typeErr.Field
		if field == "" {
			field = "(body)"
		}
		e := httpx.Malformed("%s must be %s, not %s", field, jsonKind(typeErr.Type), typeErr.Value)
		e.Fields = []survey.FieldError{survey.Fault(field, survey.RuleType, jsonKind(typeErr.Type))}
		return e
	case errors.As(err, &syntaxErr):
		return httpx.Malformed("malformed JSON at byte %d: %v", syntaxErr.Offset, syntaxErr)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return httpx.Malformed("the JSON body is empty or truncated")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		e := httpx.Malformed("unknown field %q", name)
		e.Fields = []survey.FieldError{survey.Fault(name, survey.RuleUnknownField, "")}
		return e
	}
	return httpx.Malformed("malformed JSON: %v", err)
}

func jsonKind(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int64, reflect.Int32:
		return "a whole number"
	case reflect.Float64, reflect.Float32:
		return "a number"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Map, reflect.Struct:
		return "an object"
	case reflect.Slice:
		return "an array"
	}
	return t.String()
}
