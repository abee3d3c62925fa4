// Package handlers is the HTTP engine of the service: middleware (request
// id, access log, metrics, recovery, security headers), the one route table
// assembled from the JSON API (handlers/api) and the pages (handlers/web),
// and the answer to unknown URLs. The rules live in survey/assess.
package handlers

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"log/slog"
	"net/http"
	"net/netip"
	"regexp"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/dpo/dgsurvey/handlers/api"
	"github.com/dpo/dgsurvey/handlers/httpx"
	"github.com/dpo/dgsurvey/handlers/web"
	"github.com/dpo/dgsurvey/survey"
	"github.com/dpo/dgsurvey/survey/assess"
)

// DefaultMaxBodyBytes caps request bodies when nothing else is configured.
const DefaultMaxBodyBytes = 1 << 20

// SessionCookie is the name of the web session cookie.
const SessionCookie = httpx.SessionCookie

// Config holds the HTTP settings; the service settings are the use cases'
// (assess.Config).
type Config struct {
	// MaxBodyBytes caps request bodies (413 above).
	MaxBodyBytes int64
	// CookieSecure marks the session cookie Secure even when TLS ends at a
	// proxy in front of the service.
	CookieSecure bool
	// Metrics receives request measurements; nil makes a private registry.
	// The engine does not serve it: see Metrics.Handler.
	Metrics *Metrics
	// TrustedProxies lists the reverse proxies whose X-Forwarded-For and
	// X-Real-IP headers name the client. Empty: those headers are ignored
	// and the connection's address is the client, so nobody can pick the
	// address that failed authentications are counted against.
	TrustedProxies []netip.Prefix
	Logger         *slog.Logger
	// OIDC, when set, offers single sign-on on the sign-in page.
	OIDC *web.OIDCConfig
}

// Server is the engine with its routes.
type Server struct {
	cfg     Config
	log     *slog.Logger
	metrics *Metrics
	api     *api.API
	pages   *web.Pages
	engine  *gin.Engine
	routes  []httpx.Route
}

// New builds the engine over the use cases.
func New(svc *assess.Service, cfg Config) *Server {
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if cfg.Metrics == nil {
		cfg.Metrics = NewMetrics()
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	s := &Server{
		cfg: cfg, log: cfg.Logger, metrics: cfg.Metrics,
		api:   api.New(svc, cfg.MaxBodyBytes, cfg.Logger).WithCookieSecure(cfg.CookieSecure),
		pages: web.New(svc, web.Config{MaxBodyBytes: cfg.MaxBodyBytes, CookieSecure: cfg.CookieSecure, Logger: cfg.Logger, OIDC: cfg.OIDC}),
	}
	s.routes = append(s.api.Routes(), s.pages.Routes()...)
	s.routes = append(s.routes, s.pages.PeopleRoutes()...)
	s.engine = s.buildEngine()
	return s
}

// ServeHTTP makes the server an http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.engine.ServeHTTP(w, r) }

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
		out[i] = RouteInfo{Method: r.Method, Path: r.Path, Roles: r.Roles}
	}
	return out
}

func (s *Server) buildEngine() *gin.Engine {
	// Release mode keeps Gin's debug lines off standard output, which
	// carries only the service's own contract lines.
	gin.SetMode(gin.ReleaseMode)
	e := gin.New()
	e.ContextWithFallback = true
	e.HandleMethodNotAllowed = true
	// Gin trusts every proxy by default, which would let any client choose
	// its own address with X-Forwarded-For. nil trusts none.
	var proxies []string
	for _, p := range s.cfg.TrustedProxies {
		proxies = append(proxies, p.String())
	}
	if err := e.SetTrustedProxies(proxies); err != nil {
		s.log.Error("trusted proxies ignored", slog.Any("error", err))
		_ = e.SetTrustedProxies(nil)
	}
	e.Use(s.requestID, s.accessLog, s.instrument, s.recovery, securityHeaders)
	e.NoRoute(func(c *gin.Context) { s.failAny(c, survey.Errorf(survey.ENOTFOUND, "no such endpoint")) })
	e.NoMethod(func(c *gin.Context) {
		s.failAny(c, &httpx.Error{Status: http.StatusMethodNotAllowed, Code: httpx.CodeMethodNotAllowed, Message: "method not allowed on this endpoint"})
	})
	for _, r := range s.routes {
		e.Handle(r.Method, r.Path, r.Handle)
	}
	return e
}

// requestIDPattern is what a client's own X-Request-Id must look like to be
// used; anything else is replaced, so logs never carry a client's junk.
var requestIDPattern = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// requestID names the request, in the response header and in the context
// the use cases log with.
func (s *Server) requestID(c *gin.Context) {
	id := c.GetHeader("X-Request-Id")
	if !requestIDPattern.MatchString(id) {
		b := make([]byte, 8)
		_, _ = rand.Read(b)
		id = hex.EncodeToString(b)
	}
	c.Request = c.Request.WithContext(assess.WithRequestID(c.Request.Context(), id))
	c.Header("X-Request-Id", id)
	c.Next()
}

// routeLabel names a request by its route pattern for logs and metrics:
// never the raw path, which holds ids and would let clients create
// unbounded label values.
func routeLabel(c *gin.Context) string {
	if route := c.FullPath(); route != "" {
		return route
	}
	return "unmatched"
}

// accessLog logs one line per request: never a token, a body or a query
// string (which could carry answer text or tokens).
//
// A request whose client went away before the answer (its context
// cancelled) is logged as such, at INFO: it is not a fault of the service
// or of its store.
func (s *Server) accessLog(c *gin.Context) {
	start := time.Now()
	c.Next()
	msg := "request"
	if c.Writer.Status() == httpx.StatusClientClosedRequest || errors.Is(c.Request.Context().Err(), context.Canceled) {
		msg = "request cancelled by the client"
	}
	s.log.LogAttrs(c.Request.Context(), slog.LevelInfo, msg,
		slog.String("request_id", httpx.RequestID(c)),
		slog.String("method", c.Request.Method),
		slog.String("route", routeLabel(c)),
		slog.Int("status", c.Writer.Status()),
		slog.Duration("duration", time.Since(start)),
		slog.String("client", c.ClientIP()),
	)
}

// recovery turns a panic into a logged 500 without internals.
func (s *Server) recovery(c *gin.Context) {
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.log.ErrorContext(c.Request.Context(), "panic", slog.String("request_id", httpx.RequestID(c)), slog.Any("panic", v))
			s.failAny(c, survey.Errorf(survey.EINTERNAL, "panic"))
		}
	}()
	c.Next()
}

func securityHeaders(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
	h.Set("Cache-Control", "no-store")
	c.Next()
}

// failAny answers a request no route handled as a page when a browser asked
// for a page or followed a download link, and as the API's JSON error
// otherwise.
func (s *Server) failAny(c *gin.Context, err error) {
	path := c.Request.URL.Path
	if strings.HasPrefix(path, "/download/") || (!strings.HasPrefix(path, "/api/") && strings.Contains(c.GetHeader("Accept"), "text/html")) {
		s.pages.Fail(c, err)
		return
	}
	s.api.Fail(c, err)
}
