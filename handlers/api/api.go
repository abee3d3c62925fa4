// Package api is the JSON API under /api/v1, with health and readiness and
// its OpenAPI description. Its handlers read the request, call one use case
// of survey/assess and write JSON; they hold no rules of their own.
package api

import (
	_ "embed"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/dpo/dgsurvey/handlers/httpx"
	"github.com/dpo/dgsurvey/survey"
	"github.com/dpo/dgsurvey/survey/assess"
)

//go:embed openapi.yaml
var openAPISpec []byte

// API serves the JSON endpoints over the use cases.
type API struct {
	svc     *assess.Service
	maxBody int64
	log     *slog.Logger
	// cookieSecure: the pages' session cookie is Secure, and so named
	// __Host-dgs_session, even without TLS here (it ends at a proxy).
	cookieSecure bool
}

// New builds the API; maxBody caps request bodies (413 above).
func New(svc *assess.Service, maxBody int64, log *slog.Logger) *API {
	return &API{svc: svc, maxBody: maxBody, log: log}
}

// WithCookieSecure says that the session cookie is Secure (and so carries
// the __Host- prefix) even on requests that arrive without TLS.
func (a *API) WithCookieSecure(secure bool) *API {
	a.cookieSecure = secure
	return a
}

// Routes lists the API's endpoints; those with roles authenticate first.
func (a *API) Routes() []httpx.Route {
	routes := []httpx.Route{
		{Method: "GET", Path: "/healthz", Handle: a.healthz},
		{Method: "GET", Path: "/readyz", Handle: a.readyz},
		{Method: "GET", Path: "/api/v1/openapi.yaml", Handle: a.openAPI},

		{Method: "POST", Path: "/api/v1/departments", Roles: httpx.AdminOnly, Handle: a.createDepartment},
		{Method: "GET", Path: "/api/v1/departments", Roles: httpx.AdminOnly, Handle: a.listDepartments},
		{Method: "PATCH", Path: "/api/v1/departments/:code", Roles: httpx.AdminOnly, Handle: a.updateDepartment},

		{Method: "POST", Path: "/api/v1/credentials", Roles: httpx.AdminOnly, Handle: a.issueCredential},
		{Method: "GET", Path: "/api/v1/credentials", Roles: httpx.AdminOnly, Handle: a.listCredentials},
		{Method: "DELETE", Path: "/api/v1/credentials/:id", Roles: httpx.AdminOnly, Handle: a.revokeCredential},

		{Method: "GET", Path: "/api/v1/questionnaires", Roles: httpx.AnyRole, Handle: a.listQuestionnaires},
		{Method: "GET", Path: "/api/v1/questionnaires/:id", Roles: httpx.AnyRole, Handle: a.getQuestionnaire},

		{Method: "POST", Path: "/api/v1/rounds", Roles: httpx.AdminOnly, Handle: a.createRound},
		{Method: "GET", Path: "/api/v1/rounds", Roles: httpx.AnyRole, Handle: a.listRounds},
		{Method: "GET", Path: "/api/v1/rounds/:round", Roles: httpx.AnyRole, Handle: a.getRound},
		{Method: "PATCH", Path: "/api/v1/rounds/:round", Roles: httpx.AdminOnly, Handle: a.updateRound},
		{Method: "GET", Path: "/api/v1/rounds/:round/status", Roles: httpx.AdminOnly, Handle: a.roundStatus},
		{Method: "PUT", Path: "/api/v1/rounds/:round/departments/:dept/extension", Roles: httpx.AdminOnly, Handle: a.extendDeadline},
		{Method: "DELETE", Path: "/api/v1/rounds/:round/departments/:dept/extension", Roles: httpx.AdminOnly, Handle: a.removeExtension},

		{Method: "GET", Path: "/api/v1/rounds/:round/responses/:dept", Roles: httpx.DepartmentUser, Handle: a.getResponse},
		{Method: "PATCH", Path: "/api/v1/rounds/:round/responses/:dept", Roles: httpx.DepartmentUser, Handle: a.patchResponse},
		{Method: "POST", Path: "/api/v1/rounds/:round/responses/:dept/submit", Roles: httpx.DepartmentUser, Handle: a.submitResponse},
		{Method: "POST", Path: "/api/v1/rounds/:round/responses/:dept/reopen", Roles: httpx.AdminOnly, Handle: a.reopenResponse},

		{Method: "GET", Path: "/api/v1/rounds/:round/departments/:dept/scores", Roles: httpx.AnyRole, Handle: a.departmentScores},
		{Method: "GET", Path: "/api/v1/rounds/:round/scores", Roles: httpx.Analysts, Handle: a.roundScores},
		{Method: "GET", Path: "/api/v1/rounds/:round/topics", Roles: httpx.Analysts, Handle: a.topics},
		{Method: "GET", Path: "/api/v1/rounds/:round/topics.xlsx", Roles: httpx.Analysts, Handle: a.topicsWorkbook},
		{Method: "GET", Path: "/api/v1/rounds/:round/departments/:dept/report.xlsx", Roles: httpx.DepartmentUser, Handle: a.departmentReport},
		{Method: "GET", Path: "/api/v1/rounds/:round/report.xlsx", Roles: httpx.AdminOnly, Handle: a.consolidatedReport},

		{Method: "GET", Path: "/api/v1/audit", Roles: httpx.AdminOnly, Handle: a.listAudit},

		{Method: "GET", Path: "/api/v1/rounds/:round/themes", Roles: httpx.Analysts, Handle: a.themes},
		{Method: "POST", Path: "/api/v1/seminars", Roles: httpx.Analysts, Handle: a.createSeminar},
		{Method: "GET", Path: "/api/v1/seminars", Roles: httpx.Analysts, Handle: a.listSeminars},
		{Method: "GET", Path: "/api/v1/seminars/:id", Roles: httpx.Analysts, Handle: a.getSeminar},
		{Method: "PATCH", Path: "/api/v1/seminars/:id", Roles: httpx.Analysts, Handle: a.updateSeminar},
		{Method: "PUT", Path: "/api/v1/seminars/:id/attendance", Roles: httpx.Analysts, Handle: a.setAttendance},
		{Method: "GET", Path: "/api/v1/seminars/:id/invitations", Roles: httpx.Analysts, Handle: a.seminarInvitations},
		{Method: "GET", Path: "/api/v1/seminars/:id/invitations.xlsx", Roles: httpx.Analysts, Handle: a.seminarInvitationsWorkbook},
		{Method: "GET", Path: "/api/v1/seminars/:id/effect", Roles: httpx.Analysts, Handle: a.seminarEffect},
		{Method: "POST", Path: "/api/v1/questionnaires", Roles: httpx.AdminOnly, Handle: a.uploadQuestionnaire},
		{Method: "GET", Path: "/api/v1/questionnaires/:id/versions/:version", Roles: httpx.AdminOnly, Handle: a.getQuestionnaireVersion},
		{Method: "PUT", Path: "/api/v1/questionnaires/:id/versions/:version", Roles: httpx.AdminOnly, Handle: a.replaceQuestionnaire},
		{Method: "POST", Path: "/api/v1/questionnaires/:id/versions/:version/publish", Roles: httpx.AdminOnly, Handle: a.publishQuestionnaire},
		{Method: "GET", Path: "/api/v1/questionnaires/:id/diff", Roles: httpx.AdminOnly, Handle: a.diffQuestionnaire},
		{Method: "POST", Path: "/api/v1/rounds/:round/copy", Roles: httpx.AdminOnly, Handle: a.copyRound},
		{Method: "POST", Path: "/api/v1/bureaux", Roles: httpx.AdminOnly, Handle: a.createBureau},
		{Method: "GET", Path: "/api/v1/bureaux", Roles: httpx.AnyRole, Handle: a.listBureaux},
		{Method: "PATCH", Path: "/api/v1/bureaux/:code", Roles: httpx.AdminOnly, Handle: a.updateBureau},
	}
	routes = append(routes, a.peopleRoutes()...)
	for i, r := range routes {
		if r.Roles != nil {
			routes[i].Handle = a.guard(r.Roles, r.Handle)
		}
	}
	return routes
}

// guard lets through only an authenticated principal of one of roles.
func (a *API) guard(roles []string, h gin.HandlerFunc) gin.HandlerFunc {
	return func(c *gin.Context) {
		if !a.authenticate(c) {
			return
		}
		if !slices.Contains(roles, httpx.Principal(c).Role) {
			a.Fail(c, survey.Errorf(survey.EFORBIDDEN, "your role may not do this"))
			return
		}
		h(c)
	}
}

// authenticate accepts a bearer token or, for the pages' own API calls, the
// session cookie together with a matching X-CSRF-Token header. A failed
// attempt counts against the client's address (429 past the limit).
func (a *API) authenticate(c *gin.Context) bool {
	header := c.GetHeader("Authorization")
	if token, ok := bearerToken(header); ok {
		p, err := a.svc.Authenticate(c, token, c.ClientIP())
		if err != nil {
			a.failAuth(c, err)
			return false
		}
		httpx.SetPrincipal(c, p)
		return true
	}
	if header == "" {
		cookie := httpx.SessionCookieValue(c, a.cookieSecure || c.Request.TLS != nil)
		sess, p, err := a.svc.Session(c, cookie)
		if err != nil {
			a.Fail(c, err)
			return false
		}
		if p != nil {
			if !assess.ValidCSRF(sess, c.GetHeader(httpx.CSRFHeader)) {
				a.Fail(c, survey.Errorf(survey.EFORBIDDEN, "a session needs a matching X-CSRF-Token header on API calls"))
				return false
			}
			httpx.SetPrincipal(c, *p)
			httpx.SetSession(c, sess)
			return true
		}
	}
	_, err := a.svc.Authenticate(c, "", c.ClientIP())
	a.failAuth(c, err)
	return false
}

func (a *API) failAuth(c *gin.Context, err error) {
	if survey.ErrorCode(err) == survey.EUNAUTHORIZED {
		c.Header("WWW-Authenticate", `Bearer realm="surveyd"`)
	}
	a.Fail(c, err)
}

func bearerToken(h string) (string, bool) {
	scheme, token, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	return token, token != ""
}

type errorBody struct {
	Code    string              `json:"code"`
	Message string              `json:"message"`
	Fields  []survey.FieldError `json:"fields,omitempty"`
}

// Fail writes err as the JSON error body and aborts the request.
// Server-side failures are logged with the request id and never shown.
func (a *API) Fail(c *gin.Context, err error) {
	p := httpx.Classify(err)
	out := errorBody{Code: p.Code, Message: p.Message, Fields: p.Fields}
	if p.Status >= 500 && p.Code != survey.EUNAVAILABLE {
		out.Message = "internal error; the request id is " + httpx.RequestID(c)
	}
	if p.Status >= 500 {
		a.log.ErrorContext(c.Request.Context(), "request failed", slog.String("request_id", httpx.RequestID(c)),
			slog.String("path", c.FullPath()), slog.Any("error", err))
	}
	if p.RetryAfter > 0 {
		c.Header("Retry-After", strconv.Itoa(p.RetryAfter))
	}
	body := gin.H{"error": out}
	if p.Current != nil {
		body["current"] = p.Current
	}
	c.AbortWithStatusJSON(p.Status, body)
}

func (a *API) healthz(c *gin.Context) { c.JSON(http.StatusOK, gin.H{"status": "ok"}) }

// readyz says whether the service can do its work: the store must answer.
func (a *API) readyz(c *gin.Context) {
	if err := a.svc.Ready(c); err != nil {
		a.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"status": "ready"})
}

func (a *API) openAPI(c *gin.Context) {
	c.Data(http.StatusOK, "application/yaml; charset=utf-8", openAPISpec)
}
