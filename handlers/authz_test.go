package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"

	"github.com/dpo/dgsurvey/survey"
	"github.com/dpo/dgsurvey/survey/surveytest"
)

// who is one column of the authorization matrix.
type who int

const (
	anon     who = iota // no credential at all
	badToken            // a token (or session cookie) that was never issued
	revoked             // a credential that has been revoked
	admin
	planner
	resp  // respondent of the department in the path (ABC)
	other // respondent of another department (XYZ)
	nWho
)

var whoNames = [nWho]string{"no credential", "bad credential", "revoked", "admin", "planner", "respondent", "other respondent"}

// expect is the status each caller gets, in the order of who.
type expect [nWho]int

func w(statuses ...int) expect {
	var e expect
	if len(statuses) != int(nWho) {
		panic(fmt.Sprintf("expectation with %d statuses", len(statuses)))
	}
	copy(e[:], statuses)
	return e
}

// Answer texts that only an administrator and the department itself may
// ever read: never a planner, never another department.
const (
	abcComment  = "ABC-COMMENT-MARKER-q7z"
	abcEvidence = "ABC-EVIDENCE-MARKER-q7z"
	abcReason   = "ABC-REASON-MARKER-q7z"
	xyzComment  = "XYZ-COMMENT-MARKER-k2w"
	xyzEvidence = "XYZ-EVIDENCE-MARKER-k2w"
	xyzReason   = "XYZ-REASON-MARKER-k2w"
)

var (
	abcMarkers = []string{abcComment, abcEvidence, abcReason}
	allMarkers = []string{abcComment, abcEvidence, abcReason, xyzComment, xyzEvidence, xyzReason}
)

// authzFixture is the seeded world of the matrix: departments ABC and XYZ,
// an open round r1 on the small questionnaire, ABC's response complete but
// not submitted, XYZ's submitted; every answer text a marker.
type authzFixture struct {
	h      *harness
	tokens [nWho]string
	serial int
}

func newAuthzFixture(t *testing.T) *authzFixture {
	t.Helper()
	h := newHarness(t, func(c *handlersConfig) { c.FailedAuthPerMinute = 1 << 20 })
	f := &authzFixture{h: h}
	h.department("ABC")
	h.department("XYZ")
	f.tokens[admin] = h.admin
	f.tokens[planner] = h.credential("planner", "")
	f.tokens[resp] = h.credential("respondent", "ABC")
	f.tokens[other] = h.credential("respondent", "XYZ")
	f.tokens[badToken] = "never-issued-" + strings.Repeat("x", 30)
	out := h.must(http.StatusCreated, "POST", "/api/v1/credentials", h.admin, map[string]any{"role": "admin", "label": "to revoke"})
	f.tokens[revoked] = out["token"].(string)
	h.must(http.StatusOK, "GET", "/api/v1/rounds", f.tokens[revoked], nil)
	h.must(http.StatusNoContent, "DELETE", "/api/v1/credentials/"+out["id"].(string), h.admin, nil)

	h.round("r1", "small", true)
	seed := func(dept, token, comment, evidence, reason string) {
		h.must(http.StatusOK, "PATCH", "/api/v1/rounds/r1/responses/"+dept, token, map[string]any{"answers": map[string]any{
			"cs-iam-1":   map[string]any{"level": 3, "comment": comment, "evidence": evidence},
			"cs-iam-2":   map[string]any{"level": 2},
			"cs-cloud-1": map[string]any{"na": true, "na_reason": reason},
			"cs-cloud-2": map[string]any{"level": 1, "comment": comment},
			"ds-gov-1":   map[string]any{"level": 4, "evidence": evidence},
			"ds-gov-2":   map[string]any{"level": 5, "comment": comment},
		}})
	}
	seed("ABC", f.tokens[resp], abcComment, abcEvidence, abcReason)
	seed("XYZ", f.tokens[other], xyzComment, xyzEvidence, xyzReason)
	h.must(http.StatusOK, "POST", "/api/v1/rounds/r1/responses/XYZ/submit", f.tokens[other], nil)
	return f
}

// caller returns who as a caller with a fresh session (a page cell may end
// its session by signing out).
func (f *authzFixture) caller(x who) caller {
	f.h.t.Helper()
	switch x {
	case anon:
		return caller{name: whoNames[x]}
	case badToken:
		return caller{name: whoNames[x], token: f.tokens[x], cookie: "never-issued-session", csrf: "never-issued-csrf"}
	}
	return f.h.callerWith(whoNames[x], f.tokens[x])
}

func (f *authzFixture) next() int { f.serial++; return f.serial }

// responseStatus is ABC's response status in r1.
func (f *authzFixture) responseStatus() string {
	f.h.t.Helper()
	r, err := f.h.store.Response(context.Background(), "r1", "ABC")
	if err != nil {
		f.h.t.Fatal(err)
	}
	return r.Status
}

// inProgress and submitted put ABC's complete response in the state a cell
// needs, through the API as an administrator would.
func (f *authzFixture) inProgress() {
	if f.responseStatus() == survey.StatusSubmitted {
		f.h.must(http.StatusOK, "POST", "/api/v1/rounds/r1/responses/ABC/reopen", f.h.admin, map[string]any{"reason": "matrix"})
	}
}

func (f *authzFixture) submitted() {
	if f.responseStatus() != survey.StatusSubmitted {
		f.h.must(http.StatusOK, "POST", "/api/v1/rounds/r1/responses/ABC/submit", f.h.admin, nil)
	}
}

// throwaway issues a credential for a revoke cell to revoke.
func (f *authzFixture) throwaway() string {
	out := f.h.must(http.StatusCreated, "POST", "/api/v1/credentials", f.h.admin, map[string]any{"role": "planner", "label": "throwaway"})
	return out["id"].(string)
}

// cell is one route's row of the matrix.
type cell struct {
	want expect
	// prepare runs before each request of the row and may return path
	// parameter values of its own (e.g. a credential to revoke).
	prepare func(f *authzFixture) map[string]string
	// body is the request body (JSON value, or url.Values for a page form).
	body func(f *authzFixture, x who, c caller, path string) any
}

const (
	s200 = http.StatusOK
	s201 = http.StatusCreated
	s204 = http.StatusNoContent
	s303 = http.StatusSeeOther
	s401 = http.StatusUnauthorized
	s403 = http.StatusForbidden
	s404 = http.StatusNotFound
	s409 = http.StatusConflict
)

func jsonBody(v func(i int) any) func(*authzFixture, who, caller, string) any {
	return func(f *authzFixture, _ who, _ caller, _ string) any { return v(f.next()) }
}

func formBody(v func(i int) url.Values) func(*authzFixture, who, caller, string) any {
	return func(f *authzFixture, _ who, _ caller, _ string) any { return v(f.next()) }
}

func inProgress(f *authzFixture) map[string]string { f.inProgress(); return nil }
func submitted(f *authzFixture) map[string]string  { f.submitted(); return nil }
func revokable(f *authzFixture) map[string]string  { return map[string]string{":id": f.throwaway()} }

// bureauToRename makes sure bureau BUR exists, for a rename to rename.
func bureauToRename(f *authzFixture) map[string]string {
	if rec := f.h.send("GET", "/api/v1/bureaux", caller{token: f.h.admin}, nil); !strings.Contains(rec.Body.String(), `"BUR"`) {
		f.h.must(http.StatusCreated, "POST", "/api/v1/bureaux", f.h.admin, map[string]any{"code": "BUR", "name_en": "Bureau", "name_zh": "局"})
	}
	return map[string]string{":code": "BUR"}
}

// extended grants ABC an extension in r1, for a removal to remove.
func extended(f *authzFixture) map[string]string {
	f.h.must(http.StatusOK, "PUT", "/api/v1/rounds/r1/departments/ABC/extension", f.h.admin,
		map[string]any{"closes_at": "2026-04-30T18:00:00+08:00", "reason": "fixture"})
	return nil
}

// matrix is the expected status of every route for every caller, keyed by
// "METHOD pattern" exactly as the route table has it. A route without an
// entry fails TestAuthorizationMatrix: adding an endpoint means deciding
// here who may call it.
func matrix() map[string]cell {
	adminOnly := w(s401, s401, s401, s200, s403, s403, s403)
	signedIn := w(s401, s401, s401, s200, s200, s200, s200)
	deptUser := w(s401, s401, s401, s200, s403, s200, s404)
	analysts := w(s401, s401, s401, s200, s200, s403, s403)
	public := w(s200, s200, s200, s200, s200, s200, s200)
	// Pages: signed-out callers go to the sign-in page (303).
	adminPage := w(s303, s303, s303, s200, s403, s403, s403)
	adminForm := w(s303, s303, s303, s303, s403, s403, s403)
	deptPage := w(s303, s303, s303, s200, s403, s200, s404)
	deptForm := w(s303, s303, s303, s303, s403, s303, s404)
	created := func(e expect) expect { e[admin] = s201; return e }

	return map[string]cell{
		"GET /healthz":             {want: public},
		"GET /readyz":              {want: public},
		"GET /api/v1/openapi.yaml": {want: public},

		"POST /api/v1/departments": {want: created(adminOnly), body: jsonBody(func(i int) any {
			return map[string]any{"code": fmt.Sprintf("N%d", i), "name_en": "n", "name_zh": "n", "bureau": "b"}
		})},
		"GET /api/v1/departments":         {want: adminOnly},
		"PATCH /api/v1/departments/:code": {want: adminOnly, body: jsonBody(func(i int) any { return map[string]any{"bureau": fmt.Sprintf("Bureau %d", i)} })},
		"POST /api/v1/credentials": {want: created(adminOnly), body: jsonBody(func(i int) any {
			return map[string]any{"role": "planner", "label": fmt.Sprintf("p%d", i)}
		})},
		"GET /api/v1/credentials":        {want: adminOnly},
		"DELETE /api/v1/credentials/:id": {want: w(s401, s401, s401, s204, s403, s403, s403), prepare: revokable},

		"GET /api/v1/questionnaires":     {want: signedIn},
		"GET /api/v1/questionnaires/:id": {want: signedIn, prepare: func(*authzFixture) map[string]string { return map[string]string{":id": "small"} }},

		"POST /api/v1/rounds": {want: created(adminOnly), body: jsonBody(func(i int) any {
			return map[string]any{"id": fmt.Sprintf("n%d", i), "title_en": "t", "title_zh": "t", "questionnaire": "small",
				"opens_at": "2026-01-01T00:00:00Z", "closes_at": "2026-02-01T00:00:00Z"}
		})},
		"GET /api/v1/rounds":          {want: signedIn},
		"GET /api/v1/rounds/:round":   {want: signedIn},
		"PATCH /api/v1/rounds/:round": {want: adminOnly, body: jsonBody(func(i int) any { return map[string]any{"title_en": fmt.Sprintf("Round %d", i)} })},
		"PUT /api/v1/rounds/:round/departments/:dept/extension": {want: adminOnly, body: jsonBody(func(i int) any {
			return map[string]any{"closes_at": "2026-04-30T18:00:00+08:00", "reason": fmt.Sprintf("reason %d", i)}
		})},
		"DELETE /api/v1/rounds/:round/departments/:dept/extension": {want: w(s401, s401, s401, s204, s403, s403, s403), prepare: extended},
		"GET /api/v1/rounds/:round/status":                         {want: adminOnly},

		"GET /api/v1/rounds/:round/responses/:dept": {want: deptUser},
		"PATCH /api/v1/rounds/:round/responses/:dept": {want: deptUser, prepare: inProgress, body: jsonBody(func(i int) any {
			return map[string]any{"answers": map[string]any{"cs-iam-2": map[string]any{"level": i % 6}}}
		})},
		"POST /api/v1/rounds/:round/responses/:dept/submit": {want: deptUser, prepare: inProgress},
		"POST /api/v1/rounds/:round/responses/:dept/reopen": {want: adminOnly, prepare: submitted,
			body: jsonBody(func(int) any { return map[string]any{"reason": "matrix"} })},

		// ABC has not submitted: its preview is for the department and the DPO, not planners.
		"GET /api/v1/rounds/:round/departments/:dept/scores": {want: w(s401, s401, s401, s200, s404, s200, s404)},
		"GET /api/v1/rounds/:round/scores":                   {want: analysts},
		"GET /api/v1/rounds/:round/topics":                   {want: analysts},
		"GET /api/v1/rounds/:round/topics.xlsx":              {want: analysts},
		// A respondent reads its own report once submitted: ABC's is not.
		"GET /api/v1/rounds/:round/departments/:dept/report.xlsx": {want: w(s401, s401, s401, s200, s403, s409, s404), prepare: inProgress},
		"GET /api/v1/rounds/:round/report.xlsx":                   {want: adminOnly},
		"GET /api/v1/audit":                                       {want: adminOnly},

		// Pages and their forms.
		"GET /static/*file": {want: public},
		"GET /lang/:lang":   {want: w(s303, s303, s303, s303, s303, s303, s303)},
		"GET /login":        {want: w(s200, s200, s200, s303, s303, s303, s303)},
		"POST /login":       {want: w(s403, s403, s403, s403, s403, s403, s403)}, // no sign-in form token
		"POST /logout":      {want: w(s303, s303, s303, s303, s303, s303, s303)},
		"GET /":             {want: w(s303, s303, s303, s303, s200, s200, s200)}, // admins are sent on to their rounds
		// The downloads run the same use cases as the API's workbooks.
		"GET /download/rounds/:round/departments/:dept/report.xlsx": {want: w(s303, s303, s303, s200, s403, s409, s404), prepare: inProgress},
		"GET /download/rounds/:round/report.xlsx":                   {want: w(s303, s303, s303, s200, s403, s403, s403)},
		"GET /download/rounds/:round/topics.xlsx":                   {want: w(s303, s303, s303, s200, s200, s403, s403)},

		"GET /rounds/:round/responses/:dept":                 {want: deptPage},
		"GET /rounds/:round/responses/:dept/domains/:domain": {want: deptPage},
		"POST /rounds/:round/responses/:dept/domains/:domain": {want: deptForm, prepare: inProgress,
			body: func(f *authzFixture, x who, c caller, path string) any {
				level := fmt.Sprint(f.next() % 6)
				if x != admin && x != resp {
					return url.Values{"level.cs-iam-2": {level}}
				}
				page := f.h.send("GET", path, c, nil)
				if page.Code != http.StatusOK {
					f.h.t.Fatalf("GET %s as %s: %d", path, c.name, page.Code)
				}
				return answerForm(f.h.t, page.Body.String(), map[string]string{"level.cs-iam-2": level})
			}},
		"GET /rounds/:round/responses/:dept/review":  {want: deptPage},
		"GET /rounds/:round/responses/:dept/submit":  {want: deptPage, prepare: inProgress},
		"POST /rounds/:round/responses/:dept/submit": {want: deptForm, prepare: inProgress},
		"POST /rounds/:round/responses/:dept/reopen": {want: adminForm, prepare: submitted,
			body: formBody(func(int) url.Values { return url.Values{"reason": {"matrix"}} })},

		"GET /planner/rounds/:round":             {want: w(s303, s303, s303, s200, s200, s403, s403)},
		"GET /planner/rounds/:round/topics.json": {want: w(s303, s303, s303, s200, s200, s403, s403)},

		"GET /admin/rounds": {want: adminPage},
		"POST /admin/rounds": {want: adminForm, body: formBody(func(i int) url.Values {
			return url.Values{"id": {fmt.Sprintf("p%d", i)}, "title_en": {"t"}, "title_zh": {"t"}, "questionnaire": {"small:1"},
				"opens_at": {"2026-01-05T09:00"}, "closes_at": {"2026-03-31T18:00"}}
		})},
		"GET /admin/rounds/:round": {want: adminPage},
		"POST /admin/rounds/:round/state": {want: adminForm,
			body: formBody(func(int) url.Values { return url.Values{"state": {"open"}} })},
		"GET /admin/departments": {want: adminPage},
		"POST /admin/departments": {want: adminForm, body: formBody(func(i int) url.Values {
			return url.Values{"code": {fmt.Sprintf("P%d", i)}, "name_en": {"n"}, "name_zh": {"n"}, "bureau": {"b"}}
		})},
		"GET /admin/departments/:code": {want: adminPage},
		"POST /admin/departments/:code": {want: adminForm,
			body: formBody(func(i int) url.Values { return url.Values{"bureau": {fmt.Sprintf("Bureau %d", i)}} })},
		"GET /admin/credentials": {want: adminPage},
		// Issuing redirects (303) to the page that shows the new token once.
		"POST /admin/credentials": {want: adminForm,
			body: formBody(func(i int) url.Values { return url.Values{"role": {"planner"}, "label": {fmt.Sprintf("p%d", i)}} })},
		"POST /admin/credentials/:id/revoke": {want: adminForm, prepare: revokable},

		// The seminar plan: planners and admins only; respondents 403.
		"GET /api/v1/rounds/:round/themes": {want: analysts},
		"POST /api/v1/seminars": {want: w(s401, s401, s401, s201, s201, s403, s403), body: jsonBody(func(i int) any {
			return map[string]any{"title_en": "Seminar", "title_zh": "研討會", "date": fmt.Sprintf("%04d-01-01", 2100+i), "areas": []string{"cs-iam"}, "round": "r1"}
		})},
		"GET /api/v1/seminars":     {want: analysts},
		"GET /api/v1/seminars/:id": {want: analysts, prepare: seminarFixture},
		"PATCH /api/v1/seminars/:id": {want: analysts, prepare: seminarFixture,
			body: jsonBody(func(i int) any { return map[string]any{"title_en": fmt.Sprintf("Seminar %d", i)} })},
		"PUT /api/v1/seminars/:id/attendance": {want: analysts, prepare: seminarFixture,
			body: jsonBody(func(i int) any { return map[string]any{"departments": []string{[]string{"ABC", "XYZ"}[i%2]}} })},
		"GET /api/v1/seminars/:id/invitations":      {want: analysts, prepare: seminarFixture},
		"GET /api/v1/seminars/:id/invitations.xlsx": {want: analysts, prepare: seminarFixture},
		"GET /api/v1/seminars/:id/effect":           {want: analysts, prepare: seminarEffectFixture},
		"GET /planner/seminars":                     {want: w(s303, s303, s303, s200, s200, s403, s403)},
		"POST /planner/seminars": {want: w(s303, s303, s303, s303, s303, s403, s403), body: formBody(func(i int) url.Values {
			return url.Values{"title_en": {"Seminar"}, "title_zh": {"研討會"}, "date": {fmt.Sprintf("%04d-02-01", 2100+i)}, "areas": {"cs-cloud"}, "round": {"r1"}}
		})},
		"GET /planner/seminars/:id": {want: w(s303, s303, s303, s200, s200, s403, s403), prepare: seminarFixture},
		"POST /planner/seminars/:id/attendance": {want: w(s303, s303, s303, s303, s303, s403, s403), prepare: seminarFixture,
			body: formBody(func(i int) url.Values { return url.Values{"departments": {[]string{"ABC", "XYZ"}[i%2]}} })},
		"GET /download/seminars/:id/invitations.xlsx": {want: w(s303, s303, s303, s200, s200, s403, s403), prepare: seminarFixture},
		// The yearly cycle. An upload or replacement without a YAML body is
		// 415 for an administrator, after the role check.
		"POST /api/v1/questionnaires":                               {want: w(s401, s401, s401, http.StatusUnsupportedMediaType, s403, s403, s403)},
		"GET /api/v1/questionnaires/:id/versions/:version":          {want: adminOnly, prepare: builtInVersion},
		"PUT /api/v1/questionnaires/:id/versions/:version":          {want: w(s401, s401, s401, http.StatusUnsupportedMediaType, s403, s403, s403), prepare: draftVersion},
		"POST /api/v1/questionnaires/:id/versions/:version/publish": {want: adminOnly, prepare: draftVersion},
		"GET /api/v1/questionnaires/:id/diff": {want: adminOnly, prepare: func(*authzFixture) map[string]string {
			return map[string]string{":id": "small", "diff": "diff?from=1&to=1"}
		}},
		"POST /api/v1/rounds/:round/copy": {want: created(adminOnly), body: jsonBody(func(i int) any { return map[string]any{"id": fmt.Sprintf("c%d", i)} })},
		"GET /admin/questionnaires":       {want: adminPage},
		"POST /admin/questionnaires": {want: adminForm, body: formBody(func(i int) url.Values {
			return url.Values{"source": {matrixQuestionnaire(i)}}
		})},
		"GET /admin/questionnaires/:id/versions/:version":          {want: adminPage, prepare: builtInVersion},
		"POST /admin/questionnaires/:id/versions/:version/publish": {want: adminForm, prepare: draftVersion},
		"POST /admin/questionnaires/:id/versions/:version/replace": {want: adminForm, prepare: draftVersion,
			body: func(f *authzFixture, _ who, _ caller, path string) any {
				id := strings.Split(path, "/")[3]
				return url.Values{"source": {strings.Replace(matrixQuestionnaire(0), "id: mx-0\n", "id: "+id+"\n", 1)}}
			}},
		"POST /admin/rounds/:round/copy": {want: adminForm, body: formBody(func(i int) url.Values { return url.Values{"id": {fmt.Sprintf("pc%d", i)}} })},
		// Nothing in r1 is carried over: confirming changes nothing and goes back to the domain.
		"POST /rounds/:round/responses/:dept/confirm": {want: deptForm, prepare: inProgress,
			body: formBody(func(int) url.Values { return url.Values{"confirm_area": {"cs-iam"}} })},
		// Pages, version 2: confirmation pages, the once-only token page
		// (it shows "shown already" without the hand-over cookie), the
		// to-chase export and the audit trail.
		"GET /admin/rounds/:round/state":      {want: adminPage},
		"GET /admin/rounds/:round/chase.xlsx": {want: adminPage},
		"GET /admin/departments/:code/active": {want: adminPage},
		"GET /admin/credentials/:id/revoke":   {want: adminPage, prepare: revokable},
		"GET /admin/credentials/issued/:id":   {want: adminPage, prepare: revokable},
		"GET /admin/audit":                    {want: adminPage},

		// The managed list of bureaux.
		"POST /api/v1/bureaux": {want: w(s401, s401, s401, s201, s403, s403, s403),
			body: jsonBody(func(i int) any {
				return map[string]any{"code": fmt.Sprintf("BU%d", i), "name_en": "b", "name_zh": "局"}
			})},
		"GET /api/v1/bureaux":         {want: signedIn},
		"PATCH /api/v1/bureaux/:code": {want: adminOnly, prepare: bureauToRename, body: jsonBody(func(i int) any { return map[string]any{"name_en": fmt.Sprintf("Bureau %d", i)} })},
		"GET /admin/bureaux":          {want: adminPage},
		"POST /admin/bureaux": {want: adminForm, body: formBody(func(i int) url.Values {
			return url.Values{"code": {fmt.Sprintf("PB%d", i)}, "name_en": {"b"}, "name_zh": {"局"}}
		})},
		"POST /admin/bureaux/:code": {want: adminForm, prepare: bureauToRename,
			body: formBody(func(i int) url.Values { return url.Values{"name_en": {fmt.Sprintf("Renamed %d", i)}} })},
	}
}

// matrixSeminar is the seminar the matrix's seminar routes act on: planned
// from r1 on Identity and access.
var matrixSeminar = survey.SeminarID("r1", "2026-06-01", "", []string{"cs-iam"})

// seminarFixture plans the matrix's seminar once.
func seminarFixture(f *authzFixture) map[string]string {
	if f.h.request("GET", "/api/v1/seminars/"+matrixSeminar, f.h.admin, nil).Code == http.StatusNotFound {
		f.h.must(http.StatusCreated, "POST", "/api/v1/seminars", f.h.admin, map[string]any{
			"title_en": "Identity for leaders", "title_zh": "領導者的身分管理", "date": "2026-06-01", "areas": []string{"cs-iam"}, "round": "r1"})
	}
	return map[string]string{":id": matrixSeminar}
}

// seminarEffectFixture adds an open later round r2 to read the effect by.
func seminarEffectFixture(f *authzFixture) map[string]string {
	out := seminarFixture(f)
	if f.h.request("GET", "/api/v1/rounds/r2", f.h.admin, nil).Code == http.StatusNotFound {
		f.h.must(http.StatusCreated, "POST", "/api/v1/rounds", f.h.admin, map[string]any{"id": "r2", "title_en": "Round r2", "title_zh": "r2輪",
			"questionnaire": "small", "opens_at": "2027-01-05T09:00:00+08:00", "closes_at": "2027-03-31T18:00:00+08:00"})
		f.h.must(http.StatusOK, "PATCH", "/api/v1/rounds/r2", f.h.admin, map[string]any{"state": "open"})
	}
	out["effect"] = "effect?round=r2"
	return out
}

// matrixQuestionnaire is the small questionnaire's file as a new
// questionnaire mx-<i>, version 1.
func matrixQuestionnaire(i int) string {
	return strings.Replace(string(surveytest.SmallYAML()), "id: small\n", fmt.Sprintf("id: mx-%d\n", i), 1)
}

// builtInVersion names the small questionnaire's built-in version 1.
func builtInVersion(*authzFixture) map[string]string {
	return map[string]string{":id": "small", ":version": "1"}
}

// draftVersion uploads a fresh draft for a cell to publish or replace.
func draftVersion(f *authzFixture) map[string]string {
	i := f.next()
	rec := f.h.request("POST", "/api/v1/questionnaires", f.h.admin, matrixQuestionnaire(i), "Content-Type", "application/yaml")
	if rec.Code != http.StatusCreated {
		f.h.t.Fatalf("draft for the matrix: %d %s", rec.Code, rec.Body.String())
	}
	return map[string]string{":id": fmt.Sprintf("mx-%d", i), ":version": "1"}
}

// pathValues fills a route pattern with the fixture's ids.
var pathValues = map[string]string{
	":round": "r1", ":dept": "ABC", ":code": "ABC", ":domain": "cs", ":id": "none", ":lang": "zh",
	"*file": "app.css", "*path": "rounds/r1/topics.xlsx",
}

func fillPath(pattern string, overrides map[string]string) string {
	parts := strings.Split(pattern, "/")
	for i, p := range parts {
		if v, ok := overrides[p]; ok {
			parts[i] = v
		} else if v, ok := pathValues[p]; ok {
			parts[i] = v
		}
	}
	return strings.Join(parts, "/")
}

// TestAuthorizationMatrix: every registered route, for every kind of
// caller, answers exactly the expected status (generated from the route
// table, so a new route without an expectation fails); API errors are JSON
// of the API and signed-out pages redirect to the sign-in page; every
// response carries the security headers; and no planner response, nor any
// response to another department's respondent, contains answer text
// (comments, evidence, N/A reasons), workbooks included.
func TestAuthorizationMatrix(t *testing.T) {
	f := newAuthzFixture(t)
	h := f.h
	table := matrix()
	for k, v := range peopleMatrix() {
		table[k] = v
	}
	routes := h.srv.Routes()
	sort.Slice(routes, func(i, j int) bool { return routes[i].Path+routes[i].Method < routes[j].Path+routes[j].Method })

	seen := map[string]bool{}
	bodies := map[who][]string{}
	for _, r := range routes {
		key := r.Method + " " + r.Path
		seen[key] = true
		spec, ok := table[key]
		if !ok {
			t.Errorf("route %s has no entry in the authorization matrix: decide who may call it", key)
			continue
		}
		t.Run(strings.TrimPrefix(key, " "), func(t *testing.T) {
			for x := who(0); x < nWho; x++ {
				var overrides map[string]string
				if spec.prepare != nil {
					overrides = spec.prepare(f)
				}
				path := fillPath(r.Path, overrides)
				c := f.caller(x)
				var body any
				if spec.body != nil {
					body = spec.body(f, x, c, path)
				}
				rec := h.send(r.Method, path, c, body)
				if rec.Code != spec.want[x] {
					t.Errorf("%s %s as %s: status %d, want %d: %.300s", r.Method, path, whoNames[x], rec.Code, spec.want[x], rec.Body.String())
					continue
				}
				checkSecurityHeaders(t, rec)
				switch {
				case isAPIPath(path) && rec.Code >= 400:
					checkJSONError(t, rec)
				case !isAPIPath(path) && rec.Code == s303 && x <= revoked && r.Path != "/lang/:lang" && r.Path != "/logout":
					if loc := rec.Header().Get("Location"); !strings.HasPrefix(loc, "/login") {
						t.Errorf("%s %s as %s: redirected to %q, not to the sign-in page", r.Method, path, whoNames[x], loc)
					}
				case !isAPIPath(path) && rec.Code >= 400 && !strings.HasPrefix(path, "/download/"):
					if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
						t.Errorf("%s %s as %s: a %d page of type %q", r.Method, path, whoNames[x], rec.Code, ct)
					}
				}
				bodies[x] = append(bodies[x], key+"\n"+searchableText(t, rec.Body.Bytes()))
			}
		})
	}
	for key := range table {
		if !seen[key] {
			t.Logf("matrix entry %s has no route (not registered in this build)", key)
		}
	}

	t.Run("planners never see answer text", func(t *testing.T) {
		// Every GET a planner can make, for both departments (XYZ is submitted).
		p := f.caller(planner)
		for _, r := range routes {
			if r.Method != http.MethodGet {
				continue
			}
			for _, dept := range []string{"ABC", "XYZ"} {
				path := fillPath(r.Path, map[string]string{":dept": dept, ":code": dept})
				bodies[planner] = append(bodies[planner], "GET "+path+"\n"+searchableText(t, h.send("GET", path, p, nil).Body.Bytes()))
			}
		}
		for _, r := range routes {
			if r.Method == http.MethodGet && strings.HasPrefix(r.Path, "/api/v1/") && strings.HasSuffix(r.Path, ".xlsx") {
				for _, dept := range []string{"ABC", "XYZ"} {
					path := "/download/" + strings.TrimPrefix(fillPath(r.Path, map[string]string{":dept": dept}), "/api/v1/")
					bodies[planner] = append(bodies[planner], "GET "+path+"\n"+searchableText(t, h.send("GET", path, p, nil).Body.Bytes()))
				}
			}
		}
		assertNoMarkers(t, whoNames[planner], bodies[planner], allMarkers)
	})
	t.Run("another department never sees the department's answers", func(t *testing.T) {
		assertNoMarkers(t, whoNames[other], bodies[other], abcMarkers)
	})
	t.Run("the markers are findable where they belong", func(t *testing.T) {
		// Without this, a search that cannot see into a body would pass.
		found := func(path string, token string, marker string) {
			t.Helper()
			rec := h.request("GET", path, token, nil)
			if rec.Code != http.StatusOK || !strings.Contains(searchableText(t, rec.Body.Bytes()), marker) {
				t.Errorf("%s: %d, marker %s not found", path, rec.Code, marker)
			}
		}
		found("/api/v1/rounds/r1/responses/ABC", f.tokens[resp], abcReason)
		for _, r := range routes {
			if r.Path == "/api/v1/rounds/:round/departments/:dept/report.xlsx" {
				found("/api/v1/rounds/r1/departments/XYZ/report.xlsx", h.admin, xyzComment)
			}
		}
	})
}

func assertNoMarkers(t *testing.T, name string, bodies []string, markers []string) {
	t.Helper()
	if len(bodies) == 0 {
		t.Fatalf("no responses to %s were searched", name)
	}
	for _, b := range bodies {
		for _, m := range markers {
			if strings.Contains(b, m) {
				request, _, _ := strings.Cut(b, "\n")
				t.Errorf("the response to %s of %s contains %s", name, request, m)
			}
		}
	}
}

// checkSecurityHeaders asserts the headers every response carries: a CSP
// that allows no inline script and no framing, nosniff, and a referrer
// policy.
func checkSecurityHeaders(t *testing.T, rec interface{ Header() http.Header }) {
	t.Helper()
	hdr := rec.Header()
	csp := hdr.Get("Content-Security-Policy")
	directives := map[string]string{}
	for _, d := range strings.Split(csp, ";") {
		name, value, _ := strings.Cut(strings.TrimSpace(d), " ")
		if name != "" {
			directives[name] = value
		}
	}
	script, ok := directives["script-src"]
	if !ok {
		script, ok = directives["default-src"]
	}
	switch {
	case !ok:
		t.Errorf("CSP %q restricts no scripts", csp)
	case strings.Contains(script, "'unsafe-inline'") || strings.Contains(script, "'unsafe-eval'") || strings.Contains(script, "*"):
		t.Errorf("CSP script sources %q allow inline or foreign script", script)
	}
	if directives["frame-ancestors"] != "'none'" {
		t.Errorf("CSP %q does not forbid framing", csp)
	}
	if _, ok := directives["object-src"]; !ok && !strings.Contains(directives["default-src"], "'self'") {
		t.Errorf("CSP %q leaves plugins open", csp)
	}
	if hdr.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("X-Content-Type-Options %q", hdr.Get("X-Content-Type-Options"))
	}
	switch hdr.Get("Referrer-Policy") {
	case "no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin":
	default:
		t.Errorf("Referrer-Policy %q", hdr.Get("Referrer-Policy"))
	}
}
