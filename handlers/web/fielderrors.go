package web

import (
	"github.com/dpo/dgsurvey/survey"
)

// ruleMessages names the message of each field rule the forms can break;
// the messages that take the rule's parameter (a length) say so in %s.
var ruleMessages = map[string]string{
	survey.RuleRequired:       "err.required",
	survey.RuleMaxLength:      "err.too_long",
	survey.RuleNAOnly:         "err.reason_without_na",
	survey.RuleNANotAllowed:   "err.na_not_allowed",
	survey.RuleRange:          "err.level",
	survey.RuleExclusive:      "err.level",
	survey.RuleReasonRequired: "err.reason_required",
	survey.RuleInactive:       "err.inactive_department",
	survey.RuleTime:           "err.datetime",
	survey.RuleAfter:          "err.closes_after",
	survey.RuleUnanswered:     "review.unanswered",
	survey.RuleUnconfirmed:    "review.unconfirmed",
	survey.RuleDraft:          "err.draft_version",
	survey.RuleEmail:          "err.email",
	survey.RuleLineBreak:      "err.line_break",
	survey.RuleNoRespondent:   "err.no_department",
}

// patternMessages names the message of each identifier pattern.
var patternMessages = map[string]string{
	survey.PatternDepartment: "err.dept_code",
	survey.PatternRound:      "err.round_id",
}

// fieldMessage translates a field error by its rule and parameter, in lang:
// never by its English message, so a Chinese page shows no English words.
// A rule the pages do not know shows the generic "check this value".
func (pg *Pages) fieldMessage(lang string, fe survey.FieldError) string {
	key, ok := ruleMessages[fe.Rule]
	if fe.Rule == survey.RulePattern {
		key, ok = patternMessages[fe.Param]
	}
	switch {
	case !ok:
		return message(pg.messages, lang, "err.invalid")
	case fe.Rule == survey.RuleMaxLength:
		return message(pg.messages, lang, key, fe.Param)
	}
	return message(pg.messages, lang, key)
}
