package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/dpo/dgsurvey/survey"
)

// langCookie remembers the language a user chose with the switch.
const langCookie = "lang"

// pageLang is the request's language: the switch's cookie, else the best
// match of Accept-Language (any Chinese tag means Traditional Chinese, the
// only Chinese the service speaks), else English.
func pageLang(c *gin.Context) string {
	if v, err := c.Cookie(langCookie); err == nil && (v == survey.LangEN || v == survey.LangZH) {
		return v
	}
	return acceptLanguage(c.GetHeader("Accept-Language"))
}

// acceptLanguage picks en or zh from an Accept-Language header by quality,
// earlier tags winning ties.
func acceptLanguage(h string) string {
	type choice struct {
		lang string
		q    float64
	}
	var choices []choice
	for _, part := range strings.Split(h, ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				q = f
			}
		}
		primary, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(tag)), "-")
		switch {
		case q <= 0:
		case primary == "zh":
			choices = append(choices, choice{survey.LangZH, q})
		case primary == "en":
			choices = append(choices, choice{survey.LangEN, q})
		}
	}
	slices.SortStableFunc(choices, func(a, b choice) int {
		switch {
		case a.q > b.q:
			return -1
		case a.q < b.q:
			return 1
		}
		return 0
	})
	if len(choices) > 0 {
		return choices[0].lang
	}
	return survey.LangEN
}

// htmlLang is the BCP 47 tag of a service language for lang attributes.
func htmlLang(lang string) string {
	if lang == survey.LangZH {
		return "zh-Hant"
	}
	return "en"
}

// switchLang remembers the chosen language and returns to the page the
// switch was on. It changes a display preference only, so it is a plain link.
func (pg *Pages) switchLang(c *gin.Context) {
	lang := c.Param("lang")
	if lang != survey.LangEN && lang != survey.LangZH {
		pg.Fail(c, survey.Errorf(survey.ENOTFOUND, "no such language"))
		return
	}
	http.SetCookie(c.Writer, &http.Cookie{
		Name: langCookie, Value: lang, Path: "/", MaxAge: 365 * 24 * 3600,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: pg.secure(c),
	})
	redirect(c, localPath(c.Query("next")))
}
