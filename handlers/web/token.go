package web

import (
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/dpo/dgsurvey/handlers/httpx"
	"github.com/dpo/dgsurvey/survey"
)

// A new token is shown once, after a redirect (POST → 303 → GET), so that
// reloading the page never issues a second credential. The issue form's
// handler hands the token to the page that shows it in a short-lived,
// HttpOnly, SameSite=Strict cookie (never in a URL, so never in a log or
// the history), and that page clears the cookie as it shows it: a reload
// says the token was shown already. Being a cookie, it needs no memory on
// the server, so it works behind a load balancer too.

const issuedCookie = "dgs_issued"

// issuedTTL bounds how long an issued token waits for its page.
const issuedTTL = 300

func (pg *Pages) issuedCookieName(c *gin.Context) (name, path string) {
	if pg.secure(c) {
		return "__Host-" + issuedCookie, "/"
	}
	return issuedCookie, "/admin/credentials/issued"
}

// issuedURL is the page that shows a new credential's token once.
func issuedURL(id string) string { return "/admin/credentials/issued/" + id }

// handOver puts the new token in the cookie for its page.
func (pg *Pages) handOver(c *gin.Context, id, token string) {
	name, path := pg.issuedCookieName(c)
	http.SetCookie(c.Writer, &http.Cookie{
		Name: name, Value: base64.RawURLEncoding.EncodeToString([]byte(id + "\x00" + token)), Path: path, MaxAge: issuedTTL,
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: pg.secure(c),
	})
}

// takeOver reads and clears the handed-over token of credential id; ""
// when there is none (shown already, expired, or for another credential).
func (pg *Pages) takeOver(c *gin.Context, id string) string {
	name, path := pg.issuedCookieName(c)
	ck, err := c.Request.Cookie(name)
	if err != nil {
		return ""
	}
	http.SetCookie(c.Writer, &http.Cookie{Name: name, Value: "", Path: path, MaxAge: -1,
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: pg.secure(c)})
	raw, err := base64.RawURLEncoding.DecodeString(ck.Value)
	if err != nil {
		return ""
	}
	gotID, token, ok := strings.Cut(string(raw), "\x00")
	if !ok || subtle.ConstantTimeCompare([]byte(gotID), []byte(id)) != 1 {
		return ""
	}
	return token
}

// showIssued shows a new credential's token, once.
func (pg *Pages) showIssued(c *gin.Context) {
	c.Header("Cache-Control", "no-store")
	creds, err := pg.svc.Credentials(c, httpx.Principal(c))
	if err != nil {
		pg.Fail(c, err)
		return
	}
	var issued *survey.Credential
	for i := range creds {
		if creds[i].ID == c.Param("id") {
			issued = &creds[i]
		}
	}
	if issued == nil {
		pg.Fail(c, survey.Errorf(survey.ENOTFOUND, "no such credential"))
		return
	}
	data := &credentialsPage{page: pg.newPage(c, "token.title"), Issued: issued, Token: pg.takeOver(c, issued.ID)}
	data.Nav = "credentials"
	pg.render(c, http.StatusOK, "token", data)
}
