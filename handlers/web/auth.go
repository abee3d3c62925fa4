package web

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/gin-gonic/gin/binding"

	"github.com/dpo/dgsurvey/handlers/httpx"
	"github.com/dpo/dgsurvey/survey"
	"github.com/dpo/dgsurvey/survey/assess"
)

// csrfField is the hidden form field that carries the session's CSRF token.
const csrfField = "csrf"

// loginCSRFCookie holds the token the sign-in form must echo. There is no
// session yet, so the form is protected by a token in a cookie and a field
// that must match, and that only this service can mint (an HMAC with a key
// kept in the store, assess.Service.NewLoginFormToken): another site cannot
// sign a browser in with the attacker's credential by planting a pair of
// its own.
//
// When cookies are Secure it is __Host-dgs_login (Path=/, no Domain), which
// no other origin, sibling subdomain or plain-HTTP response can set, so not
// even a pair minted here for someone else can be planted.
const loginCSRFCookie = "dgs_login"

// loginCookieName is the form cookie's name, and its path, as secure wants.
func loginCookieName(secure bool) (name, path string) {
	if secure {
		return "__Host-" + loginCSRFCookie, "/"
	}
	return loginCSRFCookie, "/login"
}

// loginKey caches the key of the sign-in form's tokens once read.
type loginKey struct {
	mu  sync.Mutex
	key []byte
}

// loginFormKey returns the key of the sign-in form's tokens, reading it from
// the store (and with create, making it there) the first time.
func (pg *Pages) loginFormKey(c *gin.Context, create bool) ([]byte, error) {
	pg.loginKey.mu.Lock()
	defer pg.loginKey.mu.Unlock()
	if pg.loginKey.key != nil {
		return pg.loginKey.key, nil
	}
	key, err := pg.svc.LoginKey(c, create)
	if err != nil {
		return nil, err
	}
	pg.loginKey.key = key
	return key, nil
}

// validLoginForm checks the sign-in form's token: the field must match the
// cookie and be a token this service minted and that has not expired.
func (pg *Pages) validLoginForm(c *gin.Context, field string) (bool, error) {
	name, _ := loginCookieName(pg.secure(c))
	cookie, _ := c.Cookie(name)
	if cookie == "" || subtle.ConstantTimeCompare([]byte(cookie), []byte(field)) != 1 {
		return false, nil
	}
	key, err := pg.loginFormKey(c, false)
	if survey.ErrorCode(err) == survey.ENOTFOUND {
		return false, nil // no key yet: this service never minted a token
	}
	if err != nil {
		return false, err
	}
	return pg.svc.ValidLoginFormToken(key, field), nil
}

// signedIn guards a page: the session cookie must resolve to a user (else
// to the sign-in page), the user's role must be one of roles (else a 403
// page), and a POST must carry the session's CSRF token (else a 403 page).
// It records the principal and session for the page.
func (pg *Pages) signedIn(roles []string, h gin.HandlerFunc) gin.HandlerFunc {
	return func(c *gin.Context) {
		sess, p, err := pg.session(c)
		if err != nil {
			pg.Fail(c, err)
			return
		}
		if p == nil {
			next := "/"
			if c.Request.Method == http.MethodGet {
				next = c.Request.URL.RequestURI()
			}
			redirect(c, "/login?next="+url.QueryEscape(next))
			return
		}
		httpx.SetPrincipal(c, *p)
		httpx.SetSession(c, sess)
		if !slices.Contains(roles, p.Role) {
			pg.forbidden(c, "error.403.role")
			return
		}
		if c.Request.Method == http.MethodPost {
			if err := pg.parseForm(c); err != nil {
				pg.Fail(c, err)
				return
			}
			if !assess.ValidCSRF(sess, c.Request.PostFormValue(csrfField)) {
				pg.forbidden(c, "error.403.expired")
				return
			}
		}
		h(c)
	}
}

// parseForm reads an url-encoded form body (or a multipart one, for a file
// upload) within the configured size limit.
func (pg *Pages) parseForm(c *gin.Context) error {
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, pg.cfg.MaxBodyBytes)
	parse := c.Request.ParseForm
	if mt, _, _ := mime.ParseMediaType(c.GetHeader("Content-Type")); mt == "multipart/form-data" {
		parse = func() error { return c.Request.ParseMultipartForm(pg.cfg.MaxBodyBytes) }
	}
	if err := parse(); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return &httpx.Error{Status: http.StatusRequestEntityTooLarge, Code: httpx.CodeTooLarge, Message: "the form is too large"}
		}
		return httpx.Malformed("the form could not be read")
	}
	return nil
}

// bindForm reads the posted form into obj (form tags), never the query.
func bindForm(c *gin.Context, obj any) error {
	if err := c.ShouldBindWith(obj, binding.FormPost); err != nil {
		return httpx.Malformed("the form could not be read")
	}
	return nil
}

// loginPage is the data of the sign-in page.
type loginPage struct {
	page
	LoginCSRF string
	Next      string
	Error     string
	// Email and EmailError: the e-mail link form (signin.go).
	Email, EmailError string
	// oidc: single sign-on is offered (oidc.go).
	oidc bool
}

func (pg *Pages) loginForm(c *gin.Context) {
	if _, p, err := pg.session(c); err == nil && p != nil {
		redirect(c, localPath(c.Query("next")))
		return
	}
	pg.renderLogin(c, http.StatusOK, "")
}

// renderLogin shows the sign-in form with a fresh token.
func (pg *Pages) renderLogin(c *gin.Context, status int, errKey string) {
	key, err := pg.loginFormKey(c, true)
	if err != nil {
		pg.Fail(c, err)
		return
	}
	token, err := pg.svc.NewLoginFormToken(key)
	if err != nil {
		pg.Fail(c, err)
		return
	}
	name, path := loginCookieName(pg.secure(c))
	http.SetCookie(c.Writer, &http.Cookie{
		Name: name, Value: token, Path: path, MaxAge: int(assess.LoginFormTTL / time.Second),
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: pg.secure(c),
	})
	data := &loginPage{page: pg.newPage(c, "login.title"), LoginCSRF: token, Next: localPath(c.Query("next"))}
	if c.Request.Method == http.MethodPost {
		data.Next = localPath(c.Request.PostFormValue("next"))
	}
	if errKey != "" {
		data.Error = data.T(errKey)
	}
	data.fillEmail(c)
	data.oidc = pg.oidc != nil
	pg.render(c, status, "login", data)
}

// readSignInForm reads a form of the sign-in page into f and checks the
// page's own CSRF token, which binding stored in *csrf; when either fails
// it has answered the request and returns false.
func (pg *Pages) readSignInForm(c *gin.Context, f any, csrf *string) bool {
	if err := pg.parseForm(c); err != nil {
		pg.Fail(c, err)
		return false
	}
	if err := bindForm(c, f); err != nil {
		pg.Fail(c, err)
		return false
	}
	if ok, err := pg.validLoginForm(c, *csrf); err != nil || !ok {
		if err == nil {
			err = survey.Errorf(survey.EFORBIDDEN, "the sign-in form has expired; reload the page and try again")
		}
		pg.Fail(c, err)
		return false
	}
	return true
}

type loginForm struct {
	Token string `form:"token"`
	CSRF  string `form:"csrf"`
	Next  string `form:"next"`
}

// login signs in with a credential token. A wrong token counts against the
// client's failed-authentication allowance, as a wrong bearer token does.
func (pg *Pages) login(c *gin.Context) {
	var f loginForm
	if !pg.readSignInForm(c, &f, &f.CSRF) {
		return
	}
	previous := httpx.SessionCookieValue(c, pg.secure(c))
	signed, err := pg.svc.SignIn(c, f.Token, c.ClientIP(), previous)
	if survey.ErrorCode(err) == survey.EUNAUTHORIZED {
		pg.renderLogin(c, http.StatusUnauthorized, "login.invalid")
		return
	}
	if err != nil {
		pg.Fail(c, err)
		return
	}
	pg.setSessionCookie(c, signed.ID, int(signed.MaxAge/time.Second))
	redirect(c, localPath(f.Next))
}

// session resolves the request's session cookie.
func (pg *Pages) session(c *gin.Context) (*survey.Session, *survey.Principal, error) {
	return pg.svc.Session(c, httpx.SessionCookieValue(c, pg.secure(c)))
}

// secure reports whether cookies are Secure: over TLS, or when configured
// because TLS ends at a proxy.
func (pg *Pages) secure(c *gin.Context) bool { return pg.cfg.CookieSecure || c.Request.TLS != nil }

// setSessionCookie sets (or, with maxAge < 0, clears) the session cookie:
// HttpOnly, SameSite=Lax, Path=/ and no Domain; when Secure it is named
// __Host-dgs_session, which browsers hold to exactly those attributes.
func (pg *Pages) setSessionCookie(c *gin.Context, value string, maxAge int) {
	secure := pg.secure(c)
	http.SetCookie(c.Writer, &http.Cookie{
		Name: httpx.SessionCookieName(secure), Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: secure,
	})
}

func (pg *Pages) logout(c *gin.Context) {
	pg.svc.SignOut(c, httpx.SessionCookieValue(c, pg.secure(c)))
	pg.setSessionCookie(c, "", -1)
	redirect(c, "/login?flash=signed-out")
}

// UserKey names the signed-in user to the page's script, which keys the
// unsent autosave edits it keeps in the browser by it (and drops every
// other user's): a hash of the credential id, never the id itself. It is
// empty when nobody is signed in.
func (p page) UserKey() string {
	if p.User == nil {
		return ""
	}
	id := p.User.CredentialID
	if p.User.UserID != "" {
		id = "user:" + p.User.UserID
	}
	if id == "" {
		return ""
	}
	sum := sha256.Sum256([]byte("dgsurvey browser user key\x00" + id))
	return hex.EncodeToString(sum[:16])
}
