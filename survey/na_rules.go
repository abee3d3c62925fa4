package survey

import "fmt"

// naRuleProblems lists the N/A answers of r whose question's na_requires is
// not met: N/A is valid only when the named other question is answered with
// a level of at least MinLevel (not unanswered, not N/A, not lower). Each
// problem is a FieldError on answers.<id>.na naming the other question.
func (r *Response) naRuleProblems(q *Questionnaire) []FieldError {
	var fields []FieldError
	idx := q.Index()
	for _, id := range q.QuestionIDs() {
		a := r.Answers[id]
		nr := idx[id].Question.NARequires
		if nr == nil || a == nil || !a.NA {
			continue
		}
		other := r.Answers[nr.Question]
		var got string
		switch {
		case !other.Answered():
			got = "is not answered"
		case other.NA:
			got = "is N/A"
		case other.Level != nil && *other.Level < nr.MinLevel:
			got = fmt.Sprintf("is at level %d", *other.Level)
		default:
			continue
		}
		// The rule names the other question and its level, so a page can
		// say it in its own language.
		fields = append(fields, FieldError{Field: "answers." + id + ".na", Rule: RuleNARequires, Param: fmt.Sprintf("%s>=%d", nr.Question, nr.MinLevel),
			Message: fmt.Sprintf("N/A is allowed only when question %s is answered at level %d or above; %s %s", nr.Question, nr.MinLevel, nr.Question, got)})
	}
	return fields
}
