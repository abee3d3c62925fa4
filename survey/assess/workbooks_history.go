package assess

import (
	"cmp"
	"context"
	"slices"
	"strings"

	"github.com/dpo/dgsurvey/reports"
	"github.com/dpo/dgsurvey/survey"
)

// earlierRounds are the rounds that opened before current, oldest first:
// the rounds a Trend sheet compares with.
func (s *Service) earlierRounds(ctx context.Context, current *survey.Round) ([]survey.Round, error) {
	rounds, err := s.store.Rounds(ctx)
	if err != nil {
		return nil, err
	}
	var out []survey.Round
	for _, r := range rounds {
		if r.ID != current.ID && r.State != survey.RoundDraft && r.OpensAt.Before(current.OpensAt) {
			out = append(out, r)
		}
	}
	slices.SortFunc(out, func(a, b survey.Round) int {
		return cmp.Or(a.OpensAt.Compare(b.OpensAt), cmp.Compare(a.ID, b.ID))
	})
	return out, nil
}

// lineage maps the areas of current to those of an earlier round's
// questionnaire through every version between them (the bank's and the
// rounds' copies); nil for the same questionnaire version.
func (s *Service) lineage(earlier, current *survey.Questionnaire) map[string][]string {
	if earlier == nil || current == nil || (earlier.ID == current.ID && earlier.Version == current.Version) {
		return nil
	}
	versions := map[int]*survey.Questionnaire{earlier.Version: earlier, current.Version: current}
	for _, q := range s.cfg.Questionnaires {
		if q.ID == current.ID && q.Version > earlier.Version && q.Version < current.Version {
			versions[q.Version] = q
		}
	}
	path := []*survey.Questionnaire{earlier}
	if earlier.ID == current.ID {
		for v := earlier.Version + 1; v < current.Version; v++ {
			if q, ok := versions[v]; ok {
				path = append(path, q)
			}
		}
	}
	return survey.AreaLineage(append(path, current)...)
}

// departmentHistory is the department's submitted results in every earlier
// round, oldest first, with the lineage of each round's areas.
func (s *Service) departmentHistory(ctx context.Context, res *RoundResults, dept string) ([]reports.PreviousScores, error) {
	rounds, err := s.earlierRounds(ctx, res.Round)
	if err != nil {
		return nil, err
	}
	var out []reports.PreviousScores
	for _, round := range rounds {
		r, err := s.store.Response(ctx, round.ID, dept)
		if err != nil {
			return nil, err
		}
		if r.Status != survey.StatusSubmitted || r.Snapshot == nil {
			continue
		}
		q, err := s.RoundQuestionnaire(ctx, round.ID)
		if err != nil {
			return nil, err
		}
		out = append(out, reports.PreviousScores{Round: round, Scores: *r.Snapshot, Lineage: s.lineage(q, res.Questionnaire)})
	}
	return out, nil
}

// governmentHistory is the government figures of every earlier round with
// submitted responses, oldest first, for the consolidated Trend sheet.
func (s *Service) governmentHistory(ctx context.Context, res *RoundResults) ([]reports.GovernmentRound, error) {
	rounds, err := s.earlierRounds(ctx, res.Round)
	if err != nil {
		return nil, err
	}
	var out []reports.GovernmentRound
	for _, round := range rounds {
		scores, err := s.submittedScores(ctx, round.ID)
		if err != nil {
			return nil, err
		}
		if len(scores) == 0 {
			continue
		}
		q, err := s.RoundQuestionnaire(ctx, round.ID)
		if err != nil {
			return nil, err
		}
		areas := map[string]*float64{}
		for _, b := range survey.Benchmarks(q, scores) {
			areas[b.Area] = b.Mean
		}
		out = append(out, reports.GovernmentRound{Round: round, Overall: survey.OverallMean(scores),
			Domains: survey.DomainMeans(q, scores), Areas: areas, Lineage: s.lineage(q, res.Questionnaire)})
	}
	return out, nil
}

// submitterName is who a workbook names as having submitted r: the name
// recorded at submission (a user's name, a credential's label); for
// submissions made before names were recorded, the label of the credential
// that did it, else the stored actor as it is.
func (s *Service) submitterName(ctx context.Context, r *survey.Response) string {
	if r == nil || r.SubmittedBy == "" {
		return ""
	}
	if r.SubmittedByName != "" {
		return r.SubmittedByName
	}
	actor := r.SubmittedBy
	id := actor[strings.LastIndexByte(actor, ':')+1:]
	creds, err := s.store.Credentials(ctx)
	if err != nil {
		return actor
	}
	for _, c := range creds {
		if c.ID == id && c.Label != "" {
			return c.Label
		}
	}
	return actor
}
