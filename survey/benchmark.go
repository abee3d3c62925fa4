package survey

import (
	"math"
	"slices"
	"sort"
)

// PercentileInc is Excel's PERCENTILE.INC: the p-th percentile (0 <= p <= 1)
// of sorted (ascending) by linear interpolation at rank p*(n-1). It returns
// NaN where Excel gives #NUM!: no data, or p outside [0, 1].
func PercentileInc(sorted []float64, p float64) float64 {
	n := len(sorted)
	if n == 0 || math.IsNaN(p) || p < 0 || p > 1 {
		return math.NaN()
	}
	rank := p * float64(n-1)
	lo := int(math.Floor(rank))
	if lo >= n-1 {
		return sorted[n-1]
	}
	frac := rank - float64(lo)
	return sorted[lo] + frac*(sorted[lo+1]-sorted[lo])
}

// PercentRankInc is Excel's PERCENTRANK.INC: the rank of x within values
// (any order) as a fraction in [0, 1]. For x in the data it is (count of
// values < x) / (n-1); for x between two data points it interpolates
// linearly between their ranks; with a single value equal to x it is 1. It
// returns NaN where Excel gives #N/A or #NUM!: no data, or x outside the
// data's range.
//
// Unlike Excel, which truncates the result to 3 significant digits by default
// (2/3 shows as 0.666), this keeps full precision; Benchmarks rounds it half
// away from zero to 3 decimals for output only (2/3 becomes 0.667).
func PercentRankInc(values []float64, x float64) float64 {
	sorted := slices.Clone(values)
	slices.Sort(sorted)
	return percentRankSorted(sorted, x)
}

func percentRankSorted(sorted []float64, x float64) float64 {
	n := len(sorted)
	if n == 0 || math.IsNaN(x) || x < sorted[0] || x > sorted[n-1] {
		return math.NaN()
	}
	if n == 1 {
		return 1
	}
	denom := float64(n - 1)
	i := sort.SearchFloat64s(sorted, x) // values < x
	if sorted[i] == x {
		return float64(i) / denom
	}
	// sorted[i-1] < x < sorted[i]: interpolate between the two data points.
	lo, hi := sorted[i-1], sorted[i]
	rankLo := float64(sort.SearchFloat64s(sorted, lo)) / denom
	rankHi := float64(i) / denom
	return rankLo + (x-lo)/(hi-lo)*(rankHi-rankLo)
}

// DepartmentScores pairs a department code with its scores in a round
// (normally the snapshot of its submitted response).
type DepartmentScores struct {
	Department string `json:"department"`
	Scores     Scores `json:"scores"`
}

// AreaBenchmark is the government-wide statistics of one area over the
// departments that have a score in it (benchmarks). It is for
// admins and planners only; respondents get Public.
type AreaBenchmark struct {
	Area   string `json:"area"`
	Domain string `json:"domain"`
	// N is the number of departments with a non-null score in the area.
	N int `json:"n"`
	// The statistics, rounded to two decimals; nil when N is 0. Median, P25
	// and P75 are PERCENTILE.INC at 0.5, 0.25 and 0.75.
	Mean   *float64 `json:"mean"`
	Median *float64 `json:"median"`
	P25    *float64 `json:"p25"`
	P75    *float64 `json:"p75"`
	Min    *float64 `json:"min"`
	Max    *float64 `json:"max"`
	// Percentiles maps each scored department's code to the PERCENTRANK.INC
	// of its area score among the N scores, rounded to three decimals.
	Percentiles map[string]float64 `json:"percentiles"`
}

// Benchmarks computes an AreaBenchmark for every area of q, in questionnaire
// order, over the given departments' (already rounded) area scores, matched
// by area id. Departments with a null score in an area, or without the area,
// are left out of it. Pass each department once.
func Benchmarks(q *Questionnaire, depts []DepartmentScores) []AreaBenchmark {
	byDept := make([]map[string]*float64, len(depts))
	for i, d := range depts {
		m := make(map[string]*float64, len(d.Scores.Areas))
		for _, a := range d.Scores.Areas {
			m[a.ID] = a.Score
		}
		byDept[i] = m
	}
	out := []AreaBenchmark{}
	for _, dom := range q.Domains {
		for _, area := range dom.Areas {
			b := AreaBenchmark{Area: area.ID, Domain: dom.ID, Percentiles: map[string]float64{}}
			var values []float64
			var codes []string
			for i, d := range depts {
				if s := byDept[i][area.ID]; s != nil {
					values = append(values, *s)
					codes = append(codes, d.Department)
				}
			}
			b.N = len(values)
			if b.N > 0 {
				sorted := slices.Clone(values)
				slices.Sort(sorted)
				b.Mean = round2Ptr(meanOf(values))
				b.Median = round2Ptr(PercentileInc(sorted, 0.5))
				b.P25 = round2Ptr(PercentileInc(sorted, 0.25))
				b.P75 = round2Ptr(PercentileInc(sorted, 0.75))
				b.Min = round2Ptr(sorted[0])
				b.Max = round2Ptr(sorted[len(sorted)-1])
				for i, code := range codes {
					b.Percentiles[code] = round3(percentRankSorted(sorted, values[i]))
				}
			}
			out = append(out, b)
		}
	}
	return out
}

// PublicBenchmark is what a respondent may see of an area's benchmark:
// never min, max or any department's figures.
type PublicBenchmark struct {
	Area   string   `json:"area"`
	Domain string   `json:"domain"`
	N      int      `json:"n"`
	Mean   *float64 `json:"mean"`
	Median *float64 `json:"median"`
	P25    *float64 `json:"p25"`
	P75    *float64 `json:"p75"`
}

// Public returns the respondent's view of b and true when at least minGroup
// departments (privacy.min_group; values below 1 count as 1) have a score in
// the area. Otherwise it returns only the area and domain ids, with N 0 and
// no statistics, and false: show "not enough departments", nothing more.
func (b AreaBenchmark) Public(minGroup int) (PublicBenchmark, bool) {
	p := PublicBenchmark{Area: b.Area, Domain: b.Domain}
	if b.N < max(minGroup, 1) {
		return p, false
	}
	p.N = b.N
	p.Mean, p.Median = copyFloatPtr(b.Mean), copyFloatPtr(b.Median)
	p.P25, p.P75 = copyFloatPtr(b.P25), copyFloatPtr(b.P75)
	return p, true
}

// DomainMeans returns the government mean score of every domain of q: the
// mean over departments of their non-null scores in that domain, rounded to
// two decimals. Every domain id of q is a key; the value is nil where no
// department has a score.
func DomainMeans(q *Questionnaire, depts []DepartmentScores) map[string]*float64 {
	values := make(map[string][]float64, len(q.Domains))
	for _, d := range depts {
		for _, ds := range d.Scores.Domains {
			if ds.Score != nil {
				values[ds.ID] = append(values[ds.ID], *ds.Score)
			}
		}
	}
	out := make(map[string]*float64, len(q.Domains))
	for _, dom := range q.Domains {
		out[dom.ID] = nil
		if v := values[dom.ID]; len(v) > 0 {
			out[dom.ID] = round2Ptr(meanOf(v))
		}
	}
	return out
}

// OverallMean returns the government mean of the departments' non-null
// overall scores, rounded to two decimals; nil when none has one.
func OverallMean(depts []DepartmentScores) *float64 {
	var values []float64
	for _, d := range depts {
		if d.Scores.Overall.Score != nil {
			values = append(values, *d.Scores.Overall.Score)
		}
	}
	if len(values) == 0 {
		return nil
	}
	return round2Ptr(meanOf(values))
}

// meanOf is the arithmetic mean of a non-empty slice.
func meanOf(values []float64) float64 {
	var sum float64
	for _, v := range values {
		sum += v
	}
	return sum / float64(len(values))
}

// round2Ptr returns a pointer to Round2(x).
func round2Ptr(x float64) *float64 {
	r := Round2(x)
	return &r
}

func copyFloatPtr(p *float64) *float64 {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}
