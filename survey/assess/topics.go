package assess

import (
	"context"

	"github.com/dpo/dgsurvey/survey"
)

// TopicQuery filters the seminar planner's ranking.
type TopicQuery struct {
	Domain string `form:"domain"`
	Bureau string `form:"bureau"`
}

// maxBureauLength bounds a bureau filter, in characters.
const maxBureauLength = 200

// Ranking is the seminar planner's ranking of a round, filtered, with the
// round's results it was computed from.
type Ranking struct {
	Round    string            `json:"round"`
	Previous string            `json:"previous_round,omitempty"`
	Domain   string            `json:"domain,omitempty"`
	Bureau   string            `json:"bureau,omitempty"`
	Topics   []survey.TopicRow `json:"topics"`
	// Results are the round's results the ranking was computed from.
	Results *RoundResults `json:"-"`
}

// Topics ranks a round's capability areas for seminar planning (admin,
// planner).
func (s *Service) Topics(ctx context.Context, p survey.Principal, round string, q TopicQuery) (*Ranking, error) {
	if err := requireRole(p, survey.RoleAdmin, survey.RolePlanner); err != nil {
		return nil, err
	}
	var fields []survey.FieldError
	if q.Domain != "" && !survey.ValidItemID(q.Domain) {
		fields = append(fields, survey.Fault("domain", survey.RulePattern, survey.PatternItem))
	}
	if fe, ok := survey.CheckText("bureau", q.Bureau, maxBureauLength, false); !ok {
		fields = append(fields, fe)
	}
	if len(fields) > 0 {
		return nil, survey.Invalid("invalid request", fields...)
	}
	res, err := s.loadResults(ctx, round)
	if err != nil {
		return nil, err
	}
	if err := visible(p, res.Round); err != nil {
		return nil, err
	}
	return s.rankTopics(ctx, res, survey.TopicFilter{Domain: q.Domain, Bureau: q.Bureau})
}

// rankTopics computes the ranking of a round's results. The previous round
// is found among the rounds that closed before this one opened; only those
// candidates' snapshots are read, newest first, until one has submissions.
func (s *Service) rankTopics(ctx context.Context, res *RoundResults, f survey.TopicFilter) (*Ranking, error) {
	if f.Domain != "" {
		known := false
		for _, d := range res.Questionnaire.Domains {
			known = known || d.ID == f.Domain
		}
		if !known {
			return nil, survey.Invalid("invalid filter", survey.Fault("domain", survey.RuleUnknown, "domain"))
		}
	}
	rounds, err := s.store.Rounds(ctx)
	if err != nil {
		return nil, err
	}
	loaded := map[string][]survey.DepartmentScores{}
	var loadErr error
	prev := survey.PreviousRound(res.Round, rounds, func(id string) bool {
		if loadErr != nil {
			return false
		}
		scores, err := s.submittedScores(ctx, id)
		if err != nil {
			loadErr = err
			return false
		}
		loaded[id] = scores
		return len(scores) > 0
	})
	if loadErr != nil {
		return nil, loadErr
	}
	out := &Ranking{Round: res.Round.ID, Domain: f.Domain, Bureau: f.Bureau, Results: res}
	var previous []survey.TopicInput
	if prev != nil {
		out.Previous = prev.ID
		previous = TopicInputs(loaded[prev.ID], res.ByCode)
	}
	out.Topics = survey.RankTopics(res.Questionnaire, TopicInputs(res.Scores, res.ByCode), previous, f)
	if prev != nil {
		if err := s.changeThroughLineage(ctx, res, prev.ID, out.Topics, previous, f); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// TopicInputs attaches each department's bureau (as it is now) to its scores.
func TopicInputs(scores []survey.DepartmentScores, depts map[string]survey.Department) []survey.TopicInput {
	out := make([]survey.TopicInput, 0, len(scores))
	for _, ds := range scores {
		out = append(out, survey.TopicInput{Department: ds.Department, Bureau: depts[ds.Department].Bureau, Scores: ds.Scores})
	}
	return out
}
