package handlers_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/dpo/dgsurvey/handlers"
	"github.com/dpo/dgsurvey/survey"
)

// fromIP sends a request as if from the client address ip.
func (h *harness) fromIP(ip string, req *http.Request) *httptest.ResponseRecorder {
	h.t.Helper()
	req.RemoteAddr = ip + ":40000"
	rec := httptest.NewRecorder()
	h.srv.ServeHTTP(rec, req)
	return rec
}

// apiAttempt authenticates with token against the API from ip.
func (h *harness) apiAttempt(ip, token string, headers ...string) *httptest.ResponseRecorder {
	h.t.Helper()
	req := httptest.NewRequest("GET", "/api/v1/rounds", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return h.fromIP(ip, req)
}

// signInAttempt fills in the sign-in form with token from ip, as a browser
// would: the form's token comes with the sign-in page's cookie.
func (h *harness) signInAttempt(ip, token string) *httptest.ResponseRecorder {
	h.t.Helper()
	page := h.fromIP(ip, httptest.NewRequest("GET", "/login", nil))
	var formCookie *http.Cookie
	for _, c := range page.Result().Cookies() {
		if c.Name == "dgs_login" {
			formCookie = c
		}
	}
	if formCookie == nil {
		h.t.Fatalf("the sign-in page sets no form cookie: %d", page.Code)
	}
	form := url.Values{"token": {token}, "csrf": {formCookie.Value}, "next": {"/"}}
	req := httptest.NewRequest("POST", "/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(formCookie)
	return h.fromIP(ip, req)
}

// TestFailedAuthenticationThrottling: failed bearer tokens and failed
// sign-ins share one allowance per client address (configurable); past it
// the client gets 429 with a Retry-After of at most the window, while other
// addresses and valid credentials (from the same address too) go on
// working, and a client cannot escape by claiming another address in
// X-Forwarded-For.
func TestFailedAuthenticationThrottling(t *testing.T) {
	tests := []struct {
		name    string
		limit   int
		attempt func(h *harness, ip string, i int) *httptest.ResponseRecorder
	}{
		{"API tokens, limit 2", 2, func(h *harness, ip string, _ int) *httptest.ResponseRecorder {
			return h.apiAttempt(ip, "wrong-token")
		}},
		{"API tokens, limit 5", 5, func(h *harness, ip string, _ int) *httptest.ResponseRecorder {
			return h.apiAttempt(ip, "wrong-token")
		}},
		{"sign-in form, limit 3", 3, func(h *harness, ip string, _ int) *httptest.ResponseRecorder {
			return h.signInAttempt(ip, "wrong-token")
		}},
		{"sign-in and API share the allowance, limit 4", 4, func(h *harness, ip string, i int) *httptest.ResponseRecorder {
			if i%2 == 0 {
				return h.signInAttempt(ip, "wrong-token")
			}
			return h.apiAttempt(ip, "wrong-token")
		}},
		{"forged X-Forwarded-For, limit 3", 3, func(h *harness, ip string, i int) *httptest.ResponseRecorder {
			return h.apiAttempt(ip, "wrong-token", "X-Forwarded-For", fmt.Sprintf("198.51.100.%d", i+1), "X-Real-Ip", fmt.Sprintf("198.51.100.%d", i+1))
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, func(c *handlersConfig) { c.FailedAuthPerMinute = tc.limit })
			const ip = "203.0.113.9"
			for i := range tc.limit {
				if rec := tc.attempt(h, ip, i); rec.Code != http.StatusUnauthorized {
					t.Fatalf("attempt %d of %d: status %d, want 401", i+1, tc.limit, rec.Code)
				}
			}
			rec := tc.attempt(h, ip, tc.limit)
			if rec.Code != http.StatusTooManyRequests {
				t.Fatalf("attempt %d over a limit of %d: status %d, want 429", tc.limit+1, tc.limit, rec.Code)
			}
			retry, err := strconv.Atoi(rec.Header().Get("Retry-After"))
			if err != nil || retry < 1 || retry > 60 {
				t.Fatalf("Retry-After %q, want 1..60 seconds", rec.Header().Get("Retry-After"))
			}
			if isAPI := strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json"); isAPI {
				if code := checkJSONError(t, rec).Error.Code; code != "rate_limited" {
					t.Fatalf("code %q", code)
				}
			}
			// Still throttled for a wrong token by either door...
			if rec := h.apiAttempt(ip, "wrong-again"); rec.Code != http.StatusTooManyRequests {
				t.Fatalf("API after the limit: %d", rec.Code)
			}
			if rec := h.signInAttempt(ip, "wrong-again"); rec.Code != http.StatusTooManyRequests {
				t.Fatalf("sign-in after the limit: %d", rec.Code)
			}
			// ...but never for a valid credential, nor for another address.
			if rec := h.apiAttempt(ip, h.admin); rec.Code != http.StatusOK {
				t.Fatalf("valid token from a throttled address: %d", rec.Code)
			}
			if rec := h.signInAttempt(ip, h.admin); rec.Code != http.StatusSeeOther {
				t.Fatalf("valid sign-in from a throttled address: %d", rec.Code)
			}
			if rec := h.apiAttempt("203.0.113.10", "wrong-token"); rec.Code != http.StatusUnauthorized {
				t.Fatalf("another address: %d", rec.Code)
			}
		})
	}
}

// TestThrottlingBehindTrustedProxy: when the service is told the address
// of its reverse proxy, each client the proxy forwards has its own
// allowance, and the proxy itself is not throttled for them.
func TestThrottlingBehindTrustedProxy(t *testing.T) {
	h := newHarness(t, func(c *handlersConfig) {
		c.FailedAuthPerMinute = 2
		c.HTTP.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("10.0.0.5/32")}
	})
	from := func(client string) *httptest.ResponseRecorder {
		return h.apiAttempt("10.0.0.5", "wrong-token", "X-Forwarded-For", client)
	}
	for range 2 {
		if rec := from("198.51.100.1"); rec.Code != http.StatusUnauthorized {
			t.Fatalf("status %d", rec.Code)
		}
	}
	if rec := from("198.51.100.1"); rec.Code != http.StatusTooManyRequests {
		t.Fatalf("the forwarded client over its limit: %d", rec.Code)
	}
	if rec := from("198.51.100.2"); rec.Code != http.StatusUnauthorized {
		t.Fatalf("another client behind the same proxy: %d", rec.Code)
	}
}

// TestTokensStoredOnlyAsHashes: a token is shown once, is 32 random bytes
// in base64url, and the store never holds it: the credentials (and the
// sessions made with it) are read straight from the database and no value
// anywhere in them contains the token; the stored key is its SHA-256.
//
// Comparison in constant time cannot be observed from a test. The design
// makes it moot and the code does it anyway: a token is looked up by its
// SHA-256 (so timing reveals at most a prefix of a hash, which says nothing
// about the token), and auth.go compares the stored hash with the
// presented one by subtle.ConstantTimeCompare, as session.go does for CSRF
// tokens. What a test can show is that the look-up goes by hash: a record
// whose key is a raw token does not let that token in.
func TestTokensStoredOnlyAsHashes(t *testing.T) {
	h := newHarness(t)
	h.department("ABC")
	tokens := map[string]bool{h.admin: true}
	for _, role := range []struct{ role, dept string }{{"respondent", "ABC"}, {"planner", ""}, {"admin", ""}} {
		token := h.credential(role.role, role.dept)
		if !regexp.MustCompile(`^[A-Za-z0-9_-]{43}$`).MatchString(token) {
			t.Fatalf("token %q is not base64url of 32 bytes", token)
		}
		if tokens[token] {
			t.Fatal("the same token was issued twice")
		}
		tokens[token] = true
	}
	// Sign in with each through the form, so that sessions exist too.
	var cookies []string
	for token := range tokens {
		rec := h.signInAttempt("192.0.2.50", token)
		for _, c := range rec.Result().Cookies() {
			if c.Name == handlers.SessionCookie && c.Value != "" {
				cookies = append(cookies, c.Value)
			}
		}
	}
	if len(cookies) != len(tokens) {
		t.Fatalf("%d sessions for %d tokens", len(cookies), len(tokens))
	}

	ctx := context.Background()
	for _, coll := range []string{"credentials", "sessions", "audit"} {
		cur, err := h.store.Database().Collection(coll).Find(ctx, bson.D{})
		if err != nil {
			t.Fatal(err)
		}
		var docs []bson.M
		if err := cur.All(ctx, &docs); err != nil {
			t.Fatal(err)
		}
		if len(docs) == 0 {
			t.Fatalf("no %s stored", coll)
		}
		for _, d := range docs {
			text, _ := bson.MarshalExtJSON(d, false, false)
			for token := range tokens {
				if strings.Contains(string(text), token) {
					t.Fatalf("%s holds a token: %s", coll, text)
				}
			}
			for _, cookie := range cookies {
				if strings.Contains(string(text), cookie) {
					t.Fatalf("%s holds a session cookie value: %s", coll, text)
				}
			}
		}
		if coll == "credentials" {
			ids := map[string]bool{}
			for _, d := range docs {
				ids[fmt.Sprint(d["_id"])] = true
			}
			for token := range tokens {
				if !ids[survey.HashToken(token)] {
					t.Fatalf("no credential stored under the SHA-256 of a token")
				}
			}
		}
	}

	// A record keyed by a raw token does not authenticate that token.
	raw := strings.Repeat("R", 43)
	if err := h.store.CreateCredential(ctx, &survey.Credential{Hash: raw, ID: "raw", Role: survey.RoleAdmin, Label: "raw", CreatedAt: time.Now().UTC()}); err != nil {
		t.Fatal(err)
	}
	h.must(http.StatusUnauthorized, "GET", "/api/v1/rounds", raw, nil)
}

// lockedBuffer is a log sink safe for concurrent handlers.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestLogsHoldNoSecrets: with logging at debug, a day's worth of traffic —
// good and bad tokens, sign-ins, sessions, answers with text, query strings,
// failures — leaves one line per request in the log and none of the
// secrets or answer text.
func TestLogsHoldNoSecrets(t *testing.T) {
	logs := &lockedBuffer{}
	h := newHarness(t, func(c *handlersConfig) {
		c.Logger = slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
		c.HTTP.Logger = c.Logger
	})
	h.department("ABC")
	resp := h.credential("respondent", "ABC")
	h.round("r1", "small", true)
	const (
		comment  = "LOG-COMMENT-SECRET"
		reason   = "LOG-REASON-SECRET"
		evidence = "LOG-EVIDENCE-SECRET"
		query    = "LOG-QUERY-SECRET"
		badToken = "LOG-BAD-TOKEN-SECRET"
	)
	base := "/api/v1/rounds/r1/responses/ABC"
	h.must(http.StatusOK, "PATCH", base+"?note="+query, resp, map[string]any{"answers": map[string]any{
		"cs-iam-1":   map[string]any{"level": 2, "comment": comment, "evidence": evidence},
		"cs-cloud-1": map[string]any{"na": true, "na_reason": reason},
	}})
	h.must(http.StatusUnprocessableEntity, "PATCH", base, resp, map[string]any{"answers": map[string]any{"cs-iam-1": map[string]any{"level": 9, "comment": comment}}})
	h.must(http.StatusBadRequest, "PATCH", base, resp, `{"answers": {"cs-iam-1": {"comment": "`+comment+`"`)
	h.must(http.StatusOK, "GET", base+"?token="+query, resp, nil)
	h.must(http.StatusUnauthorized, "GET", base, badToken, nil)
	h.must(http.StatusUnprocessableEntity, "POST", base+"/submit", h.admin, nil)
	h.must(http.StatusUnauthorized, "GET", "/api/v1/rounds/r1/responses/ABC?secret="+query, h.admin, nil, "Authorization", "Bearer "+badToken)
	signIn := h.signInAttempt("192.0.2.60", resp)
	var cookie string
	for _, c := range signIn.Result().Cookies() {
		if c.Name == handlers.SessionCookie {
			cookie = c.Value
		}
	}
	h.signInAttempt("192.0.2.60", badToken)
	page := h.send("GET", "/rounds/r1/responses/ABC/domains/cs?q="+query, caller{cookie: cookie}, nil)
	if page.Code != http.StatusOK || cookie == "" {
		t.Fatalf("page as the signed-in respondent: %d", page.Code)
	}

	out := logs.String()
	for _, secret := range []string{h.admin, resp, badToken, cookie, comment, reason, evidence, query} {
		if strings.Contains(out, secret) {
			t.Errorf("the log holds %q:\n%s", secret, out)
		}
	}
	var requests int
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if strings.Contains(line, `"msg":"request"`) {
			requests++
			for _, field := range []string{`"request_id":`, `"method":`, `"route":`, `"status":`, `"duration":`, `"client":`} {
				if !strings.Contains(line, field) {
					t.Errorf("access line without %s: %s", field, line)
				}
			}
		}
	}
	if requests < 10 {
		t.Fatalf("%d access lines:\n%s", requests, out)
	}
}

// TestCSRFEverywhere: a session cookie alone changes nothing. Every
// state-changing route (found in the route table, API and pages alike)
// refuses a signed-in administrator's session without its CSRF token, or
// with another one, with 403, and the store is unchanged; the API also
// refuses a session's CSRF token of another session.
func TestCSRFEverywhere(t *testing.T) {
	f := newAuthzFixture(t)
	h := f.h
	adminCaller := h.callerWith("admin", h.admin)
	otherSession := h.callerWith("admin", h.admin)
	credID := f.throwaway()
	before := h.dbSnapshot()
	n := 0
	for _, r := range h.srv.Routes() {
		if r.Method == http.MethodGet || r.Path == "/login" {
			continue
		}
		n++
		path := fillPath(r.Path, map[string]string{":id": credID})
		for _, tc := range []struct{ name, token string }{{"no token", ""}, {"a wrong token", wrongToken(adminCaller.csrf)}, {"another session's token", otherSession.csrf}} {
			t.Run(r.Method+" "+path+" with "+tc.name, func(t *testing.T) {
				var rec *httptest.ResponseRecorder
				if isAPIPath(path) {
					var body any
					if r.Method != http.MethodDelete {
						body = map[string]any{"reason": "r", "bureau": "b", "title_en": "t", "role": "planner",
							"answers": map[string]any{"cs-iam-2": map[string]any{"level": 5}}}
					}
					headers := []string{}
					if tc.token != "" {
						headers = append(headers, "X-CSRF-Token", tc.token)
					}
					rec = h.send(r.Method, path, caller{cookie: adminCaller.cookie}, body, headers...)
				} else {
					form := url.Values{"csrf": {tc.token}, "state": {"closed"}, "active": {"false"}, "reason": {"r"},
						"code": {"NEW"}, "name_en": {"n"}, "name_zh": {"n"}, "bureau": {"b"}, "role": {"planner"},
						"level.cs-iam-2": {"5"}, "base.cs-iam-2": {"1"}}
					if tc.token == "" {
						form.Del("csrf")
					}
					rec = h.send(r.Method, path, caller{cookie: adminCaller.cookie}, form)
				}
				if rec.Code != http.StatusForbidden {
					t.Fatalf("status %d, want 403: %.300s", rec.Code, rec.Body.String())
				}
			})
		}
	}
	if n < 15 {
		t.Fatalf("only %d state-changing routes found", n)
	}
	if diff := snapshotDiff(before, h.dbSnapshot()); diff != "" {
		t.Fatalf("requests without a valid CSRF token changed the store:\n%s", diff)
	}
	// The session's own token works on the API (and the pages' own tests
	// show it works on forms).
	rec := h.send("PATCH", "/api/v1/departments/ABC", caller{cookie: adminCaller.cookie}, map[string]any{"bureau": "CSRF ok"}, "X-CSRF-Token", adminCaller.csrf)
	if rec.Code != http.StatusOK {
		t.Fatalf("with the right token: %d %s", rec.Code, rec.Body.String())
	}
}

// hostile is user text meant to break out of HTML, attributes and scripts.
var hostile = []string{
	`<script>alert(1)</script>`,
	`"><img src=x onerror=alert(2)>`,
	`'><svg onload=alert(3)>`,
	`</textarea><script>alert(4)</script>`,
	`javascript:alert(5)`,
}

// rawHostile are the fragments that must never reach a page unescaped.
var rawHostile = []string{"<script>alert", "<img src=x", "<svg onload", "</textarea><script"}

// TestUserTextEscapedOnEveryPage: department names and bureau, credential
// labels, round titles, comments, evidence and N/A reasons full of markup
// appear on pages only escaped. Every page route of the route table is
// visited as every signed-in role, plus pages that echo the URL.
func TestUserTextEscapedOnEveryPage(t *testing.T) {
	h := newHarness(t)
	evil := strings.Join(hostile, " ")
	h.must(http.StatusCreated, "POST", "/api/v1/departments", h.admin,
		map[string]any{"code": "EVL", "name_en": evil, "name_zh": evil, "bureau": evil})
	respondent := h.must(http.StatusCreated, "POST", "/api/v1/credentials", h.admin,
		map[string]any{"role": "respondent", "department": "EVL", "label": evil})["token"].(string)
	planner := h.must(http.StatusCreated, "POST", "/api/v1/credentials", h.admin,
		map[string]any{"role": "planner", "label": evil})["token"].(string)
	h.must(http.StatusCreated, "POST", "/api/v1/rounds", h.admin, map[string]any{
		"id": "r1", "title_en": evil, "title_zh": evil, "questionnaire": "small",
		"opens_at": "2026-01-05T09:00:00+08:00", "closes_at": "2026-03-31T18:00:00+08:00"})
	h.must(http.StatusOK, "PATCH", "/api/v1/rounds/r1", h.admin, map[string]any{"state": "open"})
	answers := map[string]any{}
	for i, id := range []string{"cs-iam-1", "cs-iam-2", "ds-gov-1", "ds-gov-2", "cs-cloud-2"} {
		answers[id] = map[string]any{"level": i % 6, "comment": evil, "evidence": evil}
	}
	answers["cs-cloud-1"] = map[string]any{"na": true, "na_reason": evil}
	h.must(http.StatusOK, "PATCH", "/api/v1/rounds/r1/responses/EVL", respondent, map[string]any{"answers": answers})

	callers := []caller{h.callerWith("admin", h.admin), h.callerWith("respondent", respondent), h.callerWith("planner", planner)}
	values := map[string]string{":dept": "EVL", ":code": "EVL"}
	var paths []string
	for _, r := range h.srv.Routes() {
		if r.Method == http.MethodGet && !isAPIPath(r.Path) && !strings.HasPrefix(r.Path, "/static/") && !strings.HasPrefix(r.Path, "/download/") {
			paths = append(paths, fillPath(r.Path, values))
		}
	}
	if len(paths) < 10 {
		t.Fatalf("only %d pages found", len(paths))
	}
	// Pages that show something of the URL.
	paths = append(paths,
		"/login?next="+url.QueryEscape(evil), "/?flash="+url.QueryEscape(evil),
		"/rounds/"+url.PathEscape(hostile[0])+"/responses/EVL", "/admin/departments/"+url.PathEscape(hostile[1]),
		"/rounds/r1/responses/EVL/domains/"+url.PathEscape(hostile[0]), "/no/such/"+url.PathEscape(hostile[0]))
	shown := 0
	for _, c := range callers {
		for _, path := range paths {
			rec := h.send("GET", path, c, nil)
			body := rec.Body.String()
			for _, raw := range rawHostile {
				if strings.Contains(body, raw) {
					t.Errorf("GET %s as %s (%d): %q reached the page unescaped", path, c.name, rec.Code, raw)
				}
			}
			if strings.Contains(body, "&lt;script&gt;alert(1)&lt;/script&gt;") {
				shown++
			}
		}
	}
	if shown < 8 {
		t.Fatalf("the hostile text was shown (escaped) on only %d pages: the test visits too little", shown)
	}
}

// TestSecurityHeadersOnFailures: responses that no route produced (unknown
// paths, wrong methods, failures) carry the same headers as the matrix's.
func TestSecurityHeadersOnFailures(t *testing.T) {
	h := newHarness(t)
	for _, tc := range []struct{ method, path string }{
		{"GET", "/no/such/page"}, {"GET", "/api/v1/nothing"}, {"PUT", "/api/v1/rounds"}, {"DELETE", "/login"},
		{"GET", "/static/missing.js"},
	} {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			rec := h.request(tc.method, tc.path, "", nil)
			if rec.Code < 400 {
				t.Fatalf("status %d", rec.Code)
			}
			checkSecurityHeaders(t, rec)
		})
	}
}

// formulaTriggers are the first characters that make a spreadsheet treat
// text as a formula.
const formulaTriggers = "=+-@\t\r"

// TestFormulasNeutralisedInEveryExport: names, bureau, round titles,
// comments, evidence and N/A reasons that start with = + - @ tab or CR are
// written into every workbook the service exports (found in the route
// table) only as text that no longer starts with those characters, and no
// cell holds a formula.
func TestFormulasNeutralisedInEveryExport(t *testing.T) {
	h := newHarness(t)
	payloads := []string{`=HYPERLINK("http://x","HOSTILE")`, `+HOSTILE+1`, `-2+3+cmd|' /C calc'!A0 HOSTILE`, `@SUM(1+1) HOSTILE`, "\t=HOSTILE()", "\r=HOSTILE()"}
	pick := func(i int) string { return payloads[i%len(payloads)] }
	for i, code := range []string{"EVA", "EVB", "EVC"} {
		h.must(http.StatusCreated, "POST", "/api/v1/departments", h.admin,
			map[string]any{"code": code, "name_en": pick(i), "name_zh": pick(i + 1), "bureau": pick(i + 2)})
	}
	h.must(http.StatusCreated, "POST", "/api/v1/rounds", h.admin, map[string]any{
		"id": "r1", "title_en": pick(3), "title_zh": pick(4), "questionnaire": "small",
		"opens_at": "2026-01-05T09:00:00+08:00", "closes_at": "2026-03-31T18:00:00+08:00"})
	h.must(http.StatusOK, "PATCH", "/api/v1/rounds/r1", h.admin, map[string]any{"state": "open"})
	for d, code := range []string{"EVA", "EVB", "EVC"} {
		answers := map[string]any{}
		for i, id := range []string{"cs-iam-1", "cs-iam-2", "ds-gov-1", "ds-gov-2", "cs-cloud-2"} {
			answers[id] = map[string]any{"level": (i + d) % 6, "comment": pick(i + d), "evidence": pick(i + d + 1)}
		}
		answers["cs-cloud-1"] = map[string]any{"na": true, "na_reason": pick(d + 2)}
		base := "/api/v1/rounds/r1/responses/" + code
		h.must(http.StatusOK, "PATCH", base, h.admin, map[string]any{"answers": answers})
		h.must(http.StatusOK, "POST", base+"/submit", h.admin, nil)
	}

	// A seminar with hostile titles, whose invitation list holds the
	// hostile department names.
	seminar := h.must(http.StatusCreated, "POST", "/api/v1/seminars", h.admin, map[string]any{
		"title_en": pick(0), "title_zh": pick(1), "date": "2026-06-01", "areas": []string{"cs-iam"}, "round": "r1"})["id"].(string)

	exports := 0
	for _, r := range h.srv.Routes() {
		// The pages' /download/ routes serve the same use cases to a
		// session; TestWebDownloads checks them.
		if r.Method != http.MethodGet || !strings.HasSuffix(r.Path, ".xlsx") || !strings.HasPrefix(r.Path, "/api/") {
			continue
		}
		for _, lang := range []string{"en", "zh"} {
			path := fillPath(r.Path, map[string]string{":dept": "EVA", ":id": seminar}) + "?lang=" + lang
			exports++
			t.Run(path, func(t *testing.T) {
				rec := h.request("GET", path, h.admin, nil)
				if rec.Code != http.StatusOK {
					t.Fatalf("status %d: %.300s", rec.Code, rec.Body.String())
				}
				// The topic ranking holds only question-bank text and
				// department codes; every other workbook shows user text.
				checkNeutralised(t, rec.Body.Bytes(), !strings.Contains(r.Path, "topics"))
			})
		}
	}
	if exports == 0 {
		t.Log("no workbook routes registered yet")
	}
}

// checkNeutralised opens a workbook and inspects every cell of every sheet;
// showsUserText says the workbook must contain some of the hostile text.
func checkNeutralised(t *testing.T, data []byte, showsUserText bool) {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("the workbook does not open: %v", err)
	}
	defer f.Close()
	hostileCells := 0
	for _, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		for r, row := range rows {
			for c, value := range row {
				if value == "" {
					continue
				}
				axis, _ := excelize.CoordinatesToCellName(c+1, r+1)
				if formula, _ := f.GetCellFormula(sheet, axis); formula != "" {
					t.Errorf("%s!%s holds the formula %q", sheet, axis, formula)
				}
				typ, _ := f.GetCellType(sheet, axis)
				isText := typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString || typ == excelize.CellTypeFormula
				if isText && strings.IndexByte(formulaTriggers, value[0]) >= 0 {
					t.Errorf("%s!%s is text starting with %q: %q", sheet, axis, value[0], value)
				}
				if strings.Contains(value, "HOSTILE") {
					hostileCells++
				}
			}
		}
	}
	if showsUserText && hostileCells == 0 {
		t.Fatal("no hostile text in the workbook: the test proves nothing about it")
	}
}
