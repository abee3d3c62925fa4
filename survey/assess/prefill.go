package assess

import (
	"context"
	"fmt"

	"github.com/dpo/dgsurvey/survey"
)

// Pre-fill: a round created with prefill_from starts each department from
// its submitted answers of that earlier round, for the questions that
// continue exactly one earlier question (survey.QuestionCarry). The copy is
// made on the department's first access of its response (a read, a save or
// a submit, by anyone who may see it) while the round is not closed, and
// only while the response has never been changed, so it happens once and
// never overwrites anything a person saved. Carried answers are marked and
// count as answered only once confirmed.

// prefillActor is the updated_by of a carried answer: no person set it in
// this round.
const prefillActor = "prefill"

// checkPrefillFrom checks a round's prefill_from: an existing round on the
// same questionnaire, on the version of q or an earlier one whose later
// versions are all published (so lineage can be followed).
func (s *Service) checkPrefillFrom(ctx context.Context, from string, q *survey.Questionnaire, fields *[]survey.FieldError) error {
	if !survey.ValidRoundID(from) {
		*fields = append(*fields, survey.Fault("prefill_from", survey.RulePattern, survey.PatternRound))
		return nil
	}
	if _, err := s.store.Round(ctx, from); err != nil {
		if survey.ErrorCode(err) == survey.ENOTFOUND {
			*fields = append(*fields, survey.Fault("prefill_from", survey.RuleUnknown, "round"))
			return nil
		}
		return err
	}
	old, err := s.RoundQuestionnaire(ctx, from)
	if err != nil {
		return err
	}
	_, ok, err := s.versionPath(ctx, old, q)
	if err != nil {
		return err
	}
	if !ok {
		*fields = append(*fields, survey.FieldError{Field: "prefill_from", Rule: survey.RuleOneOf, Param: q.ID,
			Message: fmt.Sprintf("round %s is on %s version %d, which %s version %d does not continue", from, old.ID, old.Version, q.ID, q.Version)})
	}
	return nil
}

// carryMap is which question of the round takes over which question of
// its prefill_from round, worked out once per round.
func (s *Service) carryMap(ctx context.Context, sc *Scoped) (map[string]string, error) {
	if m, ok := s.carries.Load(sc.Round.ID); ok {
		return m.(map[string]string), nil
	}
	old, err := s.RoundQuestionnaire(ctx, sc.Round.PrefillFrom)
	if err != nil {
		return nil, err
	}
	path, ok, err := s.versionPath(ctx, old, sc.Questionnaire)
	if err != nil {
		return nil, err
	}
	m := map[string]string{}
	if ok {
		m = survey.QuestionCarry(path...)
	}
	s.carries.Store(sc.Round.ID, m)
	return m, nil
}

// prefill copies the department's carried answers into its response on
// first access, audited with the number carried.
func (s *Service) prefill(ctx context.Context, p survey.Principal, sc *Scoped) error {
	if sc.Round.PrefillFrom == "" || sc.Round.State == survey.RoundClosed {
		return nil
	}
	cur, err := s.store.Response(ctx, sc.Round.ID, sc.Department)
	if err != nil || cur.Version != 0 {
		return err
	}
	prev, err := s.store.Response(ctx, sc.Round.PrefillFrom, sc.Department)
	if err != nil || prev.Status != survey.StatusSubmitted {
		return err
	}
	carry, err := s.carryMap(ctx, sc)
	if err != nil {
		return err
	}
	now := s.now()
	carried := survey.CarryAnswers(prev, carry, sc.Round.PrefillFrom, prefillActor, now)
	if len(carried) == 0 {
		return nil
	}
	done := false
	_, err = s.store.UpdateResponse(ctx, sc.Round.ID, sc.Department, func(r *survey.Response) error {
		done = r.Prefill(carried, sc.Questionnaire, now)
		return nil
	})
	if err != nil {
		return err
	}
	if done {
		s.audit(ctx, p, "response.prefill", sc.Round.ID, sc.Department,
			map[string]any{"from": sc.Round.PrefillFrom, "carried": len(carried)})
	}
	return nil
}

// ConfirmCarried confirms carried answers as still true: the named
// questions, or every unconfirmed one of area when area is given (the
// pages' "confirm all still true in this area"). It is a save like any
// other: open round, the department's own people, audited.
func (s *Service) ConfirmCarried(ctx context.Context, p survey.Principal, round, dept, area string, questions []string) (*Scoped, error) {
	sc, err := s.Response(ctx, p, round, dept)
	if err != nil {
		return nil, err
	}
	ids := questions
	if area != "" {
		ids = nil
		for _, d := range sc.Questionnaire.Domains {
			for _, a := range d.Areas {
				if a.ID != area {
					continue
				}
				for _, qu := range a.Questions {
					if sc.Response.Answers[qu.ID].Unconfirmed() {
						ids = append(ids, qu.ID)
					}
				}
			}
		}
	}
	patch := survey.Patch{}
	for _, id := range ids {
		patch[id] = &survey.AnswerInput{Confirm: survey.Of(true)}
	}
	if len(patch) == 0 {
		return sc, nil
	}
	return s.SaveAnswers(ctx, p, round, dept, patch, Precondition{})
}
