package reports

import (
	"fmt"
	"strings"

	"github.com/dpo/dgsurvey/survey"
)

// summaryListMax caps the mandatory questions listed on the Summary, so
// that it stays one page; the Action plan lists them all.
const summaryListMax = 5

// summary writes the Summary sheet, an executive summary that prints on
// one A4 page: who and what, the DRAFT banner unless submitted, a headline
// sentence, the radar chart at the top, overall and domain scores against
// the government mean and the target, the per-area table that feeds the
// chart, the mandatory questions below level 3 and the five largest gaps.
func (b *deptBuilder) summary(name string) error {
	s, err := b.newSheet(name, pageSetup{onePage: true})
	if err != nil {
		return err
	}
	lang, st := b.lang, b.st
	d, resp, overall := b.r.Department, b.resp, b.r.Scores.Overall
	s.widths(34, 22, 12, 7, 12, 8, 7, 10)
	s.set(1, 1, trf(lang, "summary.title", d.Name(lang), d.Code), st.title)
	answered, total := resp.CountAnswered(b.q), b.q.QuestionCount()
	switch {
	case b.submitted():
		s.set(1, 2, trf(lang, "summary.submitted", fmtTime(resp.SubmittedAt, b.loc), b.submitter()), st.intro)
	default:
		s.set(1, 2, trf(lang, "summary.draft", statusLabel(lang, resp.Status), answered, total), st.banner)
	}
	s.set(1, 3, b.headline(), st.intro)

	// Facts on the left, the radar chart beside them: both in the first
	// screen and at the top of the printed page.
	const chartRow = 5
	facts := []struct {
		key   string
		value any
		style int
	}{
		{"dept.name", d.Name(lang), st.text},
		{"dept.code", d.Code, st.text},
		{"dept.bureau", d.Bureau, st.text},
		{"round.id", b.r.Round.ID, st.text},
		{"round.title", b.r.Round.Title.Or(lang), st.text},
		{"questionnaire", fmt.Sprintf("%s v%d", b.q.ID, b.q.Version), st.text},
		{"status", statusLabel(lang, resp.Status), st.text},
		{"answered", trf(lang, "answered.of", answered, total), st.text},
		{"submitted.at", dateValue(resp.SubmittedAt, b.loc), st.date},
		{"submitted.by", b.submitter(), st.text},
		{"generated.at", dateValue(&b.r.GeneratedAt, b.loc), st.date},
	}
	row := chartRow
	for _, fact := range facts {
		s.set(1, row, tr(lang, fact.key), st.label)
		s.set(2, row, fact.value, fact.style)
		row++
	}
	// Below the chart: 330 px is 22 rows at LibreOffice's default height.
	row = max(row, chartRow+22)

	// Overall and domains.
	s.set(1, row, tr(lang, "domains"), st.label)
	row++
	s.header(row, tr(lang, "col.domain"), tr(lang, "col.level.name"), tr(lang, "col.score"), tr(lang, "col.level"),
		tr(lang, "col.govmean"), tr(lang, "col.target"))
	row++
	s.row(row, cell(tr(lang, "col.overall"), st.label), cell(b.levelName(overall), st.text), cell(overall.Score, st.score),
		cell(overall.Level, st.number), cell(b.r.OverallMean, st.score), cell(overallTarget(b.q, b.lines), st.score))
	byDomain := make(map[string]survey.DomainScore, len(b.r.Scores.Domains))
	for _, ds := range b.r.Scores.Domains {
		byDomain[ds.ID] = ds
	}
	for _, dom := range b.q.Domains {
		row++
		ds := byDomain[dom.ID]
		s.row(row, cell(dom.Title.Or(lang), st.wrap), cell(b.levelName(ds.ScoreValue), st.text), cell(ds.Score, st.score),
			cell(ds.Level, st.number), cell(b.r.DomainMeans[dom.ID], st.score), cell(domainTarget(b.lines, dom.ID), st.score))
	}

	// Areas: the chart's data.
	row += 2
	s.set(1, row, tr(lang, "areas"), st.label)
	row++
	headerRow := row
	s.header(row, tr(lang, "col.area"), tr(lang, "col.label"), tr(lang, "col.dept"), tr(lang, "col.level"),
		tr(lang, "col.govmean"), tr(lang, "col.target"), tr(lang, "col.gap"), tr(lang, "col.answered"))
	for _, l := range b.lines {
		row++
		// No score: the Level column says why ("All N/A", "Not
		// answered"); the chart's value columns stay numeric or blank.
		scoreCell, levelCell := cell(nil, st.score), cell(noScore(lang, l.score), st.na)
		if l.score != nil && l.score.Score != nil {
			scoreCell = cell(l.score.Score, b.tint(l.score.Score, l.target))
			levelCell = cell(l.score.Level, st.number)
		}
		answeredText := ""
		if l.score != nil {
			answeredText = fmt.Sprintf("%d/%d", l.score.Answered, l.score.Total)
		}
		s.row(row, cell(l.area.Title.Or(lang), st.wrap), cell(shortTitle(l.area, lang), st.text), scoreCell,
			levelCell, cell(l.gov, st.score), cell(l.target, st.number), cell(l.gap(), st.score), cell(answeredText, st.text))
	}
	if s.err == nil && len(b.lines) > 0 {
		gov := 5
		if !b.anyGov() {
			gov = 0
		}
		s.err = b.radar(name, fmt.Sprintf("C%d", chartRow), headerRow, headerRow+1, row, 2, [3]int{3, gov, 6})
	}

	// Mandatory questions below level 3.
	row += 2
	s.set(1, row, trf(lang, "noncompliant", survey.ComplianceLevel), st.label)
	nc := b.noncompliant()
	if len(nc) == 0 {
		row++
		s.set(1, row, tr(lang, "no.noncompliant"), st.text)
	} else {
		row++
		s.set(1, row, tr(lang, "col.question.id"), st.header)
		s.wide(row, 2, 7, tr(lang, "col.question"), st.header)
		s.set(8, row, tr(lang, "col.level"), st.header)
	}
	for i, ref := range nc {
		if i == summaryListMax {
			row++
			s.set(1, row, trf(lang, "more.in.plan", len(nc)-summaryListMax), st.text)
			break
		}
		row++
		a := resp.Answers[ref.Question.ID]
		s.set(1, row, ref.Question.ID, st.text)
		s.wide(row, 2, 7, ref.Question.Text.Or(lang), st.wrap)
		s.set(8, row, a.Level, st.number)
	}

	// Five largest gaps with their seminar theme.
	row += 2
	s.set(1, row, tr(lang, "top.gaps"), st.label)
	row++
	gaps := byGap(b.lines)
	if len(gaps) == 0 {
		s.set(1, row, b.noGaps(), st.text)
	} else {
		s.set(1, row, tr(lang, "col.area"), st.header)
		s.wide(row, 2, 5, tr(lang, "col.theme"), st.header)
		s.row(row, nil, nil, nil, nil, nil, cell(tr(lang, "col.score"), st.header), cell(tr(lang, "col.target"), st.header), cell(tr(lang, "col.gap"), st.header))
	}
	for _, l := range gaps[:min(5, len(gaps))] {
		row++
		s.set(1, row, l.area.Title.Or(lang), st.wrap)
		s.wide(row, 2, 5, themeTitle(b.q, l.area, lang), st.wrap)
		s.row(row, nil, nil, nil, nil, nil, cell(l.score.Score, st.score), cell(l.target, st.number), cell(l.gap(), st.score))
	}
	return s.finish()
}

// anyGov says whether the reader may see any government area mean.
func (b *deptBuilder) anyGov() bool {
	for _, l := range b.lines {
		if l.gov != nil {
			return true
		}
	}
	return false
}

// levelName is "Developing" for a score of level 2, or "No score".
func (b *deptBuilder) levelName(v survey.ScoreValue) string {
	if v.Score == nil || v.Level == nil {
		return tr(b.lang, "no.score")
	}
	return b.q.LevelName(*v.Level, b.lang)
}

// tint is the style of a score against its target.
func (b *deptBuilder) tint(score *float64, target int) int {
	switch {
	case score == nil:
		return b.st.score
	case *score >= float64(target):
		return b.st.good
	case *score >= float64(target)-1:
		return b.st.warn
	}
	return b.st.bad
}

// noncompliant lists the mandatory questions answered below the compliance
// level, in questionnaire order (a draft's too: it is what to fix first).
func (b *deptBuilder) noncompliant() []survey.QuestionRef {
	var out []survey.QuestionRef
	for d := range b.q.Domains {
		dom := &b.q.Domains[d]
		for a := range dom.Areas {
			area := &dom.Areas[a]
			for i := range area.Questions {
				qu := &area.Questions[i]
				ans := b.resp.Answers[qu.ID]
				if qu.Mandatory && ans != nil && !ans.NA && ans.Level != nil && *ans.Level < survey.ComplianceLevel {
					out = append(out, survey.QuestionRef{Question: qu, Area: area, Domain: dom})
				}
			}
		}
	}
	return out
}

// headline is the Summary's message in one sentence: overall position
// against the target and the government mean, areas below target and
// mandatory questions not met.
func (b *deptBuilder) headline() string {
	lang, overall := b.lang, b.r.Scores.Overall
	if overall.Score == nil {
		return tr(lang, "headline.none")
	}
	parts := []string{trf(lang, "headline.overall", *overall.Score, b.levelName(overall))}
	if b.r.OverallMean != nil {
		parts = append(parts, trf(lang, "headline.gov", *b.r.OverallMean))
	}
	below, scored := 0, 0
	for _, l := range b.lines {
		if l.score != nil && l.score.Score != nil {
			scored++
			if g := l.gap(); g != nil && *g > 0 {
				below++
			}
		}
	}
	parts = append(parts, trf(lang, "headline.below", below, scored), trf(lang, "headline.mandatory", len(b.noncompliant()), survey.ComplianceLevel))
	sep, end := "; ", "."
	if lang == survey.LangZH {
		sep, end = "；", "。"
	}
	return strings.Join(parts, sep) + end
}
