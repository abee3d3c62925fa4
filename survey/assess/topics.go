package assess

import (
	"context"

	"github.com/dpo/dgsurvey/survey"
)

// TopicQuery filters the seminar planner's ranking.
type TopicQuery struct {
	Domain string `form:"domain"`
	Bureau string `form:"bureau"`
	Theme  string `form:"theme"`
}

// maxBureauLength bounds a bureau filter, in characters.
const maxBureauLength = 200

// Ranking is the seminar planner's ranking of a round, filtered, with the
// round's results it was computed from.
type Ranking struct {
	Round string `json:"round"`
	// Baseline is the round's baseline level every area's gap is measured
	// against (scoring.target_level).
	Baseline int               `json:"baseline"`
	Previous string            `json:"previous_round,omitempty"`
	Domain   string            `json:"domain,omitempty"`
	Bureau   string            `json:"bureau,omitempty"`
	Theme    string            `json:"theme,omitempty"`
	Topics   []survey.TopicRow `json:"topics"`
	// Results are the round's results the ranking was computed from, and
	// PreviousResults those of the previous round (nil when none).
	Results         *RoundResults `json:"-"`
	PreviousResults *RoundResults `json:"-"`
	// input is what the ranking was computed from, so the themes of the
	// same selection come from the same figures.
	input survey.TopicRanking
}

// ThemeRanking is the planner's ranking of a round's seminar themes.
type ThemeRanking struct {
	Round    string            `json:"round"`
	Baseline int               `json:"baseline"`
	Previous string            `json:"previous_round,omitempty"`
	Domain   string            `json:"domain,omitempty"`
	Bureau   string            `json:"bureau,omitempty"`
	Themes   []survey.ThemeRow `json:"themes"`
}

// Topics ranks a round's capability areas for seminar planning (admin,
// planner).
func (s *Service) Topics(ctx context.Context, p survey.Principal, round string, q TopicQuery) (*Ranking, error) {
	if err := requireRole(p, survey.RoleAdmin, survey.RolePlanner); err != nil {
		return nil, err
	}
	if err := checkTopicQuery(q); err != nil {
		return nil, err
	}
	res, err := s.loadResults(ctx, round)
	if err != nil {
		return nil, err
	}
	if err := visible(p, res.Round); err != nil {
		return nil, err
	}
	return s.rankTopics(ctx, res, survey.TopicFilter{Domain: q.Domain, Bureau: q.Bureau, Theme: q.Theme})
}

// Themes ranks a round's seminar themes (admin, planner), with the domain
// and bureau filters of Topics.
func (s *Service) Themes(ctx context.Context, p survey.Principal, round string, q TopicQuery) (*ThemeRanking, error) {
	q.Theme = ""
	ranking, err := s.Topics(ctx, p, round, q)
	if err != nil {
		return nil, err
	}
	return ranking.ThemeRanking(), nil
}

// ThemeRanking ranks the themes over the same selection and figures as the
// topic ranking (a theme filter does not apply to themes).
func (r *Ranking) ThemeRanking() *ThemeRanking {
	in := r.input
	in.Filter.Theme = ""
	return &ThemeRanking{Round: r.Round, Baseline: r.Baseline, Previous: r.Previous, Domain: r.Domain, Bureau: r.Bureau,
		Themes: survey.RankThemes(in)}
}

// checkTopicQuery checks the filters' shapes.
func checkTopicQuery(q TopicQuery) error {
	var fields []survey.FieldError
	if q.Domain != "" && !survey.ValidItemID(q.Domain) {
		fields = append(fields, survey.Fault("domain", survey.RulePattern, survey.PatternItem))
	}
	if q.Theme != "" && !survey.ValidItemID(q.Theme) {
		fields = append(fields, survey.Fault("theme", survey.RulePattern, survey.PatternItem))
	}
	if fe, ok := survey.CheckText("bureau", q.Bureau, maxBureauLength, false); !ok {
		fields = append(fields, fe)
	}
	if len(fields) > 0 {
		return survey.Invalid("invalid request", fields...)
	}
	return nil
}

// rankTopics computes the ranking of a round's results. The previous round
// is the latest other closed round that opened before this one, with
// submissions; only those candidates' snapshots are read, newest first,
// until one has submissions. Areas are compared across questionnaire
// versions by lineage.
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
	if f.Theme != "" && res.Questionnaire.Theme(f.Theme) == nil {
		return nil, survey.Invalid("invalid filter", survey.Fault("theme", survey.RuleUnknown, "theme"))
	}
	prev, err := s.previousResults(ctx, res)
	if err != nil {
		return nil, err
	}
	in := survey.TopicRanking{Questionnaire: res.Questionnaire, Baseline: s.cfg.TargetLevel,
		Current: TopicInputs(res.Scores, res.ByCode), Filter: f}
	out := &Ranking{Round: res.Round.ID, Baseline: s.cfg.TargetLevel, Domain: f.Domain, Bureau: f.Bureau, Theme: f.Theme, Results: res}
	if prev != nil {
		out.Previous, out.PreviousResults = prev.Round.ID, prev
		in.Previous = TopicInputs(prev.Scores, res.ByCode)
		in.Lineage = s.areaLineage(ctx, prev.Questionnaire, res.Questionnaire)
	}
	out.input = in
	out.Topics = survey.RankTopics(in)
	return out, nil
}

// previousResults finds the round res is compared with and reads its
// results; nil when there is none.
func (s *Service) previousResults(ctx context.Context, res *RoundResults) (*RoundResults, error) {
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
	if loadErr != nil || prev == nil {
		return nil, loadErr
	}
	// The round is at hand and the departments are the current round's
	// (bureaux as they are now): only the questionnaire is left to find.
	q, err := s.RoundQuestionnaire(ctx, prev.ID)
	if err != nil {
		return nil, err
	}
	b := &RoundBasics{Round: prev, Questionnaire: q, Departments: res.Departments, ByCode: res.ByCode}
	return &RoundResults{RoundBasics: b, Scores: loaded[prev.ID]}, nil
}

// TopicInputs attaches each department's bureau (as it is now) to its scores.
func TopicInputs(scores []survey.DepartmentScores, depts map[string]survey.Department) []survey.TopicInput {
	out := make([]survey.TopicInput, 0, len(scores))
	for _, ds := range scores {
		out = append(out, survey.TopicInput{Department: ds.Department, Bureau: depts[ds.Department].Bureau, Scores: ds.Scores})
	}
	return out
}
