// Package handlers is the HTTP face of the service: the JSON API under
// /api/v1, health and readiness, and (later) the web pages, on one Gin engine.
package handlers

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"iter"
	"log/slog"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/go-playground/validator/v10"

	"github.com/dpo/dgsurvey/survey"
)

// Store is what the handlers need of persistence; survey/mongostore
// implements it. It is declared here, where it is used.
type Store interface {
	Ping(ctx context.Context) error

	CreateDepartment(ctx context.Context, d *survey.Department) error
	Department(ctx context.Context, code string) (*survey.Department, error)
	Departments(ctx context.Context) ([]survey.Department, error)
	UpdateDepartment(ctx context.Context, d *survey.Department) error

	CreateCredential(ctx context.Context, c *survey.Credential) error
	CredentialByHash(ctx context.Context, hash string) (*survey.Credential, error)
	Credentials(ctx context.Context) ([]survey.Credential, error)
	RevokeCredential(ctx context.Context, id string, at time.Time) (*survey.Credential, error)
	TouchCredential(ctx context.Context, hash string, at time.Time) error

	CreateRound(ctx context.Context, r *survey.Round, q *survey.Questionnaire) error
	Round(ctx context.Context, id string) (*survey.Round, error)
	RoundQuestionnaire(ctx context.Context, id string) (*survey.Questionnaire, error)
	Rounds(ctx context.Context) ([]survey.Round, error)
	UpdateRound(ctx context.Context, id string, change func(*survey.Round) error) (*survey.Round, error)

	Response(ctx context.Context, round, dept string) (*survey.Response, error)
	UpdateResponse(ctx context.Context, round, dept string, change func(*survey.Response) error) (*survey.Response, error)
	ResponseSummaries(ctx context.Context, round string) ([]survey.Response, error)
	Responses(ctx context.Context, round string) iter.Seq2[*survey.Response, error]
	SubmittedScores(ctx context.Context, round string) ([]survey.Response, error)

	AppendAudit(ctx context.Context, e *survey.AuditEvent) error
	Audit(ctx context.Context, f survey.AuditFilter) ([]survey.AuditEvent, error)

	CreateSession(ctx context.Context, sess *survey.Session) error
	Session(ctx context.Context, hash string) (*survey.Session, error)
	TouchSession(ctx context.Context, hash string, at time.Time) error
	DeleteSession(ctx context.Context, hash string) error
}

// Config holds what the handlers need to know of the service configuration.
type Config struct {
	// Questionnaires is the question bank rounds can be created on.
	Questionnaires []*survey.Questionnaire
	// MaxBodyBytes caps request bodies (413 above).
	MaxBodyBytes int64
	// FailedAuthPerMinute is how many failed authentications one client IP
	// may make in a minute before it gets 429.
	FailedAuthPerMinute int
	// CredentialCacheTTL is how long a credential look-up is reused; a
	// revoke through this instance takes effect at once, elsewhere within it.
	CredentialCacheTTL time.Duration
	// SessionIdle and SessionAbsolute end web sessions after inactivity and
	// after a fixed lifetime.
	SessionIdle     time.Duration
	SessionAbsolute time.Duration
	// CookieSecure marks the session cookie Secure even when TLS ends at a
	// proxy in front of the service.
	CookieSecure bool
	// ReportTimeout bounds the store reads of one workbook download; they
	// may run far longer than a single store operation (default 60s).
	ReportTimeout time.Duration
	// TargetLevel is the default target maturity level per area.
	TargetLevel int
	// MinGroup is the smallest number of submitted departments for which a
	// respondent sees government benchmarks.
	MinGroup int
	// Location is the time zone shown on pages and reports.
	Location *time.Location
	// Metrics receives request, store and report measurements; nil makes a
	// private registry.
	Metrics *Metrics
	// MetricsAllow lists the networks that may read /metrics (default:
	// loopback only).
	MetricsAllow []netip.Prefix
	// TrustedProxies lists the reverse proxies whose X-Forwarded-For and
	// X-Real-IP headers name the client. Empty: those headers are ignored
	// and the connection's address is the client, so nobody can pick the
	// address that failed authentications are counted against.
	TrustedProxies []netip.Prefix
	// Now is the clock; nil means time.Now.
	Now    func() time.Time
	Logger *slog.Logger
}

// Server holds the engine and its dependencies.
type Server struct {
	store    Store
	cfg      Config
	log      *slog.Logger
	metrics  *Metrics
	validate *validator.Validate
	engine   *gin.Engine
	routes   []route
	web      *web

	limiter  *failureLimiter
	creds    *ttlCache[*survey.Credential]
	sessions *ttlCache[*survey.Session]
	// roundQuestionnaires caches each round's questionnaire copy: it never
	// changes once the round exists, so it is read from the store once.
	roundQuestionnaires sync.Map
}

// New builds the server and its routes.
func New(store Store, cfg Config) *Server {
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = 1 << 20
	}
	if cfg.FailedAuthPerMinute <= 0 {
		cfg.FailedAuthPerMinute = 10
	}
	if cfg.CredentialCacheTTL <= 0 {
		cfg.CredentialCacheTTL = 5 * time.Second
	}
	if cfg.SessionIdle <= 0 {
		cfg.SessionIdle = 30 * time.Minute
	}
	if cfg.SessionAbsolute <= 0 {
		cfg.SessionAbsolute = 12 * time.Hour
	}
	if cfg.ReportTimeout <= 0 {
		cfg.ReportTimeout = time.Minute
	}
	if cfg.TargetLevel <= 0 {
		cfg.TargetLevel = 3
	}
	if cfg.MinGroup <= 0 {
		cfg.MinGroup = 3
	}
	if cfg.Location == nil {
		cfg.Location = time.UTC
	}
	if cfg.Metrics == nil {
		cfg.Metrics = NewMetrics()
	}
	if cfg.MetricsAllow == nil {
		cfg.MetricsAllow = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")}
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	s := &Server{
		store:    store,
		cfg:      cfg,
		log:      cfg.Logger,
		validate: newValidator(),
		metrics:  cfg.Metrics,
		limiter:  newFailureLimiter(cfg.FailedAuthPerMinute, time.Minute, cfg.Now),
		creds:    newTTLCache[*survey.Credential](cfg.CredentialCacheTTL, cfg.Now),
		sessions: newTTLCache[*survey.Session](cfg.CredentialCacheTTL, cfg.Now),
	}
	s.engine = s.buildEngine()
	return s
}

// ServeHTTP makes the server an http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.engine.ServeHTTP(w, r) }

// now is the service clock, in UTC and at the store's millisecond precision,
// so a value read back equals the value written.
func (s *Server) now() time.Time { return s.cfg.Now().UTC().Truncate(time.Millisecond) }

func (s *Server) buildEngine() *gin.Engine {
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
	e.Use(s.requestIDMiddleware, s.accessLog, s.instrument, s.recovery, securityHeaders)
	s.routes = append(s.apiRoutes(), s.webRoutes()...)
	e.NoRoute(func(c *gin.Context) { s.failAny(c, survey.Errorf(survey.ENOTFOUND, "no such endpoint")) })
	e.NoMethod(func(c *gin.Context) {
		s.failAny(c, &httpError{http.StatusMethodNotAllowed, "method_not_allowed", "method not allowed on this endpoint"})
	})
	for _, r := range s.routes {
		handlers := append(s.accessChain(r.roles), r.handle)
		e.Handle(r.method, r.path, handlers...)
	}
	return e
}

const ctxRequestID = "request_id"

func (s *Server) requestIDMiddleware(c *gin.Context) {
	id := c.GetHeader("X-Request-Id")
	if id == "" || len(id) > 64 {
		b := make([]byte, 8)
		_, _ = rand.Read(b)
		id = hex.EncodeToString(b)
	}
	c.Set(ctxRequestID, id)
	c.Header("X-Request-Id", id)
	c.Next()
}

func requestID(c *gin.Context) string { return c.GetString(ctxRequestID) }

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
func (s *Server) accessLog(c *gin.Context) {
	start := time.Now()
	c.Next()
	route := routeLabel(c)
	s.log.LogAttrs(c.Request.Context(), slog.LevelInfo, "request",
		slog.String("request_id", requestID(c)),
		slog.String("method", c.Request.Method),
		slog.String("route", route),
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
			s.log.ErrorContext(c.Request.Context(), "panic", slog.String("request_id", requestID(c)), slog.Any("panic", v))
			s.fail(c, survey.Errorf(survey.EINTERNAL, "panic"))
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

// failAny answers an unrouted request as a page when a browser asked for a
// page, and as the API's JSON error otherwise.
func (s *Server) failAny(c *gin.Context, err error) {
	if s.web != nil && !strings.HasPrefix(c.Request.URL.Path, "/api/") &&
		strings.Contains(c.GetHeader("Accept"), "text/html") {
		s.web.fail(c, err)
		return
	}
	s.fail(c, err)
}

// bind reads a JSON body into obj with the strict rules of strictJSON.
func (s *Server) bind(c *gin.Context, obj any) error {
	return c.ShouldBindWith(obj, strictJSON{maxBytes: s.cfg.MaxBodyBytes, validate: s.validate})
}
