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

// SessionCookie is the name of the web session cookie over plain HTTP.
const SessionCookie = "dgs_session"

// SecureSessionCookie is its name when cookies are Secure (TLS here or at a
// proxy): the __Host- prefix makes browsers accept it only when Secure,
// with Path=/ and no Domain, so neither a sibling subdomain nor a plain
// HTTP response can plant or overwrite it.
const SecureSessionCookie = "__Host-" + SessionCookie

// SessionCookieName is the session cookie's name: the __Host- one when
// secure, the plain one otherwise.
func SessionCookieName(secure bool) string {
	if secure {
		return SecureSessionCookie
	}
	return SessionCookie
}

// SessionCookieValue is the value of the request's session cookie under the
// name secure calls for; a cookie of the other name is ignored.
func SessionCookieValue(c *gin.Context, secure bool) string {
	v, _ := c.Cookie(SessionCookieName(secure))
	return v
}

// CSRFHeader carries the session's CSRF token on API calls made by the pages.
const CSRFHeader = "X-CSRF-Token"
