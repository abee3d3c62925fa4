package assess

import (
	"context"

	"github.com/dpo/dgsurvey/survey"
)

// RoundResults is what the analytic views of a round need: its basics and
// the submitted departments' score snapshots. It costs a fixed number of
// store calls whatever the number of departments.
type RoundResults struct {
	*RoundBasics
	Scores []survey.DepartmentScores // submitted departments, by code
}

func (s *Service) loadResults(ctx context.Context, roundID string) (*RoundResults, error) {
	b, err := s.loadRound(ctx, roundID)
	if err != nil {
		return nil, err
	}
	scores, err := s.submittedScores(ctx, roundID)
	if err != nil {
		return nil, err
	}
	if b.Round.State == survey.RoundOpen {
		// Deactivated departments leave the figures of rounds still open.
		kept := scores[:0]
		for _, ds := range scores {
			if d, ok := b.ByCode[ds.Department]; !ok || d.Active {
				kept = append(kept, ds)
			}
		}
		scores = kept
	}
	return &RoundResults{RoundBasics: b, Scores: scores}, nil
}

// submittedScores returns the frozen scores of a round's submitted responses.
func (s *Service) submittedScores(ctx context.Context, roundID string) ([]survey.DepartmentScores, error) {
	subs, err := s.store.SubmittedScores(ctx, roundID)
	if err != nil {
		return nil, err
	}
	out := make([]survey.DepartmentScores, 0, len(subs))
	for _, r := range subs {
		if r.Snapshot != nil {
			out = append(out, survey.DepartmentScores{Department: r.Department, Scores: *r.Snapshot})
		}
	}
	return out, nil
}

// government is what p may see of res's government figures: the one
// disclosure decision, for the JSON, the pages and the workbooks alike.
func (s *Service) government(p survey.Principal, res *RoundResults) survey.GovernmentFigures {
	return s.disclosure().Figures(p, res.Round, res.Questionnaire, res.Scores)
}

func (s *Service) disclosure() survey.Disclosure {
	return survey.Disclosure{MinGroup: s.cfg.MinGroup, QuartilesMin: s.cfg.QuartilesMin}
}

// DepartmentScores is one department's scores in a round with the
// government figures the caller may see. Preview is true for a response
// not yet submitted: its scores come from the answers so far.
type DepartmentScores struct {
	Round      string `json:"round"`
	Department string `json:"department"`
	Status     string `json:"status"`
	Preview    bool   `json:"preview"`
	survey.Scores
	Government survey.GovernmentFigures `json:"government"`
}

// ScoresOf reads one department's scores (admin, planner, or that
// department).
func (s *Service) ScoresOf(ctx context.Context, p survey.Principal, round, dept string) (*DepartmentScores, error) {
	if err := requireRole(p, survey.RoleAdmin, survey.RolePlanner, survey.RoleRespondent); err != nil {
		return nil, err
	}
	if p.Role == survey.RoleRespondent && p.Department != dept {
		return nil, survey.Errorf(survey.ENOTFOUND, "scores not found")
	}
	res, err := s.loadResults(ctx, round)
	if err != nil {
		return nil, err
	}
	if err := visible(p, res.Round); err != nil {
		return nil, err
	}
	if _, ok := res.ByCode[dept]; !ok {
		return nil, survey.Errorf(survey.ENOTFOUND, "department %s not found", dept)
	}
	r, err := s.store.Response(ctx, res.Round.ID, dept)
	if err != nil {
		return nil, err
	}
	if p.Role == survey.RolePlanner && r.Status != survey.StatusSubmitted {
		// Planners see submitted results only, never a draft's preview.
		return nil, survey.Errorf(survey.ENOTFOUND, "scores not found")
	}
	return &DepartmentScores{
		Round: res.Round.ID, Department: dept, Status: r.Status,
		Preview:    r.Status != survey.StatusSubmitted,
		Scores:     r.ScoresFor(res.Questionnaire, s.targets()),
		Government: s.government(p, res),
	}, nil
}

// RoundScoreRow is one submitted department's scores in a round.
type RoundScoreRow struct {
	Department string `json:"department"`
	Bureau     string `json:"bureau"`
	survey.Scores
}

// RoundScores is every submitted department's scores in a round, with the
// government figures.
type RoundScores struct {
	Round       string                   `json:"round"`
	Departments []RoundScoreRow          `json:"departments"`
	Government  survey.GovernmentFigures `json:"government"`
}

// ScoresOfRound reads every submitted department's scores (admin, planner).
func (s *Service) ScoresOfRound(ctx context.Context, p survey.Principal, round string) (*RoundScores, error) {
	if err := requireRole(p, survey.RoleAdmin, survey.RolePlanner); err != nil {
		return nil, err
	}
	res, err := s.loadResults(ctx, round)
	if err != nil {
		return nil, err
	}
	if err := visible(p, res.Round); err != nil {
		return nil, err
	}
	rows := make([]RoundScoreRow, 0, len(res.Scores))
	for _, ds := range res.Scores {
		rows = append(rows, RoundScoreRow{Department: ds.Department, Bureau: res.ByCode[ds.Department].Bureau, Scores: ds.Scores})
	}
	return &RoundScores{Round: res.Round.ID, Departments: rows, Government: s.government(p, res)}, nil
}

// Results reads a round's basics and submitted scores (admin, planner).
func (s *Service) Results(ctx context.Context, p survey.Principal, round string) (*RoundResults, error) {
	if err := requireRole(p, survey.RoleAdmin, survey.RolePlanner); err != nil {
		return nil, err
	}
	res, err := s.loadResults(ctx, round)
	if err != nil {
		return nil, err
	}
	return res, visible(p, res.Round)
}
