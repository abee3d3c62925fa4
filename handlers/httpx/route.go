// Package httpx is what the JSON API, the pages and the engine share at the
// HTTP edge: the route type and role sets, the request's principal and
// session, the request id, and the one classification of errors into HTTP
// statuses. It is a leaf: it imports neither side.
package httpx

import (
	"github.com/gin-gonic/gin"

	"github.com/dpo/dgsurvey/survey"
)

// Route is one endpoint: who may call it and what serves it. The table the
// engine builds from both sides is the single source for the engine, the
// OpenAPI check and the authorization tests. Roles are who the API
// lets through; nil means public to the engine. Pages carry nil: each checks
// its own roles, because it redirects to the sign-in page instead of
// answering 401.
type Route struct {
	Method string
	Path   string
	Roles  []string
	Handle gin.HandlerFunc
}

// Role sets of the routes.
var (
	AdminOnly      = []string{survey.RoleAdmin}
	AnyRole        = []string{survey.RoleAdmin, survey.RoleRespondent, survey.RolePlanner}
	DepartmentUser = []string{survey.RoleAdmin, survey.RoleRespondent}
	Analysts       = []string{survey.RoleAdmin, survey.RolePlanner}
)
