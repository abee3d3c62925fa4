package web

import (
	"github.com/gin-gonic/gin"

	"github.com/dpo/dgsurvey/handlers/httpx"
)

// Routes lists the HTML pages (sign-in, respondent, admin and planner
// pages, and the downloads they link). They are public to the engine (nil
// roles): each page checks the session cookie itself through signedIn,
// which redirects to /login instead of answering the API's JSON 401, and
// checks the CSRF token of every POST.
func (pg *Pages) Routes() []httpx.Route {
	page := pg.signedIn
	r := func(method, path string, h func(*gin.Context)) httpx.Route {
		return httpx.Route{Method: method, Path: path, Handle: h}
	}
	return []httpx.Route{
		r("GET", "/static/*file", pg.static),
		r("GET", "/lang/:lang", pg.switchLang),
		r("GET", "/login", pg.loginForm),
		r("POST", "/login", pg.login),
		r("POST", "/logout", page(httpx.AnyRole, pg.logout)),
		r("GET", "/", page(httpx.AnyRole, pg.home)),

		r("GET", "/rounds/:round/responses/:dept", page(httpx.DepartmentUser, pg.overview)),
		r("GET", "/rounds/:round/responses/:dept/domains/:domain", page(httpx.DepartmentUser, pg.domainForm)),
		r("POST", "/rounds/:round/responses/:dept/domains/:domain", page(httpx.DepartmentUser, pg.saveDomain)),
		r("GET", "/rounds/:round/responses/:dept/review", page(httpx.DepartmentUser, pg.review)),
		r("GET", "/rounds/:round/responses/:dept/submit", page(httpx.DepartmentUser, pg.confirmSubmit)),
		r("POST", "/rounds/:round/responses/:dept/submit", page(httpx.DepartmentUser, pg.submit)),
		r("POST", "/rounds/:round/responses/:dept/reopen", page(httpx.AdminOnly, pg.reopen)),

		r("GET", "/admin/rounds", page(httpx.AdminOnly, pg.adminRounds)),
		r("POST", "/admin/rounds", page(httpx.AdminOnly, pg.createRound)),
		r("GET", "/admin/rounds/:round", page(httpx.AdminOnly, pg.dashboard)),
		r("POST", "/admin/rounds/:round/state", page(httpx.AdminOnly, pg.changeRound)),
		r("GET", "/admin/departments", page(httpx.AdminOnly, pg.adminDepartments)),
		r("POST", "/admin/departments", page(httpx.AdminOnly, pg.createDepartment)),
		r("GET", "/admin/departments/:code", page(httpx.AdminOnly, pg.editDepartment)),
		r("POST", "/admin/departments/:code", page(httpx.AdminOnly, pg.updateDepartment)),
		r("GET", "/admin/credentials", page(httpx.AdminOnly, pg.adminCredentials)),
		r("POST", "/admin/credentials", page(httpx.AdminOnly, pg.issueCredential)),
		r("POST", "/admin/credentials/:id/revoke", page(httpx.AdminOnly, pg.revokeCredential)),

		// The seminar planner's page of a round, and its ranking as JSON for
		// a browser link (the API wants a CSRF header with a session).
		r("GET", "/planner/rounds/:round", page(httpx.Analysts, pg.seminarPlanner)),
		r("GET", "/planner/rounds/:round/topics.json", page(httpx.Analysts, pg.plannerTopicsJSON)),

		// Workbooks for a signed-in browser: the same use cases as the API's
		// .xlsx routes, without the CSRF header a plain link cannot send.
		r("GET", downloadPrefix+"rounds/:round/departments/:dept/report.xlsx", page(httpx.DepartmentUser, pg.downloadDepartment)),
		r("GET", downloadPrefix+"rounds/:round/report.xlsx", page(httpx.AdminOnly, pg.downloadConsolidated)),
		r("GET", downloadPrefix+"rounds/:round/topics.xlsx", page(httpx.Analysts, pg.downloadTopics)),
	}
}
