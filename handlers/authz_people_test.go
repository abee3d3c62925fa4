package handlers_test

import (
	"fmt"
	"net/http"
	"net/url"
)

// peopleMatrix is the authorization matrix of the people routes (merged
// into matrix by TestAuthorizationMatrix). In the fixture, ABC has no
// approver, so its respondent submits and asking for approval is 409;
// the approver/preparer split is TestSignOffAndReceipts.
func peopleMatrix() map[string]cell {
	adminOnly := w(s401, s401, s401, s200, s403, s403, s403)
	adminPage := w(s303, s303, s303, s200, s403, s403, s403)
	adminForm := w(s303, s303, s303, s303, s403, s403, s403)
	created := func(e expect) expect { e[admin] = s201; return e }
	user := func(f *authzFixture) map[string]string {
		out := f.h.must(http.StatusCreated, "POST", "/api/v1/users", f.h.admin, map[string]any{
			"name": "Matrix User", "email": fmt.Sprintf("matrix%d@x.example", f.next()), "role": "planner"})
		return map[string]string{":id": out["id"].(string)}
	}
	all := func(status int) expect { return w(status, status, status, status, status, status, status) }
	return map[string]cell{
		"POST /api/v1/users": {want: created(adminOnly), body: jsonBody(func(i int) any {
			return map[string]any{"name": fmt.Sprintf("User %d", i), "email": fmt.Sprintf("user%d@x.example", i), "role": "planner"}
		})},
		"GET /api/v1/users": {want: adminOnly},
		"PATCH /api/v1/users/:id": {want: adminOnly, prepare: user,
			body: jsonBody(func(i int) any { return map[string]any{"name": fmt.Sprintf("Renamed %d", i)} })},
		"POST /api/v1/users/:id/invite": {want: adminOnly, prepare: user},
		"GET /api/v1/outbox":            {want: adminOnly},
		// Admins submit directly (403); ABC has no approver (409); XYZ's
		// respondent cannot see ABC (404).
		"POST /api/v1/rounds/:round/responses/:dept/ready": {want: w(s401, s401, s401, s403, s403, s409, s404), prepare: inProgress},
		// Only approvers and admins send back: ABC's response is not ready (409).
		"POST /api/v1/rounds/:round/responses/:dept/send-back": {want: w(s401, s401, s401, s409, s403, s403, s403), prepare: inProgress,
			body: jsonBody(func(int) any { return map[string]any{"reason": "matrix"} })},
		"POST /api/v1/rounds/:round/reminders": {want: adminOnly, body: jsonBody(func(int) any { return map[string]any{} })},

		// Without the sign-in form's token nobody gets a link or a session.
		"POST /login/email":   {want: all(s403), body: formBody(func(int) url.Values { return url.Values{"email": {"a@x.example"}} })},
		"GET /signin/:token":  {want: all(http.StatusNotFound)},
		"POST /signin/:token": {want: all(s403)},
		// Single sign-on is not configured in the fixture (TestOIDCSignIn has it).
		"GET /auth/oidc/start":    {want: all(http.StatusNotFound)},
		"GET /auth/oidc/callback": {want: all(http.StatusNotFound)},
		"GET /admin/users":        {want: adminPage},
		"POST /admin/users": {want: adminForm, body: formBody(func(i int) url.Values {
			return url.Values{"name": {fmt.Sprintf("Page user %d", i)}, "email": {fmt.Sprintf("page%d@x.example", i)}, "role": {"planner"}}
		})},
		"POST /admin/users/:id": {want: adminForm, prepare: user,
			body: formBody(func(int) url.Values { return url.Values{"active": {"off"}} })},
		"POST /admin/users/:id/invite":              {want: adminForm, prepare: user},
		"GET /admin/outbox":                         {want: adminPage},
		"GET /admin/rounds/:round/reminders":        {want: adminPage},
		"POST /admin/rounds/:round/reminders":       {want: w(s303, s303, s303, s200, s403, s403, s403), body: formBody(func(int) url.Values { return url.Values{"all": {"1"}} })},
		"POST /rounds/:round/responses/:dept/ready": {want: w(s303, s303, s303, s403, s403, s409, s404), prepare: inProgress},
		"POST /rounds/:round/responses/:dept/send-back": {want: w(s303, s303, s303, s409, s403, s403, s404), prepare: inProgress,
			body: formBody(func(int) url.Values { return url.Values{"reason": {"matrix"}} })},
	}
}
