package httpx

import (
	"github.com/gin-gonic/gin"

	"github.com/dpo/dgsurvey/survey"
	"github.com/dpo/dgsurvey/survey/assess"
)

// Keys of the values a request carries through its handlers.
const (
	keyPrincipal = "principal"
	keySession   = "session"
)

// SetPrincipal records who the authenticated request acts as.
func SetPrincipal(c *gin.Context, p survey.Principal) { c.Set(keyPrincipal, p) }

// Principal is who the authenticated request acts as (the zero principal,
// with no role, before authentication).
func Principal(c *gin.Context) survey.Principal {
	p, _ := c.Get(keyPrincipal)
	pr, _ := p.(survey.Principal)
	return pr
}

// SignedIn reports whether the request has been authenticated.
func SignedIn(c *gin.Context) bool {
	_, ok := c.Get(keyPrincipal)
	return ok
}

// SetSession records the browser session of a cookie-authenticated request.
func SetSession(c *gin.Context, sess *survey.Session) { c.Set(keySession, sess) }

// Session is the session of a cookie-authenticated request, nil otherwise.
func Session(c *gin.Context) *survey.Session {
	v, _ := c.Get(keySession)
	sess, _ := v.(*survey.Session)
	return sess
}

// RequestID is the id of the request, set by the engine's first middleware.
func RequestID(c *gin.Context) string { return assess.RequestID(c.Request.Context()) }

// SessionCookie is the name of the web session cookie.
const SessionCookie = "dgs_session"

// CSRFHeader carries the session's CSRF token on API calls made by the pages.
const CSRFHeader = "X-CSRF-Token"
