package assess

import (
	"context"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/dpo/dgsurvey/survey"
)

// RoundResults is what the analytic views of a round need: its basics and
// the submitted departments' score snapshots. It costs a fixed number of
// store calls whatever the number of departments.
type RoundResults struct {
	*RoundBasics
	Scores []survey.DepartmentScores // submitted departments, by code
	// figures memoizes the government figures of these scores (shared by
	// every request that read the same results version), keyed by what
	// they depend on besides the scores: the caller's role, the round's
	// state and the departments left out.
	figures *figureMemo
	key     string
}

func (s *Service) loadResults(ctx context.Context, roundID string) (*RoundResults, error) {
	b, err := s.loadRound(ctx, roundID)
	if err != nil {
		return nil, err
	}
	cached, err := s.cachedScores(ctx, roundID)
	if err != nil {
		return nil, err
	}
	// The cached list is shared: callers get their own slice.
	scores := make([]survey.DepartmentScores, 0, len(cached.scores))
	var left []string
	for _, ds := range cached.scores {
		// Deactivated departments leave the figures of rounds still open.
		if d, ok := b.ByCode[ds.Department]; b.Round.State == survey.RoundOpen && ok && !d.Active {
			left = append(left, ds.Department)
			continue
		}
		scores = append(scores, ds)
	}
	return &RoundResults{RoundBasics: b, Scores: scores, figures: cached.figures,
		key: b.Round.State + "|" + strings.Join(left, ",")}, nil
}

// resultsVersioner is a store that keeps a results version per round
// (survey/mongostore does): anything computed from a round's submitted
// responses stays current while the version is unchanged.
type resultsVersioner interface {
	ResultsVersion(ctx context.Context, round string) (int64, error)
}

// resultsCacheTTL bounds how long computed results are reused under one
// version: a version increment lost to a crash between a submission and
// the increment delays the figures by at most this much.
const resultsCacheTTL = 5 * time.Minute

// cachedResults is a round's submitted scores as computed under a
// results version, with the figures memoized for them.
type cachedResults struct {
	version  int64
	computed time.Time
	scores   []survey.DepartmentScores
	figures  *figureMemo
}

// figureMemo holds government figures by RoundResults.key and role.
type figureMemo struct {
	mu   sync.Mutex
	figs map[string]survey.GovernmentFigures
}

// submittedScores returns the frozen scores of a round's submitted
// responses (a slice of the caller's own).
func (s *Service) submittedScores(ctx context.Context, roundID string) ([]survey.DepartmentScores, error) {
	c, err := s.cachedScores(ctx, roundID)
	if err != nil {
		return nil, err
	}
	return slices.Clone(c.scores), nil
}

// cachedScores returns the frozen scores of a round's submitted
// responses: from the cache while the round's results version (read first,
// one small read) is the one they were computed under, else from the store.
func (s *Service) cachedScores(ctx context.Context, roundID string) (*cachedResults, error) {
	versions, versioned := s.store.(resultsVersioner)
	var version int64
	if versioned {
		v, err := versions.ResultsVersion(ctx, roundID)
		if err != nil {
			return nil, err
		}
		version = v
		if c, ok := s.results.Load(roundID); ok {
			c := c.(*cachedResults)
			if age := s.cfg.Now().Sub(c.computed); c.version == v && age >= 0 && age < resultsCacheTTL {
				return c, nil
			}
		}
	}
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
	c := &cachedResults{version: version, computed: s.cfg.Now(), scores: out, figures: &figureMemo{figs: map[string]survey.GovernmentFigures{}}}
	if versioned {
		s.results.Store(roundID, c)
	}
	return c, nil
}

// government is what p may see of res's government figures: the one
// disclosure decision, for the JSON, the pages and the workbooks alike.
func (s *Service) government(p survey.Principal, res *RoundResults) survey.GovernmentFigures {
	if res.figures == nil {
		return s.disclosure().Figures(p, res.Round, res.Questionnaire, res.Scores)
	}
	// The figures depend on the scores (this memo's), the round's state and
	// the departments left out (res.key), and the caller's role only.
	key := p.Role + "|" + res.key
	res.figures.mu.Lock()
	defer res.figures.mu.Unlock()
	if f, ok := res.figures.figs[key]; ok {
		return f
	}
	f := s.disclosure().Figures(p, res.Round, res.Questionnaire, res.Scores)
	res.figures.figs[key] = f
	return f
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
