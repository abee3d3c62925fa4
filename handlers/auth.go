package handlers

import (
	"crypto/subtle"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/dpo/dgsurvey/survey"
)

const ctxPrincipal = "principal"

// principal is who the authenticated request acts as.
func principal(c *gin.Context) survey.Principal {
	p, _ := c.Get(ctxPrincipal)
	pr, _ := p.(survey.Principal)
	return pr
}

// accessChain returns the middlewares that let only the given roles through
// (no roles: public).
func (s *Server) accessChain(roles []string) []gin.HandlerFunc {
	if len(roles) == 0 {
		return nil
	}
	return []gin.HandlerFunc{s.authenticate, func(c *gin.Context) {
		if !slices.Contains(roles, principal(c).Role) {
			s.fail(c, survey.Errorf(survey.EFORBIDDEN, "your role may not do this"))
			return
		}
		c.Next()
	}}
}

// authenticate accepts a bearer token or, for the pages' own API calls, the
// session cookie together with a matching X-CSRF-Token header. A failed
// attempt counts against the client IP; past the limit the client gets 429
// instead of 401. A valid credential is never throttled.
func (s *Server) authenticate(c *gin.Context) {
	if token, ok := bearerToken(c.GetHeader("Authorization")); ok {
		cred, err := s.credential(c, token)
		if err != nil {
			s.fail(c, err)
			return
		}
		if cred != nil {
			c.Set(ctxPrincipal, principalOf(cred))
			c.Next()
			return
		}
	} else if c.GetHeader("Authorization") == "" {
		sess, p, err := s.sessionPrincipal(c)
		if err != nil {
			s.fail(c, err)
			return
		}
		if p != nil {
			if !validCSRF(sess, c.GetHeader(csrfHeader)) {
				s.fail(c, survey.Errorf(survey.EFORBIDDEN, "a session needs a matching X-CSRF-Token header on API calls"))
				return
			}
			c.Set(ctxPrincipal, *p)
			c.Set(ctxSession, sess)
			c.Next()
			return
		}
	}
	if retry := s.limiter.fail(c.ClientIP()); retry > 0 {
		c.Header("Retry-After", strconv.Itoa(int(retry.Seconds()+0.999)))
		s.fail(c, &httpError{http.StatusTooManyRequests, codeRateLimited, "too many failed authentications from this address; try again later"})
		return
	}
	c.Header("WWW-Authenticate", `Bearer realm="surveyd"`)
	s.fail(c, survey.Errorf(survey.EUNAUTHORIZED, "a valid credential is required (Authorization: Bearer <token>)"))
}

func bearerToken(h string) (string, bool) {
	scheme, token, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	return token, token != "" && len(token) <= 256
}

// credential resolves a token to its unrevoked credential, nil when there
// is none.
func (s *Server) credential(c *gin.Context, token string) (*survey.Credential, error) {
	return s.credentialByHash(c, survey.HashToken(token))
}

// credentialByHash looks a credential up by its hash (the store key),
// compares the stored hash in constant time, and caches the answer,
// negative answers too, which keeps token guessing away from the store.
func (s *Server) credentialByHash(c *gin.Context, hash string) (*survey.Credential, error) {
	if cred, ok := s.creds.get(hash); ok {
		return cred, nil
	}
	cred, err := s.store.CredentialByHash(c, hash)
	if err != nil {
		if survey.ErrorCode(err) == survey.ENOTFOUND {
			s.creds.put(hash, nil)
			return nil, nil
		}
		return nil, err
	}
	if subtle.ConstantTimeCompare([]byte(cred.Hash), []byte(hash)) != 1 || cred.Revoked {
		s.creds.put(hash, nil)
		return nil, nil
	}
	s.creds.put(hash, cred)
	now := s.now()
	if cred.LastUsedAt == nil || now.Sub(*cred.LastUsedAt) > time.Minute {
		if err := s.store.TouchCredential(c, hash, now); err != nil {
			s.log.WarnContext(c.Request.Context(), "recording credential use failed", slog.Any("error", err))
		}
	}
	return cred, nil
}

// failureLimiter counts failed authentications per client in fixed windows.
type failureLimiter struct {
	limit  int
	window time.Duration
	now    func() time.Time

	mu      sync.Mutex
	clients map[string]*failureWindow
}

type failureWindow struct {
	start time.Time
	count int
}

func newFailureLimiter(limit int, window time.Duration, now func() time.Time) *failureLimiter {
	return &failureLimiter{limit: limit, window: window, now: now, clients: map[string]*failureWindow{}}
}

// fail records a failure by client and returns how long it must wait when it
// is over the limit (0 when it is not).
func (l *failureLimiter) fail(client string) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if len(l.clients) > 10000 {
		for k, w := range l.clients {
			if now.Sub(w.start) >= l.window {
				delete(l.clients, k)
			}
		}
	}
	w, ok := l.clients[client]
	if !ok || now.Sub(w.start) >= l.window {
		w = &failureWindow{start: now}
		l.clients[client] = w
	}
	w.count++
	if w.count > l.limit {
		return w.start.Add(l.window).Sub(now)
	}
	return 0
}

// String describes the limiter for logs.
func (l *failureLimiter) String() string {
	return fmt.Sprintf("%d failures per %s", l.limit, l.window)
}
