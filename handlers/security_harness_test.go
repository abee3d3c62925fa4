package handlers_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/dpo/dgsurvey/handlers"
	"github.com/dpo/dgsurvey/survey"
)

// caller is one identity of the hostile-user tests: a bearer token for the
// API and, for the pages, a session cookie with its CSRF token.
type caller struct {
	name   string
	token  string
	cookie string
	csrf   string
}

// sessionFor signs token's credential in the way the sign-in page does, but
// directly in the store, so the tests of pages do not depend on the sign-in
// form: it returns the cookie value and the session's CSRF token.
func (h *harness) sessionFor(token string) (cookie, csrf string) {
	h.t.Helper()
	id, hash, err := survey.NewToken()
	if err != nil {
		h.t.Fatal(err)
	}
	csrf, _, err = survey.NewToken()
	if err != nil {
		h.t.Fatal(err)
	}
	now := time.Now().UTC().Truncate(time.Millisecond)
	sess := &survey.Session{Hash: hash, CredentialHash: survey.HashToken(token), CSRF: csrf,
		CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Hour)}
	if err := h.store.CreateSession(context.Background(), sess); err != nil {
		h.t.Fatal(err)
	}
	return id, csrf
}

// callerWith builds a caller that has both a token and a session.
func (h *harness) callerWith(name, token string) caller {
	h.t.Helper()
	c := caller{name: name, token: token}
	c.cookie, c.csrf = h.sessionFor(token)
	return c
}

// send sends one request as c. API paths get the bearer token; page paths
// get the session cookie, and a page POST gets body as a form with the
// session's CSRF token added (unless the form already names csrf). body for
// the API is as for harness.request.
func (h *harness) send(method, path string, c caller, body any, headers ...string) *httptest.ResponseRecorder {
	h.t.Helper()
	if isAPIPath(path) {
		if c.cookie != "" && c.token == "" {
			// A page's own API call: the session cookie (with whatever
			// X-CSRF-Token headers carries) instead of a bearer token.
			headers = append([]string{"Cookie", handlers.SessionCookie + "=" + c.cookie}, headers...)
		}
		return h.request(method, path, c.token, body, headers...)
	}
	var r io.Reader
	form, isForm := body.(url.Values)
	if isForm {
		form = cloneValues(form)
		if _, ok := form["csrf"]; !ok && c.csrf != "" {
			form.Set("csrf", c.csrf)
		}
		r = strings.NewReader(form.Encode())
	} else if method == http.MethodPost {
		v := url.Values{}
		if c.csrf != "" {
			v.Set("csrf", c.csrf)
		}
		r = strings.NewReader(v.Encode())
		isForm = true
	}
	req := httptest.NewRequest(method, path, r)
	if isForm {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if c.cookie != "" {
		req.AddCookie(&http.Cookie{Name: handlers.SessionCookie, Value: c.cookie})
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	rec := httptest.NewRecorder()
	h.srv.ServeHTTP(rec, req)
	return rec
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// isAPIPath reports whether path is served as the JSON API (bearer tokens,
// JSON errors) rather than as a page.
func isAPIPath(path string) bool {
	return strings.HasPrefix(path, "/api/") || path == "/healthz" || path == "/readyz" || path == "/metrics"
}

// dbSnapshot is every stored document of the test's database as canonical
// JSON, collection by collection, except bookkeeping that reads may move
// (when a credential or session was last used). Comparing two snapshots
// proves that a request changed nothing, audit trail included.
func (h *harness) dbSnapshot() string {
	h.t.Helper()
	ctx := context.Background()
	db := h.store.Database()
	names, err := db.ListCollectionNames(ctx, bson.D{})
	if err != nil {
		h.t.Fatal(err)
	}
	sort.Strings(names)
	var b strings.Builder
	for _, name := range names {
		cur, err := db.Collection(name).Find(ctx, bson.D{})
		if err != nil {
			h.t.Fatal(err)
		}
		var docs []bson.M
		if err := cur.All(ctx, &docs); err != nil {
			h.t.Fatal(err)
		}
		lines := make([]string, 0, len(docs))
		for _, d := range docs {
			delete(d, "last_used_at")
			delete(d, "last_seen_at")
			data, err := bson.MarshalExtJSON(d, true, false)
			if err != nil {
				h.t.Fatal(err)
			}
			// Round-trip through encoding/json for sorted keys.
			var v any
			if err := json.Unmarshal(data, &v); err != nil {
				h.t.Fatal(err)
			}
			if data, err = json.Marshal(v); err != nil {
				h.t.Fatal(err)
			}
			lines = append(lines, name+" "+string(data))
		}
		sort.Strings(lines)
		b.WriteString(strings.Join(lines, "\n") + "\n")
	}
	return b.String()
}

// snapshotDiff lists the documents that differ between two snapshots.
func snapshotDiff(before, after string) string {
	in := func(s string) map[string]bool {
		m := map[string]bool{}
		for _, l := range strings.Split(s, "\n") {
			m[l] = true
		}
		return m
	}
	b, a := in(before), in(after)
	var out []string
	for l := range b {
		if !a[l] {
			out = append(out, "- "+l)
		}
	}
	for l := range a {
		if !b[l] {
			out = append(out, "+ "+l)
		}
	}
	sort.Strings(out)
	return strings.Join(out, "\n")
}

// searchableText is the text of a response body in which leaked strings
// are looked for: the body itself, and for a zip container (.xlsx) the
// text of every file in it.
func searchableText(t *testing.T, body []byte) string {
	t.Helper()
	if !bytes.HasPrefix(body, []byte("PK\x03\x04")) {
		return string(body)
	}
	zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
	if err != nil {
		t.Fatalf("a zip body does not open: %v", err)
	}
	var b strings.Builder
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		b.WriteString("\n--- " + f.Name + "\n")
		b.Write(data)
	}
	return b.String()
}

// jsonError decodes the API's error shape, failing the test when the
// body is not one.
type jsonErrorBody struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
		Fields  []struct {
			Field   string `json:"field"`
			Message string `json:"message"`
		} `json:"fields"`
	} `json:"error"`
}

// statusOfCode is the API's mapping from error code to status.
var statusOfCode = map[string]int{
	"malformed": 400, "unauthorized": 401, "forbidden": 403, "not_found": 404,
	"method_not_allowed": 405, "conflict": 409, "precondition_failed": 412,
	"too_large": 413, "unsupported_media_type": 415, "invalid": 422,
	"rate_limited": 429, "internal": 500, "unavailable": 503,
	"round_not_open": 409, "deadline_passed": 409, "department_inactive": 403,
}

// checkJSONError asserts rec is the API's JSON error whose code
// belongs to its status, and returns it.
func checkJSONError(t *testing.T, rec *httptest.ResponseRecorder) jsonErrorBody {
	t.Helper()
	var body jsonErrorBody
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("status %d: content type %q, want JSON: %.300s", rec.Code, ct, rec.Body.String())
	}
	dec := json.NewDecoder(bytes.NewReader(rec.Body.Bytes()))
	if err := dec.Decode(&body); err != nil || body.Error.Code == "" || body.Error.Message == "" {
		t.Fatalf("status %d: not the API's JSON error: %.300s", rec.Code, rec.Body.String())
	}
	if want, ok := statusOfCode[body.Error.Code]; !ok || want != rec.Code {
		t.Fatalf("status %d with error code %q (which means %d)", rec.Code, body.Error.Code, want)
	}
	for _, f := range body.Error.Fields {
		if f.Field == "" || f.Message == "" {
			t.Fatalf("a field error without field or message: %s", rec.Body.String())
		}
	}
	return body
}

// wrongToken returns a token of the same length as token that differs from
// it in the first character (a fixed replacement would equal the real token
// whenever that starts with the same character: 1 time in 64).
func wrongToken(token string) string {
	first := "x"
	if strings.HasPrefix(token, "x") {
		first = "y"
	}
	return first + token[1:]
}
