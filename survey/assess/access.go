package assess

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/dpo/dgsurvey/survey"
)

// maxTokenLength bounds presented tokens and cookies before any hashing.
const maxTokenLength = 256

// Authenticate resolves a bearer token to the principal of its unrevoked
// credential. A failure counts against client (the caller's address): past
// the allowance it is rate_limited with the time to wait, otherwise
// unauthorized. A valid credential is never throttled.
func (s *Service) Authenticate(ctx context.Context, token, client string) (survey.Principal, error) {
	cred, err := s.credential(ctx, token)
	if err != nil {
		return survey.Principal{}, err
	}
	if cred == nil {
		return survey.Principal{}, s.failedAuth(client, "a valid credential is required (Authorization: Bearer <token>)")
	}
	return principalOf(cred), nil
}

// failedAuth counts a failed authentication of client and returns the
// error to answer with.
func (s *Service) failedAuth(client, message string) error {
	if retry := s.limiter.fail(client); retry > 0 {
		e := survey.Errorf(survey.ERATELIMITED, "too many failed authentications from this address; try again later")
		e.RetryAfter = retry
		return e
	}
	return survey.Errorf(survey.EUNAUTHORIZED, "%s", message)
}

// credential resolves a token to its unrevoked credential, nil when there
// is none (or the token is not one).
func (s *Service) credential(ctx context.Context, token string) (*survey.Credential, error) {
	token = strings.TrimSpace(token)
	if token == "" || len(token) > maxTokenLength {
		return nil, nil
	}
	return s.credentialByHash(ctx, survey.HashToken(token))
}

// credentialByHash looks a credential up by its hash (the store key),
// compares the stored hash in constant time, and caches the answer,
// negative answers too, which keeps token guessing away from the store.
func (s *Service) credentialByHash(ctx context.Context, hash string) (*survey.Credential, error) {
	if cred, ok := s.creds.get(hash); ok {
		return cred, nil
	}
	cred, err := s.store.CredentialByHash(ctx, hash)
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
		if err := s.store.TouchCredential(ctx, hash, now); err != nil {
			s.log.WarnContext(ctx, "recording credential use failed", slog.Any("error", err))
		}
	}
	return cred, nil
}

func principalOf(cred *survey.Credential) survey.Principal {
	return survey.Principal{CredentialID: cred.ID, Role: cred.Role, Department: cred.Department, Label: cred.Label}
}

// SignedIn is a browser session that has just started: ID is the cookie
// value, shown to the browser once and stored only as a hash.
type SignedIn struct {
	ID      string
	Session *survey.Session
	MaxAge  time.Duration
}

// SignIn starts a session for the holder of token. A wrong token counts
// against client like a wrong bearer token; the error is unauthorized, or
// rate_limited past the allowance. previous, the browser's old session
// cookie if any, is ended: every sign-in gets a new session id.
func (s *Service) SignIn(ctx context.Context, token, client, previous string) (*SignedIn, error) {
	cred, err := s.credential(ctx, token)
	if err != nil {
		return nil, err
	}
	if cred == nil {
		return nil, s.failedAuth(client, "the token is not valid")
	}
	s.SignOut(ctx, previous)
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
	if err := s.store.CreateSession(ctx, sess); err != nil {
		return nil, err
	}
	return &SignedIn{ID: id, Session: sess, MaxAge: s.cfg.SessionAbsolute}, nil
}

// SignOut ends the session of a cookie value at once and for good; a
// cookie that names no session is ignored. The session is ended in the
// cache first, so that no request in flight can cache it again (on this
// instance it is refused from now on), then deleted from the store. Should
// the delete fail, this instance refuses the session for its whole
// lifetime; other instances stop within the cache TTL once the store
// answers again and the session idles out.
func (s *Service) SignOut(ctx context.Context, cookie string) {
	if cookie == "" || len(cookie) > maxTokenLength {
		return
	}
	hash := survey.HashToken(cookie)
	s.sessions.forget(hash)
	if err := s.store.DeleteSession(ctx, hash); err != nil && survey.ErrorCode(err) != survey.ENOTFOUND {
		s.sessions.end(hash, s.cfg.SessionAbsolute)
		s.log.WarnContext(ctx, "deleting session failed", slog.Any("error", err))
	}
}

// Session resolves a session cookie to its session and the principal of its
// still-valid credential; nil, nil when there is none, it has expired or
// its credential was revoked.
func (s *Service) Session(ctx context.Context, cookie string) (*survey.Session, *survey.Principal, error) {
	if cookie == "" || len(cookie) > maxTokenLength {
		return nil, nil, nil
	}
	hash := survey.HashToken(cookie)
	sess, ok := s.sessions.get(hash)
	if !ok {
		var err error
		sess, err = s.store.Session(ctx, hash)
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
	var p *survey.Principal
	if sess.UserID != "" {
		up, err := s.userPrincipal(ctx, sess.UserID)
		if err != nil || up == nil {
			return nil, nil, err
		}
		p = up
	} else {
		cred, err := s.credentialByHash(ctx, sess.CredentialHash)
		if err != nil || cred == nil {
			return nil, nil, err
		}
		cp := principalOf(cred)
		p = &cp
	}
	// The idle clock moves at most once a minute: a store write per page
	// view would buy nothing.
	if now.Sub(sess.LastSeenAt) > time.Minute {
		if err := s.store.TouchSession(ctx, hash, now); err == nil {
			touched := *sess
			touched.LastSeenAt = now
			s.sessions.put(hash, &touched)
		}
	}
	return sess, p, nil
}

// loginKeyName names the key of the sign-in form's tokens in the store.
const loginKeyName = "login-form-key"

// LoginFormTTL is how long a sign-in form's token stays valid.
const LoginFormTTL = time.Hour

// LoginKey returns the key that signs the sign-in form's tokens: a random
// secret kept in the store, so every instance on it signs alike. With
// create it is made when the store has none yet; without, that is
// not_found (and no token can be valid).
func (s *Service) LoginKey(ctx context.Context, create bool) ([]byte, error) {
	var fresh []byte
	if create {
		fresh = make([]byte, 32)
		if _, err := rand.Read(fresh); err != nil {
			return nil, err
		}
	}
	key, err := s.store.Secret(ctx, loginKeyName, fresh)
	if err != nil {
		return nil, err
	}
	if len(key) < 32 {
		return nil, fmt.Errorf("the stored sign-in form key is %d bytes, too short", len(key))
	}
	return key, nil
}

// NewLoginFormToken mints a sign-in form token signed with key: a random
// nonce and an expiry, with their HMAC-SHA256. The sign-in form carries it
// in a cookie and a field; only the server can make one, so a pair an
// attacker plants in a browser does not sign anyone in.
func (s *Service) NewLoginFormToken(key []byte) (string, error) {
	nonce := make([]byte, 16)
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	payload := base64.RawURLEncoding.EncodeToString(nonce) + "." + strconv.FormatInt(s.now().Add(LoginFormTTL).Unix(), 10)
	return payload + "." + loginFormMAC(key, payload), nil
}

// ValidLoginFormToken reports whether token was minted with key and has not
// expired.
func (s *Service) ValidLoginFormToken(key []byte, token string) bool {
	if len(key) == 0 || len(token) > maxTokenLength {
		return false
	}
	i := strings.LastIndexByte(token, '.')
	if i < 0 {
		return false
	}
	payload, mac := token[:i], token[i+1:]
	if !hmac.Equal([]byte(mac), []byte(loginFormMAC(key, payload))) {
		return false
	}
	_, expiry, ok := strings.Cut(payload, ".")
	if !ok {
		return false
	}
	exp, err := strconv.ParseInt(expiry, 10, 64)
	now := s.now()
	return err == nil && now.Unix() < exp && exp <= now.Add(LoginFormTTL+time.Minute).Unix()
}

func loginFormMAC(key []byte, payload string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("dgsurvey sign-in form\x00"))
	m.Write([]byte(payload))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// ValidCSRF compares a presented CSRF token with the session's in constant time.
func ValidCSRF(sess *survey.Session, presented string) bool {
	return sess != nil && presented != "" &&
		subtle.ConstantTimeCompare([]byte(sess.CSRF), []byte(strings.TrimSpace(presented))) == 1
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
