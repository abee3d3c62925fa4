package reports

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/dpo/dgsurvey/survey"
	"github.com/xuri/excelize/v2"
)

// DepartmentReport is everything the department maturity workbook shows.
// The caller decides what the reader may see: for a respondent it passes
// only benchmarks that respect privacy.min_group (nil means "not shown").
type DepartmentReport struct {
	// Lang is survey.LangEN or survey.LangZH; anything else means English.
	Lang string
	// Location is the zone times are shown in; nil means Asia/Hong_Kong
	// (UTC when the system has no time zone data).
	Location      *time.Location
	Round         survey.Round
	Department    survey.Department
	Questionnaire *survey.Questionnaire
	// Response is the department's response; nil reads as not started.
	Response *survey.Response
	// Scores are the department's scores: the snapshot frozen at submission.
	Scores survey.Scores
	// Benchmarks are the government statistics per area; their Mean is the
	// "government mean" of the Summary and the radar chart.
	Benchmarks []survey.AreaBenchmark
	// DomainMeans is the government mean per domain id.
	DomainMeans map[string]*float64
	// OverallMean is the government mean of overall scores.
	OverallMean *float64
	// Previous is the department's result in the previous round; nil when
	// it answered none, and then the workbook has no Trend sheet.
	Previous *PreviousScores
	// GeneratedAt stamps the workbook (shown, and its creation time).
	GeneratedAt time.Time
}

// PreviousScores is a department's result in an earlier round, for the
// Trend sheet.
type PreviousScores struct {
	Round  survey.Round
	Scores survey.Scores
}

// areaLine is one capability area of the questionnaire with what the
// department workbook shows about it, in questionnaire order.
type areaLine struct {
	domain *survey.Domain
	area   *survey.Area
	score  *survey.AreaScore // nil when the scores lack the area
	target int
	gov    *float64
}

// gap returns the area's gap, nil when it has no score.
func (l areaLine) gap() *float64 {
	if l.score == nil {
		return nil
	}
	return l.score.Gap
}

// deptBuilder carries one department workbook under construction.
type deptBuilder struct {
	r     DepartmentReport
	lang  string
	loc   *time.Location
	q     *survey.Questionnaire
	resp  *survey.Response
	f     *excelize.File
	st    *styles
	lines []areaLine
}

// WriteDepartment writes the maturity workbook of one department
// to w: Summary with a radar chart, one sheet per domain, Gaps, and Trend
// when r.Previous is set. Every label is in r.Lang.
func WriteDepartment(w io.Writer, r DepartmentReport) error {
	if r.Questionnaire == nil {
		return errors.New("reports: department report needs the round's questionnaire")
	}
	b := &deptBuilder{r: r, lang: normLang(r.Lang), loc: location(r.Location), q: r.Questionnaire, resp: r.Response}
	if b.resp == nil {
		b.resp = survey.NewResponse(r.Round.ID, r.Department.Code)
	}
	b.lines = areaLines(b.q, r.Scores, r.Benchmarks)

	names := &sheetNames{}
	summary := names.name(tr(b.lang, "sheet.summary"), "Summary")
	gaps := names.name(tr(b.lang, "sheet.gaps"), "Gaps")
	trend := ""
	if r.Previous != nil {
		trend = names.name(tr(b.lang, "sheet.trend"), "Trend")
	}
	domains := make([]string, len(b.q.Domains))
	for i, d := range b.q.Domains {
		domains[i] = names.name(d.Title.Or(b.lang), d.ID)
	}

	f, st, err := newWorkbook(summary)
	if err != nil {
		return err
	}
	defer f.Close()
	b.f, b.st = f, st

	steps := []func() error{func() error { return b.summary(summary) }}
	for i := range b.q.Domains {
		steps = append(steps, func() error { return b.domainSheet(domains[i], &b.q.Domains[i]) })
	}
	steps = append(steps, func() error { return b.gapsSheet(gaps) })
	if trend != "" {
		steps = append(steps, func() error { return b.trendSheet(trend) })
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return fmt.Errorf("reports: department workbook: %w", err)
		}
	}
	d := r.Department
	title := trf(b.lang, "props.dept.title", d.Name(b.lang), d.Code, r.Round.ID)
	if err := docProps(f, b.lang, title, r.Round.Title.Or(b.lang), r.GeneratedAt); err != nil {
		return err
	}
	f.SetActiveSheet(0)
	return writeTo(f, w)
}

// areaLines joins the questionnaire's areas with the department's scores
// and the government means, in questionnaire order.
func areaLines(q *survey.Questionnaire, scores survey.Scores, bench []survey.AreaBenchmark) []areaLine {
	byArea := make(map[string]*survey.AreaScore, len(scores.Areas))
	for i := range scores.Areas {
		byArea[scores.Areas[i].ID] = &scores.Areas[i]
	}
	means := make(map[string]*float64, len(bench))
	for _, b := range bench {
		means[b.Area] = b.Mean
	}
	var out []areaLine
	for d := range q.Domains {
		dom := &q.Domains[d]
		for a := range dom.Areas {
			area := &dom.Areas[a]
			l := areaLine{domain: dom, area: area, score: byArea[area.ID], gov: means[area.ID]}
			// The snapshot's target wins: a submitted result keeps the
			// target it was scored against.
			if l.score != nil {
				l.target = l.score.Target
			} else {
				l.target = survey.Targets{}.For(area)
			}
			out = append(out, l)
		}
	}
	return out
}

// byGap returns the lines below target, largest gap first (questionnaire
// order among equal gaps).
func byGap(lines []areaLine) []areaLine {
	var out []areaLine
	for _, l := range lines {
		if g := l.gap(); g != nil && *g > 0 {
			out = append(out, l)
		}
	}
	slices.SortStableFunc(out, func(a, b areaLine) int { return cmp.Compare(*b.gap(), *a.gap()) })
	return out
}

// domainTarget is the area-weighted mean target of a domain's areas, the
// yardstick its domain score (an area-weighted mean) compares with.
func domainTarget(lines []areaLine, domain string) *float64 {
	var sum, weight float64
	for _, l := range lines {
		if l.domain.ID == domain && l.area.Weight > 0 {
			sum += l.area.Weight * float64(l.target)
			weight += l.area.Weight
		}
	}
	if weight == 0 {
		return nil
	}
	v := survey.Round2(sum / weight)
	return &v
}

// noGaps is what a list of gaps says when it is empty: nothing below
// target, or (for a response with no levels yet) nothing scored at all, as
// "no gaps" would then read as a clean bill of health.
func (b *deptBuilder) noGaps() string {
	for _, l := range b.lines {
		if l.score != nil && l.score.Score != nil {
			return tr(b.lang, "no.gaps")
		}
	}
	return tr(b.lang, "no.scores")
}

// noScore says why an area has no score: every answer N/A, or nothing
// answered yet.
func noScore(lang string, s *survey.AreaScore) string {
	if s != nil && s.AllNA {
		return tr(lang, "all.na")
	}
	return tr(lang, "not.answered")
}

// summary writes the Summary sheet: who and what, overall and per-domain
// scores against government means and targets, the per-area table that
// feeds the radar chart, and the five largest gaps.
func (b *deptBuilder) summary(name string) error {
	s := &sheet{f: b.f, st: b.st, name: name}
	lang, st := b.lang, b.st
	d, resp, overall := b.r.Department, b.resp, b.r.Scores.Overall
	s.widths(36, 24, 16, 18, 12, 14, 44)
	s.set(1, 1, tr(lang, "report.title"), st.title)

	overallLevel := levelText(b.q, lang, overall.Level)
	if overall.Score == nil {
		overallLevel = tr(lang, "no.score")
	}
	facts := []struct {
		key   string
		value any
		style int
	}{
		{"dept.code", d.Code, st.text},
		{"dept.name", d.Name(lang), st.text},
		{"dept.bureau", d.Bureau, st.text},
		{"round.id", b.r.Round.ID, st.text},
		{"round.title", b.r.Round.Title.Or(lang), st.text},
		{"questionnaire", fmt.Sprintf("%s (%s v%d)", b.q.Title.Or(lang), b.q.ID, b.q.Version), st.text},
		{"status", statusLabel(lang, resp.Status), st.text},
		{"submitted.at", fmtTime(resp.SubmittedAt, b.loc), st.text},
		{"submitted.by", survey.NameOr(resp.SubmittedByName, resp.SubmittedBy), st.text},
		{"overall.score", overall.Score, st.score},
		{"overall.level", overallLevel, st.text},
		{"overall.govmean", b.r.OverallMean, st.score},
		{"generated.at", fmtTime(&b.r.GeneratedAt, b.loc), st.text},
	}
	row := 3
	for _, fact := range facts {
		s.set(1, row, tr(lang, fact.key), st.label)
		s.set(2, row, fact.value, fact.style)
		row++
	}

	row++
	s.set(1, row, tr(lang, "domains"), st.label)
	row++
	s.header(row, tr(lang, "col.domain"), tr(lang, "col.score"), tr(lang, "col.level"), tr(lang, "col.govmean"), tr(lang, "col.target"))
	byDomain := make(map[string]survey.DomainScore, len(b.r.Scores.Domains))
	for _, ds := range b.r.Scores.Domains {
		byDomain[ds.ID] = ds
	}
	for _, dom := range b.q.Domains {
		row++
		ds := byDomain[dom.ID]
		level := levelText(b.q, lang, ds.Level)
		if ds.Score == nil {
			level = tr(lang, "no.score")
		}
		s.row(row, cell(dom.Title.Or(lang), st.wrap), cell(ds.Score, st.score), cell(level, st.text),
			cell(b.r.DomainMeans[dom.ID], st.score), cell(domainTarget(b.lines, dom.ID), st.score))
	}

	row += 2
	s.set(1, row, tr(lang, "areas"), st.label)
	row++
	headerRow := row
	s.header(row, tr(lang, "col.area"), tr(lang, "col.domain"), tr(lang, "col.dept"), tr(lang, "col.govmean"),
		tr(lang, "col.target"), tr(lang, "col.gap"), tr(lang, "col.level"))
	for _, l := range b.lines {
		row++
		var score *float64
		level := noScore(lang, l.score)
		if l.score != nil && l.score.Score != nil {
			score, level = l.score.Score, levelText(b.q, lang, l.score.Level)
		}
		// Column C stays numeric or blank: text in a chart's value range
		// would be plotted as 0, so "All N/A" goes in the Level column.
		s.row(row, cell(l.area.Title.Or(lang), st.wrap), cell(l.domain.Title.Or(lang), st.wrap),
			cell(score, st.score), cell(l.gov, st.score), cell(l.target, st.text), cell(l.gap(), st.score), cell(level, st.text))
	}
	if s.err == nil && len(b.lines) > 0 {
		s.err = b.radar(name, headerRow, headerRow+1, row)
	}

	row += 2
	s.set(1, row, tr(lang, "top.gaps"), st.label)
	row++
	s.header(row, tr(lang, "col.area"), tr(lang, "col.domain"), tr(lang, "col.score"), tr(lang, "col.target"),
		tr(lang, "col.gap"), tr(lang, "col.topic"))
	gaps := byGap(b.lines)
	if len(gaps) == 0 {
		row++
		s.set(1, row, b.noGaps(), st.text)
	}
	for _, l := range gaps[:min(5, len(gaps))] {
		row++
		s.row(row, cell(l.area.Title.Or(lang), st.wrap), cell(l.domain.Title.Or(lang), st.wrap),
			cell(l.score.Score, st.score), cell(l.target, st.text), cell(l.gap(), st.score), cell(l.area.Topic.Or(lang), st.wrap))
	}
	return s.err
}

// radar adds the native radar chart of all areas: department, government
// mean and target, on a value axis fixed to the 0–5 maturity scale so that
// charts of different departments compare at a glance.
func (b *deptBuilder) radar(sheetName string, headerRow, first, last int) error {
	zero, five := 0.0, float64(survey.MaxLevel)
	cats := absRef(sheetName, 1, first, 1, last)
	series := make([]excelize.ChartSeries, 0, 3)
	for i, col := range []int{3, 4, 5} { // department, government mean, target
		s := excelize.ChartSeries{
			Name:       absRef(sheetName, col, headerRow, col, headerRow),
			Categories: cats,
			Values:     absRef(sheetName, col, first, col, last),
			Line:       excelize.LineOptions{Width: 2},
			Marker:     excelize.ChartMarker{Symbol: "circle", Size: 5},
		}
		if i == 2 {
			s.Line.Dash = excelize.LineDashDash
			s.Marker.Symbol = "none"
		}
		series = append(series, s)
	}
	return b.f.AddChart(sheetName, "I3", &excelize.Chart{
		Type:         excelize.Radar,
		Series:       series,
		Title:        excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: tr(b.lang, "chart.title")}}},
		Legend:       excelize.ChartLegend{Position: "bottom"},
		YAxis:        excelize.ChartAxis{Minimum: &zero, Maximum: &five, MajorUnit: 1, MajorGridLines: true},
		Dimension:    excelize.ChartDimension{Width: 640, Height: 480},
		ShowBlanksAs: "gap",
		Format:       excelize.GraphicOptions{OffsetX: 10, OffsetY: 10, ScaleX: 1, ScaleY: 1},
	})
}
