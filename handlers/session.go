package handlers

import (
	"crypto/subtle"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/dpo/dgsurvey/survey"
)

// SessionCookie is the name of the web session cookie.
const SessionCookie = "dgs_session"

const ctxSession = "session"

// csrfHeader carries the session's CSRF token on API calls made by the pages.
const csrfHeader = "X-CSRF-Token"

// currentSession is the session of a cookie-authenticated request, nil otherwise.
func currentSession(c *gin.Context) *survey.Session {
	v, _ := c.Get(ctxSession)
	sess, _ := v.(*survey.Session)
	return sess
}

// startSession signs the browser in as cred: a fresh random session id in an
// HttpOnly, SameSite=Lax cookie (Secure over TLS or when configured). Only
// the id's hash is stored.
func (s *Server) startSession(c *gin.Context, cred *survey.Credential) (*survey.Session, error) {
	id, hash, err := survey.NewToken()
	if err != nil {
		return nil, err
	}
	csrf, _, err := survey.NewToken()
	if err != nil {
		return nil, err
	}
	now := s.now()
	sess := &survey.Session{Hash: hash, CredentialHash: cred.Hash, CSRF: csrf,
		CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(s.cfg.SessionAbsolute)}
	if err := s.store.CreateSession(c, sess); err != nil {
		return nil, err
	}
	s.setSessionCookie(c, id, int(s.cfg.SessionAbsolute/time.Second))
	return sess, nil
}

func (s *Server) setSessionCookie(c *gin.Context, value string, maxAge int) {
	http.SetCookie(c.Writer, &http.Cookie{
		Name: SessionCookie, Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: s.cfg.CookieSecure || c.Request.TLS != nil,
	})
}

// endSession deletes the session (logout) and its cookie.
func (s *Server) endSession(c *gin.Context) {
	if cookie, err := c.Cookie(SessionCookie); err == nil && cookie != "" {
		hash := survey.HashToken(cookie)
		s.sessions.forget(hash)
		if err := s.store.DeleteSession(c, hash); err != nil {
			s.log.WarnContext(c.Request.Context(), "deleting session failed", slog.Any("error", err))
		}
	}
	s.setSessionCookie(c, "", -1)
}

// sessionPrincipal resolves the session cookie to its session and the
// principal of its still-valid credential; nil, nil when there is none.
func (s *Server) sessionPrincipal(c *gin.Context) (*survey.Session, *survey.Principal, error) {
	cookie, err := c.Cookie(SessionCookie)
	if err != nil || cookie == "" || len(cookie) > 256 {
		return nil, nil, nil
	}
	hash := survey.HashToken(cookie)
	sess, ok := s.sessions.get(hash)
	if !ok {
		sess, err = s.store.Session(c, hash)
		if survey.ErrorCode(err) == survey.ENOTFOUND {
			s.sessions.put(hash, nil)
			return nil, nil, nil
		}
		if err != nil {
			return nil, nil, err
		}
		s.sessions.put(hash, sess)
	}
	if sess == nil {
		return nil, nil, nil
	}
	now := s.now()
	if sess.Expired(now, s.cfg.SessionIdle) {
		return nil, nil, nil
	}
	cred, err := s.credentialByHash(c, sess.CredentialHash)
	if err != nil || cred == nil {
		return nil, nil, err
	}
	// The idle clock moves at most once a minute: a store write per page
	// view would buy nothing.
	if now.Sub(sess.LastSeenAt) > time.Minute {
		if err := s.store.TouchSession(c, hash, now); err == nil {
			touched := *sess
			touched.LastSeenAt = now
			s.sessions.put(hash, &touched)
		}
	}
	p := principalOf(cred)
	return sess, &p, nil
}

func principalOf(cred *survey.Credential) survey.Principal {
	return survey.Principal{CredentialID: cred.ID, Role: cred.Role, Department: cred.Department, Label: cred.Label}
}

// validCSRF compares a presented CSRF token with the session's in constant time.
func validCSRF(sess *survey.Session, presented string) bool {
	return sess != nil && presented != "" &&
		subtle.ConstantTimeCompare([]byte(sess.CSRF), []byte(strings.TrimSpace(presented))) == 1
}
