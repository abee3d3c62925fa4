package handlers

import (
	"github.com/gin-gonic/gin"

	"github.com/dpo/dgsurvey/survey"
)

// route is one endpoint: who may call it and what serves it. The table is
// the single source for the engine, the OpenAPI check and the
// authorization tests.
type route struct {
	method string
	path   string
	roles  []string // nil: public
	handle gin.HandlerFunc
}

// RouteInfo describes a registered endpoint for tests and documentation.
type RouteInfo struct {
	Method string
	Path   string
	Roles  []string
}

// Routes lists every registered endpoint.
func (s *Server) Routes() []RouteInfo {
	out := make([]RouteInfo, len(s.routes))
	for i, r := range s.routes {
		out[i] = RouteInfo{Method: r.method, Path: r.path, Roles: r.roles}
	}
	return out
}

var (
	adminOnly      = []string{survey.RoleAdmin}
	anyRole        = []string{survey.RoleAdmin, survey.RoleRespondent, survey.RolePlanner}
	departmentUser = []string{survey.RoleAdmin, survey.RoleRespondent}
	analysts       = []string{survey.RoleAdmin, survey.RolePlanner}
)

func (s *Server) apiRoutes() []route {
	return []route{
		{"GET", "/healthz", nil, s.healthz},
		{"GET", "/readyz", nil, s.readyz},
		{"GET", "/metrics", nil, s.serveMetrics},
		{"GET", "/api/v1/openapi.yaml", nil, s.openAPI},

		{"POST", "/api/v1/departments", adminOnly, s.createDepartment},
		{"GET", "/api/v1/departments", adminOnly, s.listDepartments},
		{"PATCH", "/api/v1/departments/:code", adminOnly, s.updateDepartment},

		{"POST", "/api/v1/credentials", adminOnly, s.issueCredential},
		{"GET", "/api/v1/credentials", adminOnly, s.listCredentials},
		{"DELETE", "/api/v1/credentials/:id", adminOnly, s.revokeCredential},

		{"GET", "/api/v1/questionnaires", anyRole, s.listQuestionnaires},
		{"GET", "/api/v1/questionnaires/:id", anyRole, s.getQuestionnaire},

		{"POST", "/api/v1/rounds", adminOnly, s.createRound},
		{"GET", "/api/v1/rounds", anyRole, s.listRounds},
		{"GET", "/api/v1/rounds/:round", anyRole, s.getRound},
		{"PATCH", "/api/v1/rounds/:round", adminOnly, s.updateRound},
		{"GET", "/api/v1/rounds/:round/status", adminOnly, s.roundStatus},

		{"GET", "/api/v1/rounds/:round/responses/:dept", departmentUser, s.getResponse},
		{"PATCH", "/api/v1/rounds/:round/responses/:dept", departmentUser, s.patchResponse},
		{"POST", "/api/v1/rounds/:round/responses/:dept/submit", departmentUser, s.submitResponse},
		{"POST", "/api/v1/rounds/:round/responses/:dept/reopen", adminOnly, s.reopenResponse},

		{"GET", "/api/v1/rounds/:round/departments/:dept/scores", anyRole, s.departmentScores},
		{"GET", "/api/v1/rounds/:round/scores", analysts, s.roundScores},
		{"GET", "/api/v1/rounds/:round/topics", analysts, s.topics},
		{"GET", "/api/v1/rounds/:round/topics.xlsx", analysts, s.topicsWorkbook},
		{"GET", "/api/v1/rounds/:round/departments/:dept/report.xlsx", departmentUser, s.departmentReport},
		{"GET", "/api/v1/rounds/:round/report.xlsx", adminOnly, s.consolidatedReport},

		{"GET", "/api/v1/audit", adminOnly, s.listAudit},
	}
}
