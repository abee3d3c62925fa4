package survey

import (
	"fmt"
	"strings"
)

// Rules a field can break. A FieldError carries one, with its parameter, so
// that pages and workbooks translate the fault by key; the English message
// is only the API's default wording.
const (
	RuleRequired       = "required"        // a value must be given
	RuleMaxLength      = "max"             // at most Param characters
	RuleRange          = "range"           // a whole number within Param ("0-5")
	RuleMin            = "min"             // at least Param
	RuleMaxValue       = "max_value"       // at most Param (a number)
	RulePattern        = "pattern"         // the identifier pattern named by Param
	RuleOneOf          = "oneof"           // one of the space-separated values of Param
	RuleTime           = "time"            // an RFC 3339 time
	RuleAfter          = "after"           // later than the field Param
	RuleUnknown        = "unknown"         // names nothing that exists (a question, a domain)
	RuleInactive       = "inactive"        // names a department that is not active
	RuleExclusive      = "exclusive"       // a level and N/A together
	RuleNANotAllowed   = "na_not_allowed"  // the question does not allow N/A
	RuleNAOnly         = "na_only"         // a reason without N/A
	RuleNotNegative    = "not_negative"    // a negative number
	RuleUnanswered     = "unanswered"      // a question left without an answer at submit
	RuleReasonRequired = "reason_required" // N/A without a reason at submit
	RuleStale          = "stale"           // base_rev differs from the stored rev
	RuleType           = "type"            // a JSON value of the wrong type; Param names the kind
	RuleUnknownField   = "unknown_field"   // a field the request does not have
	RuleNoRespondent   = "no_department"   // a department given for a role that has none
	RuleNARequires     = "na_requires"     // N/A needs another question (Param "q>=level") at a level
)

// Rules of the yearly cycle: carried-over answers and questionnaire versions.
const (
	RuleUnconfirmed       = "unconfirmed"        // a carried answer (from round Param) not yet confirmed at submit
	RuleDraft             = "draft"              // names a questionnaire version (Param) that is not published yet
	RuleQuestionnaireFile = "questionnaire_file" // a questionnaire file breaks a loader rule (Param: the line)
)

// Identifier patterns, the Param of RulePattern.
const (
	PatternDepartment = "department_code"
	PatternRound      = "round_id"
	PatternItem       = "item_id"
)

// Fault builds the FieldError for field breaking rule (with param), with
// the English wording of the API.
func Fault(field, rule, param string) FieldError {
	return FieldError{Field: field, Rule: rule, Param: param, Message: RuleMessage(rule, param)}
}

// RuleMessage is the English wording of a rule, as the API shows it.
func RuleMessage(rule, param string) string {
	switch rule {
	case RuleRequired:
		return "is required"
	case RuleMaxLength:
		return "must be at most " + param + " characters"
	case RuleRange:
		lo, hi, _ := strings.Cut(param, "-")
		return fmt.Sprintf("must be between %s and %s", lo, hi)
	case RuleMin:
		return "must be at least " + param
	case RuleMaxValue:
		return "must be at most " + param
	case RulePattern:
		switch param {
		case PatternDepartment:
			return "must be 2-16 characters of A-Z, 0-9 and '-', starting with a letter or digit"
		case PatternRound:
			return "must be 1-32 characters of a-z, 0-9 and '-', starting with a letter or digit"
		}
		return "must be 1-48 characters of a-z, 0-9 and '-', starting with a letter or digit"
	case RuleOneOf:
		return "must be one of " + strings.ReplaceAll(param, " ", ", ")
	case RuleTime:
		return "must be an RFC 3339 time such as 2026-01-05T09:00:00+08:00"
	case RuleAfter:
		return "must be after " + param
	case RuleUnknown:
		return "does not exist"
	case RuleInactive:
		return "is not an active department"
	case RuleExclusive:
		return "cannot have both a level and na"
	case RuleNANotAllowed:
		return "N/A is not allowed for this question"
	case RuleNAOnly:
		return "is only allowed with na: true"
	case RuleNotNegative:
		return "must not be negative"
	case RuleUnanswered:
		return "is not answered"
	case RuleReasonRequired:
		return "a reason is required for N/A"
	case RuleStale:
		return "does not match the stored rev"
	case RuleType:
		return "must be " + param
	case RuleUnknownField:
		return "is not a known field"
	case RuleNoRespondent:
		return "only respondents belong to a department"
	case RuleDraft:
		return "is a draft version (" + param + "); publish it first"
	case RuleQuestionnaireFile:
		if param == "" {
			return "breaks a rule of the questionnaire file"
		}
		return "breaks a rule of the questionnaire file at line " + param
	case RuleUnconfirmed:
		return "was carried over from round " + param + " and is not yet confirmed: confirm it or change it"
	case RuleEmail:
		return "must be one e-mail address (name@example.org)"
	case RuleLineBreak:
		return "must not contain line breaks or control characters"
	case RuleNARequires:
		q, lvl, _ := strings.Cut(param, ">=")
		return "N/A is allowed only when question " + q + " is answered at level " + lvl + " or above"
	}
	return "is invalid"
}
