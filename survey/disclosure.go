package survey

// Disclosure is the policy deciding what a principal may learn of other
// departments from government figures. Admins and planners see every
// statistic of submitted departments. A respondent sees figures of a round
// only once it is closed (so nothing can be learnt by comparing downloads
// while departments are still submitting), only where at least MinGroup
// departments have a score, and then only n, mean and median; the
// quartiles only where at least QuartilesMin have one; never min, max,
// percent ranks or another department's figures.
type Disclosure struct {
	MinGroup     int
	QuartilesMin int
}

// Default disclosure thresholds.
const (
	DefaultMinGroup     = 5
	DefaultQuartilesMin = 10
)

// GovernmentFigures is what one principal may see of a round's
// government-wide figures.
type GovernmentFigures struct {
	Submitted   int                 `json:"submitted,omitempty"`
	OverallMean *float64            `json:"overall_mean,omitempty"`
	DomainMeans map[string]*float64 `json:"domain_means,omitempty"`
	// Areas are the full statistics, for admins and planners.
	Areas []AreaBenchmark `json:"areas,omitempty"`
	// Public are the statistics a respondent may see, areas with too few
	// departments left out.
	Public []PublicBenchmark `json:"public_areas,omitempty"`
}

// Figures decides what p may see of the figures of round over the
// submitted departments' scores.
func (d Disclosure) Figures(p Principal, round *Round, q *Questionnaire, scores []DepartmentScores) GovernmentFigures {
	if p.Role == RoleAdmin || p.Role == RolePlanner {
		return GovernmentFigures{
			Submitted:   len(scores),
			OverallMean: OverallMean(scores),
			DomainMeans: DomainMeans(q, scores),
			Areas:       Benchmarks(q, scores),
		}
	}
	if p.Role != RoleRespondent || round.State != RoundClosed {
		return GovernmentFigures{}
	}
	minGroup := max(d.MinGroup, 1)
	var out GovernmentFigures
	for _, b := range Benchmarks(q, scores) {
		if pb, ok := b.Public(minGroup); ok {
			if b.N < max(d.QuartilesMin, minGroup) {
				pb.P25, pb.P75 = nil, nil
			}
			out.Public = append(out.Public, pb)
		}
	}
	counts := map[string]int{}
	overall := 0
	for _, ds := range scores {
		for _, dom := range ds.Scores.Domains {
			if dom.Score != nil {
				counts[dom.ID]++
			}
		}
		if ds.Scores.Overall.Score != nil {
			overall++
		}
	}
	for id, mean := range DomainMeans(q, scores) {
		if counts[id] >= minGroup {
			if out.DomainMeans == nil {
				out.DomainMeans = map[string]*float64{}
			}
			out.DomainMeans[id] = mean
		}
	}
	if overall >= minGroup {
		out.OverallMean = OverallMean(scores)
		out.Submitted = len(scores)
	}
	return out
}

// AreaMeans returns the figures as benchmarks holding only what they
// disclose (n, mean, median and, where disclosed, quartiles), for a
// workbook that shows the government mean beside a department's scores:
// an area not disclosed has n 0 and no statistics.
func (g GovernmentFigures) AreaMeans(q *Questionnaire) []AreaBenchmark {
	if g.Areas != nil {
		return g.Areas
	}
	public := map[string]PublicBenchmark{}
	for _, pb := range g.Public {
		public[pb.Area] = pb
	}
	var out []AreaBenchmark
	for _, dom := range q.Domains {
		for _, a := range dom.Areas {
			b := AreaBenchmark{Area: a.ID, Domain: dom.ID}
			if pb, ok := public[a.ID]; ok {
				b.N, b.Mean, b.Median, b.P25, b.P75 = pb.N, pb.Mean, pb.Median, pb.P25, pb.P75
			}
			out = append(out, b)
		}
	}
	return out
}
