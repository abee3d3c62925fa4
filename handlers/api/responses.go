package api

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/dpo/dgsurvey/handlers/httpx"
	"github.com/dpo/dgsurvey/survey"
	"github.com/dpo/dgsurvey/survey/assess"
)

// responseView is the API shape of a response.
type responseView struct {
	*survey.Response
	Progress assess.Progress `json:"progress"`
	// Deadline is the department's own: its extension, or the round's close.
	Deadline time.Time `json:"deadline"`
}

// writeResponse answers with the response and its version as the ETag.
func (a *API) writeResponse(c *gin.Context, sc *assess.Scoped, err error) {
	if err != nil {
		a.Fail(c, err)
		return
	}
	setETag(c, sc.Response.Version)
	c.JSON(http.StatusOK, responseView{Response: sc.Response, Progress: sc.Progress(), Deadline: sc.Round.Deadline(sc.Department)})
}

// setETag names the version of what the answer holds.
func setETag(c *gin.Context, version int) {
	c.Header("ETag", strconv.Quote(strconv.Itoa(version)))
}

func (a *API) getResponse(c *gin.Context) {
	sc, err := a.svc.Response(c, httpx.Principal(c), c.Param("round"), c.Param("dept"))
	a.writeResponse(c, sc, err)
}

// ifMatch reads an If-Match precondition: a version as given in the ETag,
// or * (any version, as if there were none).
func ifMatch(c *gin.Context) (assess.Precondition, error) {
	h := strings.TrimSpace(c.GetHeader("If-Match"))
	if h == "" || h == "*" {
		return assess.Precondition{}, nil
	}
	v, err := strconv.Atoi(strings.Trim(strings.TrimPrefix(h, "W/"), `"`))
	if err != nil || v < 0 {
		return assess.Precondition{}, httpx.Malformed(`If-Match must be a version as given in the ETag, e.g. "3", or *`)
	}
	return assess.Precondition{Set: true, Version: v}, nil
}

type patchRequest struct {
	Answers survey.Patch `json:"answers"`
}

type reopenRequest struct {
	Reason string `json:"reason"`
}

// readChange reads a change request: its body into body (when not nil)
// and its If-Match precondition. It answers the error itself and reports
// false when either is bad.
func (a *API) readChange(c *gin.Context, body any) (assess.Precondition, bool) {
	if body != nil {
		if err := a.bind(c, body); err != nil {
			a.Fail(c, err)
			return assess.Precondition{}, false
		}
	}
	pre, err := ifMatch(c)
	if err != nil {
		a.Fail(c, err)
		return assess.Precondition{}, false
	}
	return pre, true
}

// changeResponse is the shape of every change of a response: read the
// request, then run the use case and answer with the response.
func (a *API) changeResponse(c *gin.Context, body any, change func(assess.Precondition) (*assess.Scoped, error)) {
	pre, ok := a.readChange(c, body)
	if !ok {
		return
	}
	sc, err := change(pre)
	a.writeResponse(c, sc, err)
}

func (a *API) patchResponse(c *gin.Context) {
	var req patchRequest
	a.changeResponse(c, &req, func(pre assess.Precondition) (*assess.Scoped, error) {
		return a.svc.SaveAnswers(c, httpx.Principal(c), c.Param("round"), c.Param("dept"), req.Answers, pre)
	})
}

func (a *API) submitResponse(c *gin.Context) {
	a.changeResponse(c, nil, func(pre assess.Precondition) (*assess.Scoped, error) {
		return a.svc.Submit(c, httpx.Principal(c), c.Param("round"), c.Param("dept"), pre)
	})
}

func (a *API) reopenResponse(c *gin.Context) {
	var req reopenRequest
	a.changeResponse(c, &req, func(pre assess.Precondition) (*assess.Scoped, error) {
		return a.svc.Reopen(c, httpx.Principal(c), c.Param("round"), c.Param("dept"), req.Reason, pre)
	})
}
