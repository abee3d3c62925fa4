package web

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/dpo/dgsurvey/survey"
)

// Form field names of one question on the answer form: "level.<qid>" is the
// radio group (0–5 or "na"), then the reason, comment and the hidden fields
// that carry what the page showed.
const (
	fieldLevel    = "level."
	fieldReason   = "na_reason."
	fieldComment  = "comment."
	fieldEvidence = "evidence."
	fieldBase     = "base."
	fieldOrig     = "orig."
	levelNA       = "na"
)

// answerValue is one answer as the form shows it.
type answerValue struct {
	Level    string // "", "0".."5" or "na"
	Reason   string
	Comment  string
	Evidence string
}

func valueOf(a *survey.Answer) answerValue {
	var v answerValue
	if a == nil {
		return v
	}
	switch {
	case a.NA:
		v.Level = levelNA
	case a.Level != nil:
		v.Level = strconv.Itoa(*a.Level)
	}
	v.Reason, v.Comment, v.Evidence = a.NAReason, a.Comment, a.Evidence
	return v
}

// fingerprint identifies a value, so a post can tell which answers the user
// changed from what the page showed: only those are sent, and an answer
// someone else changed meanwhile is left alone unless this user changed it too.
func (v answerValue) fingerprint() string {
	sum := sha256.Sum256([]byte(strings.Join([]string{v.Level, strings.TrimSpace(v.Reason), v.Comment, v.Evidence}, "\x00")))
	return hex.EncodeToString(sum[:12])
}

func (v answerValue) empty() bool {
	return v.Level == "" && strings.TrimSpace(v.Reason) == "" && v.Comment == "" && v.Evidence == ""
}

// formText normalises a posted text: browsers send textarea line ends as CRLF.
func formText(form url.Values, name string) string {
	return strings.ReplaceAll(form.Get(name), "\r\n", "\n")
}

// postedAnswer is what the form posted for one question.
type postedAnswer struct {
	value answerValue
	base  int
	orig  string
}

func readPosted(form url.Values, qid string) postedAnswer {
	p := postedAnswer{value: answerValue{
		Level:    strings.TrimSpace(form.Get(fieldLevel + qid)),
		Reason:   formText(form, fieldReason+qid),
		Comment:  formText(form, fieldComment+qid),
		Evidence: formText(form, fieldEvidence+qid),
	}, orig: form.Get(fieldOrig + qid)}
	p.base, _ = strconv.Atoi(form.Get(fieldBase + qid))
	return p
}

// changed reports whether the user changed this answer on the page.
func (p postedAnswer) changed() bool { return p.value.fingerprint() != p.orig }

// input turns a posted answer into a patch item that replaces the answer,
// guarded by the rev the page showed. A level that is not 0–5 or "na" is a
// field error, reported under the same path as the API's.
func (p postedAnswer) input(qid string) (*survey.AnswerInput, *survey.FieldError) {
	base := p.base
	// The form shows the whole answer, so it replaces the whole answer:
	// every field is named, an empty level clears it.
	in := &survey.AnswerInput{Comment: survey.Of(p.value.Comment), Evidence: survey.Of(p.value.Evidence),
		NAReason: survey.Of(p.value.Reason), Level: survey.Clear[int](), NA: survey.Of(false), BaseRev: &base}
	switch p.value.Level {
	case "":
	case levelNA:
		in.NA = survey.Of(true)
	default:
		n, err := strconv.Atoi(p.value.Level)
		if err != nil || n < 0 || n > survey.MaxLevel {
			return nil, func() *survey.FieldError {
				fe := survey.Fault("answers."+qid+".level", survey.RuleRange, fmt.Sprintf("0-%d", survey.MaxLevel))
				return &fe
			}()
		}
		in.Level = survey.Of(n)
	}
	return in, nil
}

// levelOption is one radio button of a question.
type levelOption struct {
	ID         string
	Value      string
	Name       string
	Descriptor string
	Checked    bool
}

// questionView is one question on a page, in the page's language.
type questionView struct {
	ID, Text, Help, Reference string
	Options                   []levelOption
	NAAllowed                 bool
	answerValue
	Base int
	Orig string
	// Field errors, by input.
	ErrLevel, ErrReason, ErrComment string
	// Theirs describes another person's value after a conflicting save.
	Theirs string
	// Shown is the chosen option's text, for read-only views.
	Shown string
}

// Described reports the ids that describe the radio group: help and error.
func (q questionView) Described() string {
	ids := "help-" + q.ID
	if q.ErrLevel != "" {
		ids += " err-" + q.ID + "-level"
	}
	if q.Theirs != "" {
		ids += " theirs-" + q.ID
	}
	return ids
}

// areaView is a capability area with its questions.
type areaView struct {
	ID, Title string
	Questions []questionView
}

// domainSection is a domain with its areas, for read-only views.
type domainSection struct {
	ID, Title string
	Areas     []areaView
}

// questionViews builds the areas of domain d with each question's value taken
// from values (what the page should show) and rev from stored.
func (pg *Pages) questionViews(lang string, q *survey.Questionnaire, d *survey.Domain, values map[string]answerValue, stored *survey.Response) []areaView {
	areas := make([]areaView, 0, len(d.Areas))
	for _, a := range d.Areas {
		av := areaView{ID: a.ID, Title: a.Title.In(lang)}
		for i := range a.Questions {
			av.Questions = append(av.Questions, pg.questionView(lang, q, &a.Questions[i], values[a.Questions[i].ID], stored.Answers[a.Questions[i].ID]))
		}
		areas = append(areas, av)
	}
	return areas
}

func (pg *Pages) questionView(lang string, q *survey.Questionnaire, qu *survey.Question, v answerValue, stored *survey.Answer) questionView {
	qv := questionView{ID: qu.ID, Text: qu.Text.In(lang), Help: qu.Help.In(lang), Reference: qu.Reference.In(lang),
		NAAllowed: qu.NAAllowed, answerValue: v, Orig: valueOf(stored).fingerprint()}
	if stored != nil {
		qv.Base = stored.Rev
	}
	for lvl, desc := range qu.Levels {
		val := strconv.Itoa(lvl)
		opt := levelOption{ID: qu.ID + "-l" + val, Value: val, Name: message(pg.messages, lang, "answer.level", lvl, q.LevelName(lvl, lang)),
			Descriptor: desc.In(lang), Checked: v.Level == val}
		if opt.Checked {
			qv.Shown = opt.Name + ": " + opt.Descriptor
		}
		qv.Options = append(qv.Options, opt)
	}
	if qu.NAAllowed {
		opt := levelOption{ID: qu.ID + "-na", Value: levelNA, Name: message(pg.messages, lang, "answer.na"),
			Descriptor: message(pg.messages, lang, "answer.na_help"), Checked: v.Level == levelNA}
		if opt.Checked {
			qv.Shown = opt.Name
		}
		qv.Options = append(qv.Options, opt)
	}
	return qv
}

// describeAnswer is another person's answer in words, for a conflict note.
func (pg *Pages) describeAnswer(lang string, q *survey.Questionnaire, a *survey.Answer) string {
	v := valueOf(a)
	var parts []string
	switch {
	case v.Level == levelNA:
		parts = append(parts, message(pg.messages, lang, "answer.na"))
		if v.Reason != "" {
			parts = append(parts, message(pg.messages, lang, "answer.reason_is", v.Reason))
		}
	case v.Level != "":
		n, _ := strconv.Atoi(v.Level)
		parts = append(parts, message(pg.messages, lang, "answer.level", n, q.LevelName(n, lang)))
	default:
		parts = append(parts, message(pg.messages, lang, "answer.none"))
	}
	if v.Comment != "" {
		parts = append(parts, message(pg.messages, lang, "answer.comment_is", v.Comment))
	}
	if a != nil && a.UpdatedBy != "" {
		parts = append(parts, message(pg.messages, lang, "answer.changed_by", survey.NameOr(a.UpdatedByName, a.UpdatedBy)))
	}
	return strings.Join(parts, " · ")
}
