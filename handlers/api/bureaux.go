package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/dpo/dgsurvey/handlers/httpx"
	"github.com/dpo/dgsurvey/survey"
	"github.com/dpo/dgsurvey/survey/assess"
)

// The managed bilingual list of bureaux.

func (a *API) createBureau(c *gin.Context) {
	var in assess.NewBureau
	if err := a.bind(c, &in); err != nil {
		a.Fail(c, err)
		return
	}
	b, err := a.svc.CreateBureau(c, httpx.Principal(c), in)
	a.reply(c, http.StatusCreated, b, err)
}

func (a *API) listBureaux(c *gin.Context) {
	bs, err := a.svc.Bureaux(c, httpx.Principal(c))
	a.reply(c, http.StatusOK, gin.H{"bureaux": bs}, err)
}

func (a *API) updateBureau(c *gin.Context) {
	var ch survey.BureauChange
	pre, ok := a.readChange(c, &ch)
	if !ok {
		return
	}
	b, err := a.svc.ChangeBureau(c, httpx.Principal(c), c.Param("code"), ch, pre)
	if err == nil {
		setETag(c, b.Version)
	}
	a.reply(c, http.StatusOK, b, err)
}
