package survey

import (
	"math"
	"slices"
	"strconv"
	"strings"
)

// DefaultTargetLevel is the target maturity level used when neither the
// configuration (scoring.target_level) nor the area sets one.
const DefaultTargetLevel = 3

// ComplianceLevel is the level a mandatory question must reach: below it the
// department does not meet a baseline obligation.
const ComplianceLevel = 3

// Targets holds the configured target levels. The zero value
// targets DefaultTargetLevel everywhere.
type Targets struct {
	// Default is the configured scoring.target_level; 0 means "not set" and
	// stands for DefaultTargetLevel (a target of 0 would make every gap 0).
	Default int
}

// For returns the target level of area a: the area's own Target when the
// questionnaire sets one, else the configured default.
func (t Targets) For(a *Area) int {
	if a != nil && a.Target != nil {
		return *a.Target
	}
	if t.Default == 0 {
		return DefaultTargetLevel
	}
	return t.Default
}

// Score computes the scores of r against q (docs/ARCHITECTURE.md lists where each scoring rule lives).
//
//   - area: mean of the area's answered levels weighted by question weight;
//     N/A and unanswered questions are left out (so a draft gets a preview);
//   - domain: mean of its non-null area scores weighted by area weight;
//   - overall: plain mean of the non-null domain scores.
//
// Everything is computed unrounded; only the output is rounded (Round2), and
// a level is the floor of the rounded score. An area with no answer carrying
// a level (all N/A, or nothing answered) has nil Score, Level and Gap and is
// left out of its domain; a domain without a scored area is nil and left out
// of the overall. Gap is max(0, target − score) from the unrounded score,
// then rounded. Domains and areas come in questionnaire order. A nil r scores
// as a response with no answers.
func Score(q *Questionnaire, r *Response, t Targets) Scores {
	var answers map[string]*Answer
	if r != nil {
		answers = r.Answers
	}
	out := Scores{Domains: make([]DomainScore, 0, len(q.Domains)), Areas: []AreaScore{}, Noncompliant: []string{}}
	var overallSum float64
	overallN := 0
	for d := range q.Domains {
		dom := &q.Domains[d]
		var sum, weight float64
		for a := range dom.Areas {
			area := &dom.Areas[a]
			as, raw, ok := scoreArea(dom.ID, area, answers, t.For(area))
			out.Areas = append(out.Areas, as)
			out.Noncompliant = append(out.Noncompliant, as.Noncompliant...)
			if ok {
				sum += area.Weight * raw
				weight += area.Weight
			}
		}
		raw, ok := weightedMean(sum, weight)
		out.Domains = append(out.Domains, DomainScore{ID: dom.ID, ScoreValue: scoreValue(raw, ok)})
		if ok {
			overallSum += raw
			overallN++
		}
	}
	out.Overall = scoreValue(weightedMean(overallSum, float64(overallN)))
	return out
}

// scoreArea scores one area and also returns its unrounded score, which the
// domain mean uses; ok is false when the area has no score.
func scoreArea(domain string, a *Area, answers map[string]*Answer, target int) (as AreaScore, raw float64, ok bool) {
	as = AreaScore{ID: a.ID, Domain: domain, Target: target, Total: len(a.Questions), Noncompliant: []string{}}
	var sum, weight float64
	na := 0
	for i := range a.Questions {
		qu := &a.Questions[i]
		ans := answers[qu.ID]
		if !ans.Answered() {
			continue
		}
		as.Answered++
		switch {
		case ans.NA:
			na++
		case *ans.Level >= 0 && *ans.Level <= MaxLevel:
			// Levels outside the scale never pass validation; should one
			// reach here it is ignored rather than skewing the mean.
			sum += qu.Weight * float64(*ans.Level)
			weight += qu.Weight
			if qu.Mandatory && *ans.Level < ComplianceLevel {
				as.Noncompliant = append(as.Noncompliant, qu.ID)
			}
		}
	}
	as.AllNA = na > 0 && na == as.Total
	raw, ok = weightedMean(sum, weight)
	as.ScoreValue = scoreValue(raw, ok)
	if ok {
		// The gap is taken from the score as shown, as the level is, so the
		// figures on a report always agree: a 2.995 shows as 3.00 with gap 0
		// and is not "below target".
		gap := Round2(math.Max(0, float64(target)-*as.Score))
		as.Gap = &gap
	}
	return as, raw, ok
}

// weightedMean divides sum by weight; ok is false when there is no weight
// (nothing to average), so no NaN ever leaves this file.
func weightedMean(sum, weight float64) (mean float64, ok bool) {
	if weight <= 0 {
		return 0, false
	}
	return sum / weight, true
}

// scoreValue rounds an unrounded score for output and derives its level.
func scoreValue(raw float64, ok bool) ScoreValue {
	if !ok {
		return ScoreValue{}
	}
	score := Round2(raw)
	level := int(math.Floor(score))
	return ScoreValue{Score: &score, Level: &level}
}

// ScoresFor returns the scores to show for r: the snapshot frozen at
// submission when r is submitted and has one (a submitted result is never
// rewritten by later changes of targets or weights), else Score(q, r, t).
// The returned slices are copies; a nil r scores as an empty response.
func (r *Response) ScoresFor(q *Questionnaire, t Targets) Scores {
	if r != nil && r.Status == StatusSubmitted && r.Snapshot != nil {
		s := *r.Snapshot
		s.Domains = slices.Clone(s.Domains)
		s.Areas = slices.Clone(s.Areas)
		s.Noncompliant = slices.Clone(s.Noncompliant)
		return s
	}
	return Score(q, r, t)
}

// Round2 rounds x half away from zero to two decimals, as a person rounding
// the decimal number would: Round2(2.675) == 2.68 although the float64 2.675
// is really 2.67499999…. See roundHalfAway for how binary error is absorbed.
func Round2(x float64) float64 { return roundHalfAway(x, 2) }

// round3 rounds x half away from zero to three decimals.
func round3(x float64) float64 { return roundHalfAway(x, 3) }

// guardDecimals is the precision x is first fixed to before rounding: float
// error in scores (a few ulps, ~1e-15) vanishes there, so a value meant to
// be exactly on a half (2.675, or a mean computing to 2.6749999999999998)
// rounds away from zero. The price is that true values within 5e-10 below a
// half also round up, which weighted means of levels 0–5 never produce.
const guardDecimals = 9

// roundHalfAway rounds x half away from zero to places decimals (places <
// guardDecimals) using decimal digits, so the result is the float64 nearest
// to the decimal answer. NaN and infinities are returned unchanged; a result
// of zero is always +0 (never "-0" in JSON).
func roundHalfAway(x float64, places int) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return x
	}
	s := strconv.FormatFloat(math.Abs(x), 'f', guardDecimals, 64)
	dot := strings.IndexByte(s, '.')
	digits := []byte(s[:dot] + s[dot+1:dot+1+places])
	if s[dot+1+places] >= '5' {
		digits = incrementDigits(digits)
	}
	whole := len(digits) - places
	dec := string(digits[:whole])
	if places > 0 {
		dec += "." + string(digits[whole:])
	}
	v, err := strconv.ParseFloat(dec, 64)
	if err != nil { // cannot happen: dec is plain digits
		return x
	}
	if v == 0 {
		return 0
	}
	if x < 0 {
		return -v
	}
	return v
}

// incrementDigits adds one to a string of decimal digits, carrying.
func incrementDigits(d []byte) []byte {
	for i := len(d) - 1; i >= 0; i-- {
		if d[i] < '9' {
			d[i]++
			return d
		}
		d[i] = '0'
	}
	return append([]byte{'1'}, d...)
}
