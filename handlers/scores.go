package handlers

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/dpo/dgsurvey/survey"
)

// roundBasics is what every view of a whole round starts from: the round,
// its questionnaire and the departments (in code order and by code).
type roundBasics struct {
	round    *survey.Round
	q        *survey.Questionnaire
	deptList []survey.Department
	depts    map[string]survey.Department
}

// loadRound reads a round's basics: the round and the departments (the
// questionnaire comes from memory after its first read).
func (s *Server) loadRound(c *gin.Context, roundID string) (*roundBasics, error) {
	round, err := s.store.Round(c, roundID)
	if err != nil {
		return nil, err
	}
	q, err := s.roundQuestionnaire(c, roundID)
	if err != nil {
		return nil, err
	}
	list, err := s.store.Departments(c)
	if err != nil {
		return nil, err
	}
	depts := make(map[string]survey.Department, len(list))
	for _, d := range list {
		depts[d.Code] = d
	}
	return &roundBasics{round: round, q: q, deptList: list, depts: depts}, nil
}

// roundResults is what the analytic views of a round need: its basics and
// the submitted departments' score snapshots. It costs a fixed number of
// store calls whatever the number of departments.
type roundResults struct {
	*roundBasics
	scores []survey.DepartmentScores // submitted departments, by code
}

func (s *Server) loadResults(c *gin.Context, roundID string) (*roundResults, error) {
	b, err := s.loadRound(c, roundID)
	if err != nil {
		return nil, err
	}
	scores, err := s.submittedScores(c, roundID)
	if err != nil {
		return nil, err
	}
	return &roundResults{roundBasics: b, scores: scores}, nil
}

// submittedScores returns the frozen scores of a round's submitted responses.
func (s *Server) submittedScores(c *gin.Context, roundID string) ([]survey.DepartmentScores, error) {
	subs, err := s.store.SubmittedScores(c, roundID)
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

// departmentScoresView is one department's scores with the government
// figures the caller may see.
type departmentScoresView struct {
	Round      string `json:"round"`
	Department string `json:"department"`
	Status     string `json:"status"`
	// Preview is true for a response not yet submitted: its scores are
	// computed from the answers so far, unanswered questions left out.
	Preview bool `json:"preview"`
	survey.Scores
	Government governmentView `json:"government"`
}

// governmentView holds government-wide figures. Respondents get only the
// public statistics, only where enough departments submitted.
type governmentView struct {
	Submitted   int                      `json:"submitted,omitempty"`
	OverallMean *float64                 `json:"overall_mean,omitempty"`
	DomainMeans map[string]*float64      `json:"domain_means,omitempty"`
	Areas       []survey.AreaBenchmark   `json:"areas,omitempty"`
	Public      []survey.PublicBenchmark `json:"public_areas,omitempty"`
}

func (s *Server) departmentScores(c *gin.Context) {
	dept := c.Param("dept")
	p := principal(c)
	if p.Role == survey.RoleRespondent && p.Department != dept {
		s.fail(c, survey.Errorf(survey.ENOTFOUND, "scores not found"))
		return
	}
	res, err := s.loadResults(c, c.Param("round"))
	if err != nil {
		s.fail(c, err)
		return
	}
	if _, ok := res.depts[dept]; !ok {
		s.fail(c, survey.Errorf(survey.ENOTFOUND, "department %s not found", dept))
		return
	}
	r, err := s.store.Response(c, res.round.ID, dept)
	if err != nil {
		s.fail(c, err)
		return
	}
	view := departmentScoresView{
		Round: res.round.ID, Department: dept, Status: r.Status,
		Preview: r.Status != survey.StatusSubmitted,
		Scores:  r.ScoresFor(res.q, s.targets()),
	}
	view.Government = s.government(p, res)
	c.JSON(http.StatusOK, view)
}

// government builds the government figures p may see.
func (s *Server) government(p survey.Principal, res *roundResults) governmentView {
	benchmarks := survey.Benchmarks(res.q, res.scores)
	if p.Role != survey.RoleRespondent {
		return governmentView{
			Submitted:   len(res.scores),
			OverallMean: survey.OverallMean(res.scores),
			DomainMeans: survey.DomainMeans(res.q, res.scores),
			Areas:       benchmarks,
		}
	}
	var public []survey.PublicBenchmark
	for _, b := range benchmarks {
		if pb, ok := b.Public(s.cfg.MinGroup); ok {
			public = append(public, pb)
		}
	}
	return governmentView{Public: public}
}

func (s *Server) roundScores(c *gin.Context) {
	res, err := s.loadResults(c, c.Param("round"))
	if err != nil {
		s.fail(c, err)
		return
	}
	type row struct {
		Department string `json:"department"`
		Bureau     string `json:"bureau"`
		survey.Scores
	}
	rows := make([]row, 0, len(res.scores))
	for _, ds := range res.scores {
		rows = append(rows, row{Department: ds.Department, Bureau: res.depts[ds.Department].Bureau, Scores: ds.Scores})
	}
	c.JSON(http.StatusOK, gin.H{
		"round":       res.round.ID,
		"departments": rows,
		"government":  s.government(principal(c), res),
	})
}
