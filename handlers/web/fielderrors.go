package web

import (
	"github.com/dpo/dgsurvey/survey"
)

// fieldMessage translates a field error by its rule and parameter, in lang:
// never by its English message, so a Chinese page shows no English words.
// A rule the pages do not know shows the generic "check this value".
func (pg *Pages) fieldMessage(lang string, fe survey.FieldError) string {
	msg := func(key string, args ...any) string { return message(pg.messages, lang, key, args...) }
	switch fe.Rule {
	case survey.RuleRequired:
		return msg("err.required")
	case survey.RuleMaxLength:
		return msg("err.too_long", fe.Param)
	case survey.RuleNAOnly:
		return msg("err.reason_without_na")
	case survey.RuleNANotAllowed:
		return msg("err.na_not_allowed")
	case survey.RuleRange, survey.RuleExclusive:
		return msg("err.level")
	case survey.RuleReasonRequired:
		return msg("err.reason_required")
	case survey.RuleInactive:
		return msg("err.inactive_department")
	case survey.RuleTime:
		return msg("err.datetime")
	case survey.RuleAfter:
		return msg("err.closes_after")
	case survey.RuleUnanswered:
		return msg("review.unanswered")
	case survey.RulePattern:
		switch fe.Param {
		case survey.PatternDepartment:
			return msg("err.dept_code")
		case survey.PatternRound:
			return msg("err.round_id")
		}
	}
	return msg("err.invalid")
}
