package handlers_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"os"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// The contract hook: every request that a handler test sends through
// harness.request to /api/v1/ is checked against handlers/api/openapi.yaml
// (the same file the server embeds and serves):
//   - the response always: its status must be documented for the operation,
//     its headers and its body must match (workbooks: the content type only);
//   - the request only when the response was 2xx, since the bad-input tests
//     send invalid requests on purpose.
//
// For the check, response objects are read strictly: an object schema that
// lists properties and says nothing of additionalProperties accepts no
// other property, so a field the code adds without describing it fails the
// tests (the published description stays open for additions, as clients
// should accept more fields).

const specFile = "api/openapi.yaml"

type contract struct {
	doc    *openapi3.T
	router routers.Router
	err    error
}

var (
	contractOnce sync.Once
	theContract  contract

	contractResponses atomic.Int64 // responses checked in this test binary
	contractRequests  atomic.Int64 // requests checked in this test binary
	contractSkipped   atomic.Int64 // unrouted 404/405 answers, which have no operation

	// contractCounted holds the tests that log their counts at cleanup.
	contractCounted sync.Map // *testing.T -> *contractCount

	// requestContractOff holds harness copies made by
	// withoutRequestContract: their 2xx requests are not checked (their
	// responses still are).
	requestContractOff sync.Map // *harness -> reason
)

type contractCount struct{ responses, requests atomic.Int64 }

// loadContract parses and validates the description once per test binary
// and builds its router.
func loadContract() (*contract, error) {
	contractOnce.Do(func() {
		data, err := os.ReadFile(specFile)
		if err != nil {
			theContract.err = err
			return
		}
		loader := openapi3.NewLoader()
		doc, err := loader.LoadFromData(data)
		if err != nil {
			theContract.err = fmt.Errorf("%s: %w", specFile, err)
			return
		}
		if err := doc.Validate(context.Background()); err != nil {
			theContract.err = fmt.Errorf("%s is not a valid OpenAPI description: %w", specFile, err)
			return
		}
		strictResponses(doc)
		router, err := gorillamux.NewRouter(doc)
		if err != nil {
			theContract.err = fmt.Errorf("%s: router: %w", specFile, err)
			return
		}
		theContract.doc, theContract.router = doc, router
	})
	if theContract.err != nil {
		return nil, theContract.err
	}
	return &theContract, nil
}

// strictResponses closes every object schema reachable from a response
// (see above). Members of allOf, anyOf and oneOf are left open: closing them
// would refuse the properties of their siblings.
func strictResponses(doc *openapi3.T) {
	seen := map[*openapi3.Schema]bool{}
	var walk func(ref *openapi3.SchemaRef, closable bool)
	walk = func(ref *openapi3.SchemaRef, closable bool) {
		if ref == nil || ref.Value == nil || seen[ref.Value] {
			return
		}
		s := ref.Value
		seen[s] = true
		if closable && len(s.Properties) > 0 && s.AdditionalProperties.Has == nil && s.AdditionalProperties.Schema == nil {
			no := false
			s.AdditionalProperties.Has = &no
		}
		for _, p := range s.Properties {
			walk(p, true)
		}
		walk(s.Items, true)
		walk(s.AdditionalProperties.Schema, true)
		for _, group := range []openapi3.SchemaRefs{s.AllOf, s.AnyOf, s.OneOf} {
			for _, m := range group {
				walk(m, false)
			}
		}
	}
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			for _, resp := range op.Responses.Map() {
				if resp.Value == nil {
					continue
				}
				for _, mt := range resp.Value.Content {
					walk(mt.Schema, true)
				}
			}
		}
	}
}

// withoutRequestContract returns a harness whose 2xx requests are not
// checked against the description, for a test that sends a non-conforming
// request on purpose and expects it to succeed; reason says why. Responses
// are still checked. No test needs it today: every request that the
// handler tests send and the server accepts conforms.
func (h *harness) withoutRequestContract(reason string) *harness {
	c := *h
	requestContractOff.Store(&c, reason)
	return &c
}

// contractCheck prepares the check of one request: it keeps a copy of the
// request (with its body) and returns the function that checks the answer.
func (h *harness) contractCheck(req *http.Request) func(rec *httptest.ResponseRecorder) {
	path := req.URL.Path
	if !strings.HasPrefix(path, "/api/v1/") || path == "/api/v1/openapi.yaml" {
		return func(*httptest.ResponseRecorder) {}
	}
	var body []byte
	if req.Body != nil {
		data, err := io.ReadAll(req.Body)
		if err != nil {
			h.t.Fatalf("contract: reading the request body: %v", err)
		}
		body = data
		req.Body = io.NopCloser(bytes.NewReader(data))
	}
	copyReq := req.Clone(context.Background())
	if req.Body != nil {
		copyReq.Body = io.NopCloser(bytes.NewReader(body))
	}
	return func(rec *httptest.ResponseRecorder) {
		h.t.Helper()
		h.checkContract(copyReq, body, rec)
	}
}

func (h *harness) checkContract(req *http.Request, body []byte, rec *httptest.ResponseRecorder) {
	h.t.Helper()
	c, err := loadContract()
	if err != nil {
		h.t.Fatalf("contract: %v", err)
	}
	where := fmt.Sprintf("%s %s: status %d", req.Method, req.URL.RequestURI(), rec.Code)
	route, params, err := c.router.FindRoute(req)
	if err != nil {
		// No operation: only the engine's own 404 and 405 answer these.
		if (errors.Is(err, routers.ErrPathNotFound) && rec.Code == http.StatusNotFound) ||
			(errors.Is(err, routers.ErrMethodNotAllowed) && rec.Code == http.StatusMethodNotAllowed) {
			contractSkipped.Add(1)
			return
		}
		h.t.Errorf("contract: %s: no operation in %s: %v", where, specFile, err)
		return
	}
	count := h.contractCount()
	options := &openapi3filter.Options{
		AuthenticationFunc:    openapi3filter.NoopAuthenticationFunc,
		IncludeResponseStatus: true,
		MultiError:            true,
		// A failure names the schema and the offending value; the whole
		// schema dumped after it would bury the message.
		SchemaValidationOptions: []openapi3.SchemaValidationOption{openapi3.DisableSchemaErrorDetails()},
	}
	input := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route, Options: options}

	respOptions := *options
	ct := rec.Header().Get("Content-Type")
	if mt, _, _ := mime.ParseMediaType(ct); mt == xlsxMediaType {
		// A workbook: the content type must be the documented one; the
		// bytes are the reports tests' concern.
		respOptions.ExcludeResponseBody = true
		if r := route.Operation.Responses.Status(rec.Code); r != nil && r.Value != nil && r.Value.Content.Get(ct) == nil {
			h.t.Errorf("contract: %s: content type %q is not documented for this status", where, ct)
		}
	}
	err = openapi3filter.ValidateResponse(context.Background(), &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route, Options: &respOptions},
		Status:                 rec.Code,
		Header:                 rec.Header(),
		Body:                   io.NopCloser(bytes.NewReader(rec.Body.Bytes())),
		Options:                &respOptions,
	})
	contractResponses.Add(1)
	count.responses.Add(1)
	if err != nil {
		h.t.Errorf("contract: %s: the response does not match %s: %v\nbody: %s", where, specFile, err, clipBody(rec.Body.String()))
	}

	if rec.Code < 200 || rec.Code > 299 {
		return
	}
	if _, off := requestContractOff.Load(h); off {
		return
	}
	if err := openapi3filter.ValidateRequest(context.Background(), input); err != nil {
		h.t.Errorf("contract: %s: the request does not match %s: %v\nrequest body: %s", where, specFile, err, clipBody(string(body)))
	}
	contractRequests.Add(1)
	count.requests.Add(1)
}

const xlsxMediaType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// contractCount is the test's own count; the first check of a test logs the
// counts at its end (go test -v shows them), with the binary's totals so far.
func (h *harness) contractCount() *contractCount {
	v, loaded := contractCounted.LoadOrStore(h.t, &contractCount{})
	n := v.(*contractCount)
	if !loaded {
		t := h.t
		t.Cleanup(func() {
			t.Logf("openapi contract: %d responses and %d requests checked (binary so far: %d responses, %d requests, %d unrouted 404/405)",
				n.responses.Load(), n.requests.Load(), contractResponses.Load(), contractRequests.Load(), contractSkipped.Load())
			contractCounted.Delete(t)
		})
	}
	return n
}

func clipBody(s string) string {
	if len(s) > 2000 {
		return s[:2000] + "…"
	}
	return s
}

// TestOpenAPIContract: the description is usable by a client generator:
// every operation has an operationId (unique), tags, a 2xx response with a
// schema (or a workbook, YAML or text content), and every operation that
// needs a credential documents 401, 403 and 429 with the error schema.
func TestOpenAPIContract(t *testing.T) {
	c, err := loadContract()
	if err != nil {
		t.Fatal(err)
	}
	doc := c.doc
	ids := map[string]string{}
	var paths []string
	for p := range doc.Paths.Map() {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	operations := 0
	for _, p := range paths {
		for method, op := range doc.Paths.Value(p).Operations() {
			operations++
			name := method + " " + p
			if op.OperationID == "" {
				t.Errorf("%s: no operationId", name)
			} else if other, dup := ids[op.OperationID]; dup {
				t.Errorf("%s: operationId %s is also %s's", name, op.OperationID, other)
			} else {
				ids[op.OperationID] = name
			}
			if len(op.Tags) == 0 {
				t.Errorf("%s: no tag", name)
			}
			success := false
			for code, r := range op.Responses.Map() {
				if !strings.HasPrefix(code, "2") || r.Value == nil {
					continue
				}
				if code == "204" && len(r.Value.Content) == 0 {
					success = true
					continue
				}
				for ct, mt := range r.Value.Content {
					switch {
					case ct == "application/json" && mt.Schema != nil && mt.Schema.Value != nil &&
						(len(mt.Schema.Value.Properties) > 0 || mt.Schema.Value.AdditionalProperties.Schema != nil):
						success = true
					case ct == xlsxMediaType, ct == "application/yaml", ct == "text/plain":
						success = true
					}
				}
			}
			if !success {
				t.Errorf("%s: no 2xx response with a schema or a workbook, YAML or text content", name)
			}
			security := doc.Security
			if op.Security != nil {
				security = *op.Security
			}
			if len(security) > 0 {
				for _, code := range []string{"401", "403", "429"} {
					r := op.Responses.Status(atoi(code))
					if r == nil || r.Value == nil {
						t.Errorf("%s needs a credential but documents no %s", name, code)
						continue
					}
					mt := r.Value.Content.Get("application/json")
					if mt == nil || mt.Schema == nil || mt.Schema.Value == nil || mt.Schema.Value.Properties["error"] == nil {
						t.Errorf("%s: its %s is not the JSON error", name, code)
					}
				}
			}
		}
	}
	if operations < 28 {
		t.Errorf("only %d operations described", operations)
	}
	// The served description is the file the hook checks against.
	h := newHarness(t)
	rec := h.request("GET", "/api/v1/openapi.yaml", "", nil)
	file, err := os.ReadFile(specFile)
	if err != nil {
		t.Fatal(err)
	}
	if rec.Code != http.StatusOK || !bytes.Equal(rec.Body.Bytes(), file) {
		t.Errorf("GET /api/v1/openapi.yaml: status %d, and the body is not %s", rec.Code, specFile)
	}
}

func atoi(s string) int {
	n := 0
	for _, r := range s {
		n = n*10 + int(r-'0')
	}
	return n
}
