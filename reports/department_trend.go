package reports

import (
	"time"

	"github.com/dpo/dgsurvey/survey"
	"github.com/xuri/excelize/v2"
)

// planValidation makes the Action plan's Status a drop-down of the three
// plan states and its Due date accept dates only, on rows 2..last.
func (b *deptBuilder) planValidation(sheet string, last int) error {
	status := excelize.NewDataValidation(true)
	status.Sqref = rangeRef(12, 2, 12, last)
	if err := status.SetDropList([]string{tr(b.lang, "plan.not.started"), tr(b.lang, "plan.in.progress"), tr(b.lang, "plan.done")}); err != nil {
		return err
	}
	status.SetError(excelize.DataValidationErrorStyleStop, tr(b.lang, "col.plan.status"), tr(b.lang, "plan.status.error"))
	due := excelize.NewDataValidation(true)
	due.Sqref = rangeRef(11, 2, 11, last)
	from := int(excelSerial(time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), time.UTC))
	to := int(excelSerial(time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC), time.UTC))
	if err := due.SetRange(from, to, excelize.DataValidationTypeDate, excelize.DataValidationOperatorBetween); err != nil {
		return err
	}
	due.SetError(excelize.DataValidationErrorStyleStop, tr(b.lang, "col.due"), tr(b.lang, "plan.due.error"))
	if err := b.f.AddDataValidation(sheet, status); err != nil {
		return err
	}
	return b.f.AddDataValidation(sheet, due)
}

// trendSheet compares overall, domain and area scores across every earlier
// round the department submitted in, areas matched by lineage, with a line
// chart of overall and domains beside the table.
func (b *deptBuilder) trendSheet(name string) error {
	s, err := b.newSheet(name, pageSetup{landscape: true, onePage: true, titleRows: 1})
	if err != nil {
		return err
	}
	lang, st, earlier := b.lang, b.st, b.r.Earlier
	rounds := len(earlier) + 1
	widths := []float64{34, 12}
	for range rounds {
		widths = append(widths, 12)
	}
	s.widths(append(widths, 11)...)
	header := []string{tr(lang, "col.item"), tr(lang, "col.id")}
	for _, e := range earlier {
		header = append(header, e.Round.ID)
	}
	last := earlier[len(earlier)-1].Round.ID
	header = append(header, b.r.Round.ID, trf(lang, "col.change.since", last))
	s.header(1, header...)

	var lines []trendLine
	// Overall and domains: same ids in every version of the bank.
	overall := trendLine{title: tr(lang, "col.overall")}
	for _, e := range earlier {
		overall.values = append(overall.values, e.Scores.Overall.Score)
	}
	lines = append(lines, trendLine{title: overall.title, values: append(overall.values, b.r.Scores.Overall.Score)})
	for _, dom := range b.q.Domains {
		l := trendLine{title: dom.Title.Or(lang), id: dom.ID}
		for _, e := range append(earlier, PreviousScores{Scores: b.r.Scores}) {
			l.values = append(l.values, domainScore(e.Scores, dom.ID))
		}
		lines = append(lines, l)
	}
	chartLines := len(lines)
	for _, al := range b.lines {
		l := trendLine{title: al.area.Title.Or(lang), id: al.area.ID}
		for _, e := range earlier {
			l.values = append(l.values, earlierArea(e, al.area.ID))
		}
		var now *float64
		if al.score != nil {
			now = al.score.Score
		}
		lines = append(lines, trendLine{title: l.title, id: l.id, values: append(l.values, now)})
	}
	writeTrendLines(s, st, lang, lines, 2, rounds, chartLines)
	if s.err == nil {
		s.err = b.f.SetPanes(name, freezeHeader(1, 0))
	}
	if s.err == nil {
		s.err = lineChart(b.f, name, lang, 1, rounds, chartLines, trf(lang, "trend.alt", b.r.Department.Name(lang), rounds))
	}
	return s.finish()
}

// domainScore is the score of domain id in scores, nil when absent.
func domainScore(scores survey.Scores, id string) *float64 {
	for _, d := range scores.Domains {
		if d.ID == id {
			return d.Score
		}
	}
	return nil
}

// earlierArea is the earlier round's figure of the area continued by area
// (the mean of several when areas merged), nil when it has none there.
func earlierArea(e PreviousScores, area string) *float64 {
	prev := make(map[string]float64, len(e.Scores.Areas))
	for _, a := range e.Scores.Areas {
		if a.Score != nil {
			prev[a.ID] = *a.Score
		}
	}
	return earlierValue(e.Lineage, prev, area)
}

// earlierValue is an earlier round's figure (prev, by its own area ids) of
// what area continues through lineage (nil: the same questionnaire, areas
// match by id), rounded; nil when it has none.
func earlierValue(lineage map[string][]string, prev map[string]float64, area string) *float64 {
	ids := []string{area}
	if lineage != nil {
		ids = lineage[area]
	}
	v, ok := survey.PreviousValue(prev, ids)
	if !ok {
		return nil
	}
	v = survey.Round2(v)
	return &v
}

// trendLine is one row of a Trend sheet: overall, a domain or an area, with
// its figure in each round compared (nil where it had none).
type trendLine struct {
	title, id string
	values    []*float64
}

// writeTrendLines writes the rows of a Trend sheet from row first: title,
// id, one figure per round ("not in that round" where there is none) and
// the change from the round before the last; the first chartLines rows
// (overall and domains, which the chart draws) are styled as labels.
func writeTrendLines(s *sheet, st *styles, lang string, lines []trendLine, first, rounds, chartLines int) {
	for i, l := range lines {
		row := first + i
		style := st.wrap
		if i < chartLines {
			style = st.label
		}
		s.set(1, row, l.title, style)
		s.set(2, row, l.id, st.text)
		for j, v := range l.values {
			if v == nil {
				s.set(3+j, row, tr(lang, "not.in.prev"), st.na)
				continue
			}
			s.set(3+j, row, v, st.score)
		}
		if before, now := l.values[rounds-2], l.values[rounds-1]; before != nil && now != nil {
			c := survey.Round2(*now - *before)
			s.set(3+rounds, row, &c, st.change)
		}
	}
}
