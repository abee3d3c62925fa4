package api

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/dpo/dgsurvey/handlers/httpx"
	"github.com/dpo/dgsurvey/survey"
	"github.com/dpo/dgsurvey/survey/assess"
)

// The questionnaire registry's routes: upload a YAML file as a draft,
// replace a draft, read a version for its preview, compare two versions,
// publish; and "a new round like this one".

// yamlTypes are the content types an uploaded questionnaire may declare.
var yamlTypes = map[string]bool{"application/yaml": true, "application/x-yaml": true, "text/yaml": true}

// readYAML reads a questionnaire file: a YAML content type (415), the body
// cap (413), valid UTF-8 (400). The loader checks the rest.
func (a *API) readYAML(c *gin.Context) ([]byte, error) {
	mt, _, err := mime.ParseMediaType(c.GetHeader("Content-Type"))
	if err != nil || !yamlTypes[mt] {
		return nil, &httpx.Error{Status: http.StatusUnsupportedMediaType, Code: httpx.CodeUnsupportedMedia, Message: "the request body must be a questionnaire file (Content-Type: application/yaml)"}
	}
	data, err := io.ReadAll(http.MaxBytesReader(nil, c.Request.Body, a.maxBody))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, &httpx.Error{Status: http.StatusRequestEntityTooLarge, Code: httpx.CodeTooLarge, Message: fmt.Sprintf("the request body exceeds %d bytes", a.maxBody)}
		}
		return nil, httpx.Malformed("the request body could not be read")
	}
	if !utf8.Valid(data) {
		return nil, httpx.Malformed("the request body is not valid UTF-8")
	}
	return data, nil
}

// versionParam reads the :version path parameter (a positive whole number).
func versionParam(c *gin.Context) (int, error) {
	n, err := strconv.Atoi(c.Param("version"))
	if err != nil || n < 1 {
		return 0, survey.Invalid("invalid version", survey.Fault("version", survey.RuleMin, "1"))
	}
	return n, nil
}

// versionView is a questionnaire version as the API shows it.
type versionView struct {
	*survey.QuestionnaireVersion
	Questionnaire *survey.Questionnaire `json:"questionnaire,omitempty"`
}

func (a *API) writeVersion(c *gin.Context, status int, v *survey.QuestionnaireVersion, withContent bool, err error) {
	if err != nil {
		a.Fail(c, err)
		return
	}
	setETag(c, v.Revision)
	out := versionView{QuestionnaireVersion: v}
	if withContent {
		out.Questionnaire = v.Questionnaire
	}
	c.JSON(status, out)
}

func (a *API) uploadQuestionnaire(c *gin.Context) {
	data, err := a.readYAML(c)
	if err != nil {
		a.Fail(c, err)
		return
	}
	v, err := a.svc.UploadQuestionnaire(c, httpx.Principal(c), data)
	a.writeVersion(c, http.StatusCreated, v, false, err)
}

func (a *API) getQuestionnaireVersion(c *gin.Context) {
	n, err := versionParam(c)
	if err != nil {
		a.Fail(c, err)
		return
	}
	v, err := a.svc.QuestionnaireVersion(c, httpx.Principal(c), c.Param("id"), n)
	a.writeVersion(c, http.StatusOK, v, true, err)
}

func (a *API) replaceQuestionnaire(c *gin.Context) {
	n, err := versionParam(c)
	if err != nil {
		a.Fail(c, err)
		return
	}
	pre, err := ifMatch(c)
	if err != nil {
		a.Fail(c, err)
		return
	}
	data, err := a.readYAML(c)
	if err != nil {
		a.Fail(c, err)
		return
	}
	v, err := a.svc.ReplaceQuestionnaire(c, httpx.Principal(c), c.Param("id"), n, data, pre)
	a.writeVersion(c, http.StatusOK, v, false, err)
}

func (a *API) publishQuestionnaire(c *gin.Context) {
	n, err := versionParam(c)
	if err != nil {
		a.Fail(c, err)
		return
	}
	pre, err := ifMatch(c)
	if err != nil {
		a.Fail(c, err)
		return
	}
	v, err := a.svc.PublishQuestionnaire(c, httpx.Principal(c), c.Param("id"), n, pre)
	a.writeVersion(c, http.StatusOK, v, false, err)
}

func (a *API) diffQuestionnaire(c *gin.Context) {
	from, errFrom := strconv.Atoi(c.Query("from"))
	to, errTo := strconv.Atoi(c.Query("to"))
	var fields []survey.FieldError
	if errFrom != nil {
		fields = append(fields, survey.Fault("from", survey.RuleType, "a whole number"))
	}
	if errTo != nil {
		fields = append(fields, survey.Fault("to", survey.RuleType, "a whole number"))
	}
	if len(fields) > 0 {
		a.Fail(c, survey.Invalid("invalid versions", fields...))
		return
	}
	d, err := a.svc.DiffQuestionnaires(c, httpx.Principal(c), c.Param("id"), from, to)
	a.reply(c, http.StatusOK, d, err)
}

func (a *API) copyRound(c *gin.Context) {
	var in assess.RoundCopy
	if err := a.bind(c, &in); err != nil {
		a.Fail(c, err)
		return
	}
	r, err := a.svc.CopyRound(c, httpx.Principal(c), c.Param("round"), in)
	a.reply(c, http.StatusCreated, r, err)
}
