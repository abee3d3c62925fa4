package web

import (
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/dpo/dgsurvey/handlers/httpx"
	"github.com/dpo/dgsurvey/survey"
	"github.com/dpo/dgsurvey/survey/assess"
)

// The administrators' questionnaire pages: every version with its state,
// the upload form and the problems of a refused file; one version's page
// with the differences from the version before, its preview as the
// respondents will see it (in either language) and the publish and
// replace actions. They call the same use cases as the API.

// problemRow is one problem of a refused questionnaire file.
type problemRow struct {
	Path, Reason string
	Line         int
}

type questionnairesPage struct {
	page
	Versions []assess.QuestionnaireSummary
	// Problems lists why the last upload was refused; Refused is the
	// general message (a file that is not one YAML document).
	Problems []problemRow
	Refused  string
}

type questionnairePage struct {
	page
	V *survey.QuestionnaireVersion
	// Diff is against the version before, when the registry has it.
	Diff *survey.QuestionnaireDiff
	// View is the language of the preview; Other the other one.
	View, Other string
	Domains     []previewDomain
	Problems    []problemRow
	Refused     string
}

// previewDomain is a domain of the preview, read-only, in one language.
type previewDomain struct {
	ID, Title string
	Areas     []previewArea
}

type previewArea struct {
	ID, Title, Topic string
	Questions        []previewQuestion
}

type previewQuestion struct {
	ID, Text, Help, Reference string
	NAAllowed, Mandatory      bool
	Levels                    []string
}

// adminQuestionnaires lists the versions and offers the upload.
func (pg *Pages) adminQuestionnaires(c *gin.Context) {
	pg.renderQuestionnaires(c, http.StatusOK, nil, "")
}

func (pg *Pages) renderQuestionnaires(c *gin.Context, status int, problems []problemRow, refused string) {
	list, err := pg.svc.Questionnaires(c, httpx.Principal(c))
	if err != nil {
		pg.Fail(c, err)
		return
	}
	data := &questionnairesPage{page: pg.newPage(c, "questionnaires.title"), Versions: list, Problems: problems, Refused: refused}
	data.Nav = "questionnaires"
	pg.render(c, status, "questionnaires", data)
}

// uploadedFile reads the posted questionnaire: the file of the form's file
// input, or the text pasted into its text box.
func uploadedFile(c *gin.Context) ([]byte, error) {
	if c.Request.MultipartForm != nil {
		if fh, err := c.FormFile("file"); err == nil && fh.Size > 0 {
			f, err := fh.Open()
			if err != nil {
				return nil, httpx.Malformed("the file could not be read")
			}
			defer f.Close()
			return io.ReadAll(f)
		}
	}
	src := strings.ReplaceAll(c.Request.PostFormValue("source"), "\r\n", "\n")
	if strings.TrimSpace(src) == "" {
		return nil, survey.Invalid("no file", survey.Fault("file", survey.RuleRequired, ""))
	}
	return []byte(src), nil
}

// problemsOf splits a refused upload into its problems (422) or its
// general reason (400); ok is false for any other error.
func (pg *Pages) problemsOf(c *gin.Context, err error) (problems []problemRow, refused string, status int, ok bool) {
	var de *survey.Error
	if !errors.As(err, &de) {
		return nil, "", 0, false
	}
	switch de.Code {
	case survey.EMALFORMED:
		return nil, de.Message, http.StatusBadRequest, true
	case survey.EINVALID:
		for _, fe := range de.Fields {
			line, _ := strconv.Atoi(fe.Param)
			reason := fe.Message
			if fe.Rule != survey.RuleQuestionnaireFile {
				reason = pg.fieldMessage(pageLang(c), fe)
			}
			problems = append(problems, problemRow{Path: fe.Field, Line: line, Reason: reason})
		}
		return problems, "", http.StatusUnprocessableEntity, true
	}
	return nil, "", 0, false
}

// uploadQuestionnaire stores a posted file as a draft and shows it, or
// lists its problems.
func (pg *Pages) uploadQuestionnaire(c *gin.Context) {
	data, err := uploadedFile(c)
	if err == nil {
		var v *survey.QuestionnaireVersion
		v, err = pg.svc.UploadQuestionnaire(c, httpx.Principal(c), data)
		if err == nil {
			redirect(c, versionURL(v.ID, v.Number)+"?flash=questionnaire-uploaded")
			return
		}
	}
	if survey.ErrorCode(err) == survey.ECONFLICT {
		pg.renderQuestionnaires(c, http.StatusConflict, nil, pg.t(c, "questionnaires.exists"))
		return
	}
	problems, refused, status, ok := pg.problemsOf(c, err)
	if !ok {
		pg.Fail(c, err)
		return
	}
	pg.renderQuestionnaires(c, status, problems, refused)
}

func versionURL(id string, version int) string {
	return "/admin/questionnaires/" + id + "/versions/" + strconv.Itoa(version)
}

func pathVersion(c *gin.Context) (int, error) {
	n, err := strconv.Atoi(c.Param("version"))
	if err != nil || n < 1 {
		return 0, survey.Errorf(survey.ENOTFOUND, "no such version")
	}
	return n, nil
}

// questionnaireVersion shows one version: facts, the differences from the
// version before, the preview and the actions.
func (pg *Pages) questionnaireVersion(c *gin.Context) {
	pg.renderVersion(c, http.StatusOK, nil, "")
}

func (pg *Pages) renderVersion(c *gin.Context, status int, problems []problemRow, refused string) {
	n, err := pathVersion(c)
	if err != nil {
		pg.Fail(c, err)
		return
	}
	p := httpx.Principal(c)
	v, err := pg.svc.QuestionnaireVersion(c, p, c.Param("id"), n)
	if err != nil {
		pg.Fail(c, err)
		return
	}
	data := &questionnairePage{page: pg.newPage(c, "questionnaire.title", v.Title.In(pageLang(c)), v.Number), V: v,
		Problems: problems, Refused: refused}
	data.Nav = "questionnaires"
	if n > 1 {
		if d, err := pg.svc.DiffQuestionnaires(c, p, v.ID, n-1, n); err == nil {
			data.Diff = d
		} else if survey.ErrorCode(err) != survey.ENOTFOUND {
			pg.Fail(c, err)
			return
		}
	}
	data.View = c.Query("view")
	if data.View != survey.LangEN && data.View != survey.LangZH {
		data.View = data.Lang
	}
	data.Other = survey.LangZH
	if data.View == survey.LangZH {
		data.Other = survey.LangEN
	}
	data.Domains = previewOf(v.Questionnaire, data.View)
	pg.render(c, status, "questionnaire", data)
}

// previewOf is the questionnaire as a respondent reads it, in lang.
func previewOf(q *survey.Questionnaire, lang string) []previewDomain {
	var out []previewDomain
	for _, d := range q.Domains {
		pd := previewDomain{ID: d.ID, Title: d.Title.In(lang)}
		for _, a := range d.Areas {
			pa := previewArea{ID: a.ID, Title: a.Title.In(lang), Topic: a.Topic.In(lang)}
			for _, qu := range a.Questions {
				pq := previewQuestion{ID: qu.ID, Text: qu.Text.In(lang), Help: qu.Help.In(lang), Reference: qu.Reference.In(lang),
					NAAllowed: qu.NAAllowed, Mandatory: qu.Mandatory}
				for i, l := range qu.Levels {
					pq.Levels = append(pq.Levels, strconv.Itoa(i)+" "+q.LevelName(i, lang)+": "+l.In(lang))
				}
				pa.Questions = append(pa.Questions, pq)
			}
			pd.Areas = append(pd.Areas, pa)
		}
		out = append(out, pd)
	}
	return out
}

// publishQuestionnaire publishes the draft the page showed.
func (pg *Pages) publishQuestionnaire(c *gin.Context) {
	n, err := pathVersion(c)
	if err != nil {
		pg.Fail(c, err)
		return
	}
	_, err = pg.svc.PublishQuestionnaire(c, httpx.Principal(c), c.Param("id"), n, formVersion(c.Request.PostFormValue("revision")))
	if err == nil {
		redirect(c, versionURL(c.Param("id"), n)+"?flash=questionnaire-published")
		return
	}
	pg.versionFailure(c, err)
}

// replaceQuestionnaire gives the draft a new file.
func (pg *Pages) replaceQuestionnaire(c *gin.Context) {
	n, err := pathVersion(c)
	if err != nil {
		pg.Fail(c, err)
		return
	}
	data, err := uploadedFile(c)
	if err == nil {
		_, err = pg.svc.ReplaceQuestionnaire(c, httpx.Principal(c), c.Param("id"), n, data, formVersion(c.Request.PostFormValue("revision")))
		if err == nil {
			redirect(c, versionURL(c.Param("id"), n)+"?flash=questionnaire-replaced")
			return
		}
	}
	pg.versionFailure(c, err)
}

// versionFailure shows the version page again with what went wrong.
func (pg *Pages) versionFailure(c *gin.Context, err error) {
	if problems, refused, status, ok := pg.problemsOf(c, err); ok {
		pg.renderVersion(c, status, problems, refused)
		return
	}
	if code := survey.ErrorCode(err); code == survey.ECONFLICT || code == survey.EPRECONDITION {
		pg.renderVersion(c, httpx.Classify(err).Status, nil, pg.t(c, "questionnaire.changed"))
		return
	}
	pg.Fail(c, err)
}

// copyRound creates "a new round like this one" from the rounds page.
func (pg *Pages) copyRound(c *gin.Context) {
	from := c.Param("round")
	in := assess.RoundCopy{ID: strings.TrimSpace(c.Request.PostFormValue("id"))}
	if v, err := strconv.Atoi(c.Request.PostFormValue("questionnaire_version")); err == nil {
		in.QuestionnaireVersion = v
	}
	r, err := pg.svc.CopyRound(c, httpx.Principal(c), from, in)
	if err == nil {
		redirect(c, "/admin/rounds/"+r.ID+"?flash=round-copied")
		return
	}
	errs := formErrors{}
	if !pg.formError(c, err, errs, map[string]string{"id": "rounds.exists"}) {
		return
	}
	msgs := make([]string, 0, len(errs))
	for field, msg := range errs {
		msgs = append(msgs, pg.t(c, "field."+field)+": "+msg)
	}
	pg.renderRounds(c, http.StatusUnprocessableEntity, roundForm{}, formErrors{"copy-" + from: strings.Join(msgs, " · ")})
}
