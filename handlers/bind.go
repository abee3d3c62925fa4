package handlers

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

	"github.com/go-playground/validator/v10"

	"github.com/dpo/dgsurvey/survey"
)

// strictJSON is the only way request bodies are read: JSON content type
// (415), a size cap (413), valid UTF-8 (400: encoding/json would silently
// replace bad bytes), no unknown fields and no trailing data (400), then the
// struct's validate tags (422, each fault named by its JSON path).
type strictJSON struct {
	maxBytes int64
	validate *validator.Validate
}

func (strictJSON) Name() string { return "strict-json" }

func (b strictJSON) Bind(req *http.Request, obj any) error {
	mt, _, err := mime.ParseMediaType(req.Header.Get("Content-Type"))
	if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
		return &httpError{http.StatusUnsupportedMediaType, codeUnsupportedMed, "the request body must be JSON (Content-Type: application/json)"}
	}
	if req.Body == nil {
		return malformed("the request body is empty")
	}
	data, err := io.ReadAll(http.MaxBytesReader(nil, req.Body, b.maxBytes))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return &httpError{http.StatusRequestEntityTooLarge, codeTooLarge, fmt.Sprintf("the request body exceeds %d bytes", b.maxBytes)}
		}
		return malformed("the request body could not be read")
	}
	if !utf8.Valid(data) {
		return malformed("the request body is not valid UTF-8")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(obj); err != nil {
		return decodeError(err)
	}
	if dec.More() {
		return malformed("unexpected data after the JSON value")
	}
	if err := b.validate.Struct(obj); err != nil {
		return validationError(err)
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
		e := malformed("%s must be %s, not %s", field, jsonKind(typeErr.Type), typeErr.Value)
		e.Fields = []survey.FieldError{{Field: field, Message: "must be " + jsonKind(typeErr.Type)}}
		return e
	case errors.As(err, &syntaxErr):
		return malformed("malformed JSON at byte %d: %v", syntaxErr.Offset, syntaxErr)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return malformed("the JSON body is empty or truncated")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		e := malformed("unknown field %q", name)
		e.Fields = []survey.FieldError{{Field: name, Message: "is not a known field"}}
		return e
	}
	return malformed("malformed JSON: %v", err)
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

// newValidator returns a validator that names fields by their JSON names and
// knows the identifier patterns of DESIGN §3.
func newValidator() *validator.Validate {
	v := validator.New(validator.WithRequiredStructEnabled())
	v.RegisterTagNameFunc(func(f reflect.StructField) string {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			return ""
		}
		return name
	})
	must := func(tag string, ok func(string) bool) {
		_ = v.RegisterValidation(tag, func(fl validator.FieldLevel) bool { return ok(fl.Field().String()) })
	}
	must("deptcode", survey.ValidDepartmentCode)
	must("roundid", survey.ValidRoundID)
	must("itemid", survey.ValidItemID)
	must("role", survey.ValidRole)
	must("notblank", func(s string) bool { return strings.TrimSpace(s) != "" })
	return v
}

// validationError lists every failed rule as a field message (422).
func validationError(err error) error {
	var verrs validator.ValidationErrors
	if !errors.As(err, &verrs) {
		return err
	}
	fields := make([]survey.FieldError, 0, len(verrs))
	for _, fe := range verrs {
		path := fe.Namespace()
		if _, rest, ok := strings.Cut(path, "."); ok {
			path = rest // drop the request struct's own name
		}
		fields = append(fields, survey.FieldError{Field: path, Message: ruleMessage(fe)})
	}
	return survey.Invalid("invalid request", fields...)
}

func ruleMessage(fe validator.FieldError) string {
	switch fe.Tag() {
	case "required", "notblank":
		return "is required"
	case "max":
		return "must be at most " + fe.Param() + " characters"
	case "min":
		return "must be at least " + fe.Param()
	case "oneof":
		return "must be one of " + strings.ReplaceAll(fe.Param(), " ", ", ")
	case "deptcode":
		return "must be 2-16 characters of A-Z, 0-9 and '-', starting with a letter or digit"
	case "roundid":
		return "must be 1-32 characters of a-z, 0-9 and '-', starting with a letter or digit"
	case "itemid":
		return "must be 1-48 characters of a-z, 0-9 and '-', starting with a letter or digit"
	case "role":
		return "must be one of admin, respondent, planner"
	case "gtfield", "gtefield":
		return "must be after " + fe.Param()
	}
	return "is invalid (" + fe.Tag() + ")"
}
