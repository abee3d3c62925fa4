package handlers

import (
	"crypto/subtle"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/gin-gonic/gin/binding"

	"github.com/dpo/dgsurvey/survey"
)

// csrfField is the hidden form field that carries the session's CSRF token.
const csrfField = "csrf"

// loginCSRFCookie holds the token the sign-in form must echo: there is no
// session yet, so the form is protected by a double-submitted cookie, which
// stops another site from signing a browser in with the attacker's token.
const loginCSRFCookie = "dgs_login"

// signedIn guards a page: the session cookie must resolve to a user (else
// to the sign-in page), the user's role must be one of roles (else a 403
// page), and a POST must carry the session's CSRF token (else a 403 page).
// It sets the principal and session, so the API's helpers (scope, audit)
// work unchanged on pages.
func (w *web) signedIn(roles []string, h gin.HandlerFunc) gin.HandlerFunc {
	return func(c *gin.Context) {
		sess, p, err := w.s.sessionPrincipal(c)
		if err != nil {
			w.fail(c, err)
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
		c.Set(ctxPrincipal, *p)
		c.Set(ctxSession, sess)
		if !slices.Contains(roles, p.Role) {
			w.fail(c, survey.Errorf(survey.EFORBIDDEN, "your role may not use this page"))
			return
		}
		if c.Request.Method == http.MethodPost {
			if err := w.parseForm(c); err != nil {
				w.fail(c, err)
				return
			}
			if !validCSRF(sess, c.Request.PostFormValue(csrfField)) {
				w.fail(c, survey.Errorf(survey.EFORBIDDEN, "the form has expired or did not come from this site; reload the page and try again"))
				return
			}
		}
		h(c)
	}
}

// parseForm reads an url-encoded form body within the configured size limit.
func (w *web) parseForm(c *gin.Context) error {
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, w.s.cfg.MaxBodyBytes)
	if err := c.Request.ParseForm(); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return &httpError{http.StatusRequestEntityTooLarge, codeTooLarge, "the form is too large"}
		}
		return malformed("the form could not be read")
	}
	return nil
}

// bindForm reads the posted form into obj (form tags), never the query.
func bindForm(c *gin.Context, obj any) error {
	if err := c.ShouldBindWith(obj, binding.FormPost); err != nil {
		return malformed("the form could not be read")
	}
	return nil
}

// loginPage is the data of the sign-in page.
type loginPage struct {
	page
	LoginCSRF string
	Next      string
	Error     string
}

func (w *web) loginForm(c *gin.Context) {
	if _, p, err := w.s.sessionPrincipal(c); err == nil && p != nil {
		redirect(c, localPath(c.Query("next")))
		return
	}
	w.renderLogin(c, http.StatusOK, "")
}

// renderLogin shows the sign-in form with a fresh double-submit token.
func (w *web) renderLogin(c *gin.Context, status int, errKey string) {
	token, _, err := survey.NewToken()
	if err != nil {
		w.fail(c, err)
		return
	}
	http.SetCookie(c.Writer, &http.Cookie{
		Name: loginCSRFCookie, Value: token, Path: "/login", MaxAge: 3600,
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: w.s.cfg.CookieSecure || c.Request.TLS != nil,
	})
	data := &loginPage{page: w.newPage(c, "login.title"), LoginCSRF: token, Next: localPath(c.Query("next"))}
	if c.Request.Method == http.MethodPost {
		data.Next = localPath(c.Request.PostFormValue("next"))
	}
	if errKey != "" {
		data.Error = data.T(errKey)
	}
	w.render(c, status, "login", data)
}

type loginForm struct {
	Token string `form:"token"`
	CSRF  string `form:"csrf"`
	Next  string `form:"next"`
}

// login signs in with a credential token. A wrong token counts against the
// client's failed-authentication allowance, as a wrong bearer token does.
func (w *web) login(c *gin.Context) {
	if err := w.parseForm(c); err != nil {
		w.fail(c, err)
		return
	}
	var f loginForm
	if err := bindForm(c, &f); err != nil {
		w.fail(c, err)
		return
	}
	cookie, _ := c.Cookie(loginCSRFCookie)
	if cookie == "" || subtle.ConstantTimeCompare([]byte(cookie), []byte(f.CSRF)) != 1 {
		w.fail(c, survey.Errorf(survey.EFORBIDDEN, "the sign-in form has expired; reload the page and try again"))
		return
	}
	token := strings.TrimSpace(f.Token)
	var cred *survey.Credential
	if token != "" && len(token) <= 256 {
		var err error
		if cred, err = w.s.credential(c, token); err != nil {
			w.fail(c, err)
			return
		}
	}
	if cred == nil {
		if retry := w.s.limiter.fail(c.ClientIP()); retry > 0 {
			c.Header("Retry-After", strconv.Itoa(int(retry.Seconds()+0.999)))
			w.fail(c, &httpError{http.StatusTooManyRequests, codeRateLimited, "too many failed sign-ins from this address; try again later"})
			return
		}
		w.renderLogin(c, http.StatusUnauthorized, "login.invalid")
		return
	}
	// A new session id at every sign-in, and the old session gone.
	w.s.endSession(c)
	if _, err := w.s.startSession(c, cred); err != nil {
		w.fail(c, err)
		return
	}
	redirect(c, localPath(f.Next))
}

func (w *web) logout(c *gin.Context) {
	w.s.endSession(c)
	redirect(c, "/login?flash=signed-out")
}
