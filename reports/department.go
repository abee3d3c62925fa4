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
// only the government figures the disclosure rules allow (nil means "not
// shown").
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
	// SubmittedBy is the name shown for who submitted (a person's or a
	// credential's label); "" falls back to the response's SubmittedBy.
	SubmittedBy string
	// Scores are the department's scores: the snapshot frozen at submission.
	Scores survey.Scores
	// Benchmarks are the government statistics per area; their Mean is the
	// "government mean" of the Summary and the radar chart.
	Benchmarks []survey.AreaBenchmark
	// DomainMeans is the government mean per domain id.
	DomainMeans map[string]*float64
	// OverallMean is the government mean of overall scores.
	OverallMean *float64
	// Earlier are the department's submitted results in earlier rounds,
	// oldest first; none means no Trend sheet.
	Earlier []PreviousScores
	// Marking is the classification printed on every page ("" for none).
	Marking string
	// GeneratedAt stamps the workbook (shown, and its creation time).
	GeneratedAt time.Time
}

// PreviousScores is a department's result in an earlier round, for the
// Trend sheet.
type PreviousScores struct {
	Round  survey.Round
	Scores survey.Scores
	// Lineage maps each area of this round's questionnaire to the areas of
	// the earlier round's that it continues (survey.AreaLineage); nil means
	// the same questionnaire, areas matched by id.
	Lineage map[string][]string
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
	page  pageContext
}

// DepartmentFileName is the download name of a department's maturity
// report: "<round>-<dept>-maturity-report-<lang>[-draft].xlsx"; a report
// of a response that is not submitted says so in its name.
func DepartmentFileName(round, dept, lang string, submitted bool) string {
	name := fileToken(round) + "-" + fileToken(dept) + "-maturity-report-" + normLang(lang)
	if !submitted {
		name += "-draft"
	}
	return name + ".xlsx"
}

// WriteDepartment writes the maturity workbook of one department to w:
// Summary (one printed page, radar chart at the top), one sheet per
// domain, Action plan, Gaps, and Trend when r.Earlier is set. Every label
// is in r.Lang.
func WriteDepartment(w io.Writer, r DepartmentReport) error {
	if r.Questionnaire == nil {
		return errors.New("reports: department report needs the round's questionnaire")
	}
	b := &deptBuilder{r: r, lang: normLang(r.Lang), loc: location(r.Location), q: r.Questionnaire, resp: r.Response}
	if b.resp == nil {
		b.resp = survey.NewResponse(r.Round.ID, r.Department.Code)
	}
	b.lines = areaLines(b.q, r.Scores, r.Benchmarks)
	b.page = pageContext{lang: b.lang, marking: r.Marking, loc: b.loc, generated: r.GeneratedAt,
		context: trf(b.lang, "page.dept", r.Round.ID, r.Department.Code)}

	names := &sheetNames{}
	summary := names.name(tr(b.lang, "sheet.summary"), "Summary")
	domains := make([]string, len(b.q.Domains))
	for i, d := range b.q.Domains {
		domains[i] = names.name(d.Title.Or(b.lang), d.ID)
	}
	plan := names.name(tr(b.lang, "sheet.plan"), "Action plan")
	gaps := names.name(tr(b.lang, "sheet.gaps"), "Gaps")
	trend := ""
	if len(r.Earlier) > 0 {
		trend = names.name(tr(b.lang, "sheet.trend"), "Trend")
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
	steps = append(steps, func() error { return b.actionPlan(plan) }, func() error { return b.gapsSheet(gaps) })
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
	return writeTo(f, w, nil)
}

// newSheet adds sheet name (the first exists already) with its print setup.
func (b *deptBuilder) newSheet(name string, p pageSetup) (*sheet, error) {
	if idx, _ := b.f.GetSheetIndex(name); idx < 0 {
		if _, err := b.f.NewSheet(name); err != nil {
			return nil, err
		}
	}
	if err := printSetup(b.f, name, p, b.page); err != nil {
		return nil, err
	}
	return &sheet{f: b.f, st: b.st, name: name}, nil
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

// overallTarget is the mean of the domain targets, as overall is the mean
// of the domain scores.
func overallTarget(q *survey.Questionnaire, lines []areaLine) *float64 {
	var sum float64
	n := 0
	for _, d := range q.Domains {
		if t := domainTarget(lines, d.ID); t != nil {
			sum += *t
			n++
		}
	}
	if n == 0 {
		return nil
	}
	v := survey.Round2(sum / float64(n))
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

// themeTitle is the seminar theme an area feeds, or its own topic for a
// questionnaire without themes (version 1).
func themeTitle(q *survey.Questionnaire, a *survey.Area, lang string) string {
	if t := q.Theme(a.Theme); t != nil {
		return t.Title.Or(lang)
	}
	return a.Topic.Or(lang)
}

// shortTitle is an area's chart label: its short title, else its title.
func shortTitle(a *survey.Area, lang string) string {
	return cmp.Or(a.ShortTitle.Or(lang), a.Title.Or(lang))
}

// submitted says whether the report is of a submitted response.
func (b *deptBuilder) submitted() bool { return b.resp.Status == survey.StatusSubmitted }

// submitter is who the Summary names as having submitted.
func (b *deptBuilder) submitter() string {
	return cmp.Or(b.r.SubmittedBy, b.resp.SubmittedBy)
}

// radar adds the native radar chart of all areas: department, government
// mean where shown and target, on a value axis fixed to the 0–5 maturity
// scale so that charts of different departments compare at a glance.
// cols are the value columns of department, government mean (0: none) and
// target; labels is the column of the short area titles.
func (b *deptBuilder) radar(sheetName, anchor string, headerRow, first, last, labels int, cols [3]int) error {
	zero, five := 0.0, float64(survey.MaxLevel)
	cats := absRef(sheetName, labels, first, labels, last)
	colours := [3]string{departmentColour, governmentColour, targetColour}
	var series []excelize.ChartSeries
	for i, col := range cols {
		if col == 0 {
			continue
		}
		series = append(series, excelize.ChartSeries{
			Name:       absRef(sheetName, col, headerRow, col, headerRow),
			Categories: cats,
			Values:     absRef(sheetName, col, first, col, last),
			Fill:       excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{colours[i]}},
		})
	}
	dark := excelize.Font{Color: labelColour, Size: 8, Family: "Calibri"}
	return b.f.AddChart(sheetName, anchor, &excelize.Chart{
		Type:   excelize.Radar,
		Series: series,
		Title: excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: tr(b.lang, "chart.title"),
			Font: &excelize.Font{Color: labelColour, Size: 11, Bold: true, Family: "Calibri"}}}},
		Legend:       excelize.ChartLegend{Position: "bottom", Font: &excelize.Font{Color: labelColour, Size: 9, Family: "Calibri"}},
		XAxis:        excelize.ChartAxis{Font: dark},
		YAxis:        excelize.ChartAxis{Minimum: &zero, Maximum: &five, MajorUnit: 1, MajorGridLines: true, Font: dark},
		Dimension:    excelize.ChartDimension{Width: 470, Height: 330},
		ShowBlanksAs: "gap",
		Format: excelize.GraphicOptions{OffsetX: 4, OffsetY: 2, ScaleX: 1, ScaleY: 1,
			AltText: trf(b.lang, "chart.alt", b.r.Department.Name(b.lang), len(b.lines))},
	})
}
