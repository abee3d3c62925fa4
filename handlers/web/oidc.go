package web

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/gin-gonic/gin"
	"golang.org/x/oauth2"

	"github.com/dpo/dgsurvey/handlers/httpx"
	"github.com/dpo/dgsurvey/survey"
)

// OIDCConfig is the optional single sign-on (auth.oidc.*): an OpenID
// Connect provider at Issuer, this service registered there as ClientID
// with ClientSecret and RedirectURL (…/auth/oidc/callback).
type OIDCConfig struct {
	Issuer, ClientID, ClientSecret, RedirectURL string
}

// oidcFlowTTL bounds the time between leaving for the provider and coming
// back.
const oidcFlowTTL = 10 * time.Minute

// oidcCookie carries the state and nonce of a sign-on in progress, signed
// with the sign-in form key so nobody can plant a pair of their own.
const oidcCookie = "dgs_oidc"

func oidcCookieName(secure bool) (name, path string) {
	if secure {
		return "__Host-" + oidcCookie, "/"
	}
	return oidcCookie, "/auth/oidc"
}

// oidcClient discovers the provider on first use (so start-up never waits
// for it) and again after a failed discovery.
type oidcClient struct {
	cfg OIDCConfig
	// http makes every call to the provider, each bounded by its timeout.
	http     *http.Client
	mu       sync.Mutex
	provider *oidc.Provider
}

func (o *oidcClient) get() (*oidc.Provider, *oauth2.Config, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.provider == nil {
		// The provider keeps this context for fetching its keys later, so
		// it is not a request's: the HTTP client's timeout bounds each call.
		p, err := oidc.NewProvider(oidc.ClientContext(context.Background(), o.http), o.cfg.Issuer)
		if err != nil {
			return nil, nil, err
		}
		o.provider = p
	}
	oc := &oauth2.Config{ClientID: o.cfg.ClientID, ClientSecret: o.cfg.ClientSecret, RedirectURL: o.cfg.RedirectURL,
		Endpoint: o.provider.Endpoint(), Scopes: []string{oidc.ScopeOpenID, "email"}}
	return o.provider, oc, nil
}

// OIDCEnabled says whether single sign-on is configured (the sign-in page
// offers it).
func (p *loginPage) OIDCEnabled() bool { return p.oidc }

func randomText() (string, error) {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

func oidcMAC(key []byte, payload string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("dgsurvey oidc flow\x00"))
	m.Write([]byte(payload))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// oidcStart sends the browser to the provider with a fresh state and nonce,
// kept in a signed, short-lived cookie.
func (pg *Pages) oidcStart(c *gin.Context) {
	if pg.oidc == nil {
		pg.Fail(c, survey.Errorf(survey.ENOTFOUND, "single sign-on is not configured"))
		return
	}
	_, oc, err := pg.oidc.get()
	if err != nil {
		pg.log.WarnContext(c.Request.Context(), "single sign-on provider unavailable", "error", err)
		pg.Fail(c, survey.ErrUnavailable)
		return
	}
	key, err := pg.loginFormKey(c, true)
	if err != nil {
		pg.Fail(c, err)
		return
	}
	state, err := randomText()
	if err != nil {
		pg.Fail(c, err)
		return
	}
	nonce, err := randomText()
	if err != nil {
		pg.Fail(c, err)
		return
	}
	payload := state + "." + nonce + "." + strconv.FormatInt(pg.svc.Now().Add(oidcFlowTTL).Unix(), 10)
	name, path := oidcCookieName(pg.secure(c))
	http.SetCookie(c.Writer, &http.Cookie{Name: name, Value: payload + "." + oidcMAC(key, payload), Path: path,
		MaxAge: int(oidcFlowTTL / time.Second), HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: pg.secure(c)})
	redirect(c, oc.AuthCodeURL(state, oidc.Nonce(nonce)))
}

// oidcFlow reads and checks the flow cookie: its state and nonce.
func (pg *Pages) oidcFlow(c *gin.Context) (state, nonce string, ok bool) {
	name, _ := oidcCookieName(pg.secure(c))
	v, _ := c.Cookie(name)
	parts := strings.Split(v, ".")
	if len(parts) != 4 {
		return "", "", false
	}
	key, err := pg.loginFormKey(c, false)
	if err != nil {
		return "", "", false
	}
	payload := strings.Join(parts[:3], ".")
	exp, err := strconv.ParseInt(parts[2], 10, 64)
	if err != nil || !hmac.Equal([]byte(parts[3]), []byte(oidcMAC(key, payload))) || pg.svc.Now().Unix() >= exp {
		return "", "", false
	}
	return parts[0], parts[1], true
}

// oidcCallback finishes a sign-on: the state must be the one this browser
// was sent with, the ID token must verify (issuer, audience, signature,
// expiry) and carry the nonce, and its e-mail claim must be verified and
// belong to an active user. Any failure is a clear page and no session.
func (pg *Pages) oidcCallback(c *gin.Context) {
	c.Header("Cache-Control", "no-store")
	if pg.oidc == nil {
		pg.Fail(c, survey.Errorf(survey.ENOTFOUND, "single sign-on is not configured"))
		return
	}
	name, path := oidcCookieName(pg.secure(c))
	http.SetCookie(c.Writer, &http.Cookie{Name: name, Value: "", Path: path, MaxAge: -1, HttpOnly: true, Secure: pg.secure(c)})
	state, nonce, ok := pg.oidcFlow(c)
	if !ok || subtle.ConstantTimeCompare([]byte(state), []byte(c.Query("state"))) != 1 || c.Query("code") == "" {
		pg.renderOIDCFailure(c, http.StatusForbidden, "oidc.failed")
		return
	}
	provider, oc, err := pg.oidc.get()
	if err != nil {
		pg.Fail(c, survey.ErrUnavailable)
		return
	}
	// Calls to the provider take the request's own context (never the
	// pooled *gin.Context, which outlives nothing).
	ctx := oidc.ClientContext(c.Request.Context(), pg.oidc.http)
	tok, err := oc.Exchange(ctx, c.Query("code"))
	if err != nil {
		pg.renderOIDCFailure(c, http.StatusForbidden, "oidc.failed")
		return
	}
	raw, _ := tok.Extra("id_token").(string)
	idt, err := provider.Verifier(&oidc.Config{ClientID: pg.oidc.cfg.ClientID}).Verify(ctx, raw)
	if err != nil || subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(nonce)) != 1 {
		pg.renderOIDCFailure(c, http.StatusForbidden, "oidc.failed")
		return
	}
	var claims struct {
		Email    string `json:"email"`
		Verified bool   `json:"email_verified"`
	}
	if err := idt.Claims(&claims); err != nil {
		pg.renderOIDCFailure(c, http.StatusForbidden, "oidc.failed")
		return
	}
	signed, err := pg.svc.SignInOIDC(c, claims.Email, claims.Verified, c.ClientIP(), httpx.SessionCookieValue(c, pg.secure(c)))
	switch {
	case err == nil:
		pg.setSessionCookie(c, signed.ID, int(signed.MaxAge/time.Second))
		redirect(c, "/")
	case survey.ErrorCode(err) == survey.EFORBIDDEN:
		pg.renderOIDCFailure(c, http.StatusForbidden, "oidc.unverified")
	case survey.ErrorCode(err) == survey.EUNAUTHORIZED:
		pg.renderOIDCFailure(c, http.StatusForbidden, "oidc.unknown")
	default:
		pg.Fail(c, err)
	}
}

type oidcFailurePage struct {
	page
	Reason string
}

func (pg *Pages) renderOIDCFailure(c *gin.Context, status int, key string) {
	data := &oidcFailurePage{page: pg.newPage(c, "oidc.title")}
	data.Reason = data.T(key)
	pg.render(c, status, "oidc", data)
}
