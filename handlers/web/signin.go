package web

import (
	"crypto/subtle"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/dpo/dgsurvey/handlers/httpx"
	"github.com/dpo/dgsurvey/survey"
	"github.com/dpo/dgsurvey/survey/assess"
)

// signInCSRFCookie carries the token the confirmation form of a sign-in
// link must echo, like the sign-in form's (loginCSRFCookie): there is no
// session yet, and only this service can mint one.
const signInCSRFCookie = "dgs_signin"

func signInCookieName(secure bool) (name, path string) {
	if secure {
		return "__Host-" + signInCSRFCookie, "/"
	}
	return signInCSRFCookie, "/signin"
}

type emailForm struct {
	Email string `form:"email"`
	CSRF  string `form:"csrf"`
}

// requestLink e-mails a sign-in link. It answers the same whether or not
// the address is registered; only an address that is not one is shown as
// an error (422), and too many requests are refused (429, Retry-After).
func (pg *Pages) requestLink(c *gin.Context) {
	var f emailForm
	if !pg.readSignInForm(c, &f, &f.CSRF) {
		return
	}
	err := pg.svc.RequestSignInLink(c, f.Email, c.ClientIP())
	switch {
	case err == nil:
		redirect(c, "/login?flash=link-sent")
	case survey.ErrorCode(err) == survey.EINVALID:
		pg.renderLoginEmail(c, http.StatusUnprocessableEntity, f.Email, "login.email_invalid")
	default:
		pg.Fail(c, err)
	}
}

// renderLoginEmail shows the sign-in page with an error on the address.
func (pg *Pages) renderLoginEmail(c *gin.Context, status int, email, errKey string) {
	c.Set(loginEmailKey, [2]string{email, errKey})
	pg.renderLogin(c, status, "")
}

// loginEmailKey passes the e-mail form's value and error to renderLogin.
const loginEmailKey = "web.login_email"

// fillEmail puts the e-mail form's value and error on a re-shown sign-in
// page (renderLoginEmail passed them through the request).
func (p *loginPage) fillEmail(c *gin.Context) {
	if v, ok := c.Get(loginEmailKey); ok {
		pair := v.([2]string)
		p.Email = pair[0]
		if pair[1] != "" {
			p.EmailError = p.T(pair[1])
		}
	}
}

type signInPage struct {
	page
	Token, FormToken string
	Invalid          bool
}

// signInPage is what a sign-in link opens: a button that signs in (a GET
// never does, so a mail scanner that follows the link uses nothing), or a
// clear page when the link is used, expired or not one of ours.
func (pg *Pages) signInPage(c *gin.Context) {
	c.Header("Cache-Control", "no-store")
	c.Header("Referrer-Policy", "no-referrer") // the path holds the link's token
	token := c.Param("token")
	err := pg.svc.CheckSignInLink(c, token)
	if survey.ErrorCode(err) == survey.ENOTFOUND {
		pg.renderSignIn(c, http.StatusNotFound, "", true)
		return
	}
	if err != nil {
		pg.Fail(c, err)
		return
	}
	pg.renderSignIn(c, http.StatusOK, token, false)
}

func (pg *Pages) renderSignIn(c *gin.Context, status int, token string, invalid bool) {
	data := &signInPage{page: pg.newPage(c, "signin.title"), Token: token, Invalid: invalid}
	if !invalid {
		key, err := pg.loginFormKey(c, true)
		if err != nil {
			pg.Fail(c, err)
			return
		}
		form, err := pg.svc.NewLoginFormToken(key)
		if err != nil {
			pg.Fail(c, err)
			return
		}
		name, path := signInCookieName(pg.secure(c))
		http.SetCookie(c.Writer, &http.Cookie{
			Name: name, Value: form, Path: path, MaxAge: int(assess.LoginFormTTL / time.Second),
			HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: pg.secure(c),
		})
		data.FormToken = form
	}
	pg.render(c, status, "signin", data)
}

// confirmSignIn uses the link and starts a session with a new id; a used,
// expired or forged link gets the clear page and no session.
func (pg *Pages) confirmSignIn(c *gin.Context) {
	c.Header("Cache-Control", "no-store")
	if err := pg.parseForm(c); err != nil {
		pg.Fail(c, err)
		return
	}
	field := c.Request.PostFormValue("csrf")
	name, _ := signInCookieName(pg.secure(c))
	cookie, _ := c.Cookie(name)
	key, err := pg.loginFormKey(c, false)
	if survey.ErrorCode(err) != survey.ENOTFOUND && err != nil {
		pg.Fail(c, err)
		return
	}
	if cookie == "" || subtle.ConstantTimeCompare([]byte(cookie), []byte(field)) != 1 || !pg.svc.ValidLoginFormToken(key, field) {
		pg.Fail(c, survey.Errorf(survey.EFORBIDDEN, "the sign-in form has expired; open the link from your e-mail again"))
		return
	}
	previous := httpx.SessionCookieValue(c, pg.secure(c))
	signed, err := pg.svc.ConfirmSignInLink(c, c.Param("token"), c.ClientIP(), previous)
	if survey.ErrorCode(err) == survey.EUNAUTHORIZED {
		pg.renderSignIn(c, http.StatusUnauthorized, "", true)
		return
	}
	if err != nil {
		pg.Fail(c, err)
		return
	}
	pg.setSessionCookie(c, signed.ID, int(signed.MaxAge/time.Second))
	redirect(c, "/")
}
