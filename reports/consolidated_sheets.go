package reports

import (
	"cmp"
	"slices"
	"strings"

	"github.com/dpo/dgsurvey/survey"
	"github.com/xuri/excelize/v2"
)

// stateLabel is a round state in lang.
func stateLabel(lang, state string) string {
	if _, ok := labels["state."+state]; ok {
		return tr(lang, "state."+state)
	}
	return state
}

// inMemory starts an in-memory consolidated sheet with its print setup.
func (b *consBuilder) inMemory(name string, p pageSetup) (*sheet, error) {
	if err := printSetup(b.f, name, p, b.page); err != nil {
		return nil, err
	}
	return &sheet{f: b.f, st: b.st, name: name}, nil
}

// bureauxSheet writes bureau × area means over the bureau's submitted
// departments (their rounded area scores, as the government means are).
func (b *consBuilder) bureauxSheet(name string) error {
	lang, st := b.lang, b.st
	s, err := b.inMemory(name, pageSetup{landscape: true, titleRows: 2})
	if err != nil {
		return err
	}
	widths := []float64{28, 10, 9}
	for range b.areas {
		widths = append(widths, 12)
	}
	s.widths(widths...)
	s.set(1, 1, b.sheetTitle("sheet.bureaux"), st.label)
	header := []string{tr(lang, "col.bureau"), tr(lang, "col.departments"), tr(lang, "col.overall")}
	for _, a := range b.areas {
		header = append(header, trf(lang, "heatmap.col", shortTitle(a.area, lang), a.area.ID, a.target))
	}
	s.header(2, header...)
	groups := map[string][]survey.DepartmentScores{}
	for _, d := range b.r.Scores {
		bureau := b.info[d.Department].Bureau
		groups[bureau] = append(groups[bureau], d)
	}
	bureaux := make([]string, 0, len(groups))
	for k := range groups {
		bureaux = append(bureaux, k)
	}
	slices.Sort(bureaux)
	row := 2
	for _, bureau := range bureaux {
		row++
		ds := groups[bureau]
		bench := survey.Benchmarks(b.q, ds)
		s.row(row, cell(bureau, st.wrap), cell(len(ds), st.number), cell(survey.OverallMean(ds), st.score))
		for i, bm := range bench {
			if i < len(b.areas) {
				s.set(4+i, row, bm.Mean, st.score)
			}
		}
	}
	if len(bureaux) == 0 {
		s.set(1, 3, tr(lang, "no.topics"), st.text)
	}
	if s.err == nil && row > 2 {
		for i, a := range b.areas {
			if s.err == nil {
				s.err = b.targetRules(name, rangeRef(4+i, 3, 4+i, row), float64(a.target))
			}
		}
	}
	if s.err == nil {
		s.err = b.f.SetPanes(name, freezeHeader(2, 1))
	}
	return s.finish()
}

// areasSheet writes the benchmark statistics of every area with its target
// and how many departments are below it.
func (b *consBuilder) areasSheet(name string) error {
	lang, st := b.lang, b.st
	s, err := b.inMemory(name, pageSetup{landscape: true, titleRows: 2})
	if err != nil {
		return err
	}
	s.widths(22, 14, 32, 8, 10, 10, 9, 9, 9, 9, 9, 9)
	s.set(1, 1, b.sheetTitle("sheet.areas"), st.label)
	s.header(2, tr(lang, "col.domain"), tr(lang, "col.area.id"), tr(lang, "col.area"), tr(lang, "col.target"), tr(lang, "col.n"),
		tr(lang, "col.below.target"), tr(lang, "col.mean"), tr(lang, "col.median"), tr(lang, "col.p25"), tr(lang, "col.p75"),
		tr(lang, "col.min"), tr(lang, "col.max"))
	titles := b.titles()
	targets := map[string]int{}
	for _, a := range b.areas {
		targets[a.area.ID] = a.target
	}
	for i, bm := range b.r.Benchmarks {
		target, ok := targets[bm.Area]
		below := 0
		for _, d := range b.r.Scores {
			for _, as := range d.Scores.Areas {
				if as.ID == bm.Area && as.Gap != nil && *as.Gap > 0 {
					below++
				}
			}
		}
		var targetCell any = cell(target, st.number)
		if !ok {
			targetCell = cell(nil, st.number)
		}
		s.row(i+3, cell(titles[bm.Domain], st.wrap), cell(bm.Area, st.text), cell(titles[bm.Area], st.wrap), targetCell,
			cell(bm.N, st.number), cell(below, st.number), cell(bm.Mean, st.score), cell(bm.Median, st.score),
			cell(bm.P25, st.score), cell(bm.P75, st.score), cell(bm.Min, st.score), cell(bm.Max, st.score))
	}
	if s.err == nil {
		s.err = b.f.SetPanes(name, freezeHeader(2, 0))
	}
	return s.finish()
}

// titles maps domain and area ids to their titles in the workbook's
// language; an id the questionnaire lacks maps to itself.
func (b *consBuilder) titles() map[string]string {
	m := map[string]string{}
	for _, a := range b.areas {
		m[a.domain.ID] = a.domain.Title.Or(b.lang)
		m[a.area.ID] = a.area.Title.Or(b.lang)
	}
	for _, bm := range b.r.Benchmarks {
		if _, ok := m[bm.Area]; !ok {
			m[bm.Area] = bm.Area
		}
		if _, ok := m[bm.Domain]; !ok {
			m[bm.Domain] = bm.Domain
		}
	}
	return m
}

// topicsSheet writes the seminar topic ranking, or says there is none yet,
// naming the round its change compares with.
func (b *consBuilder) topicsSheet(name string) error {
	lang, st := b.lang, b.st
	s, err := b.inMemory(name, pageSetup{landscape: true, titleRows: 2})
	if err != nil {
		return err
	}
	s.widths(8, 22, 30, 36, 26, 10, 10, 12, 34, 12, 10)
	title := b.sheetTitle("sheet.topics")
	change := tr(lang, "col.change")
	if b.r.Previous != "" {
		title += " · " + trf(lang, "topics.previous", b.r.Previous)
		change = trf(lang, "col.change.since", b.r.Previous)
	}
	s.set(1, 1, title, st.label)
	s.header(2, tr(lang, "col.rank"), tr(lang, "col.domain"), tr(lang, "col.area"), tr(lang, "col.topic"), tr(lang, "col.theme"),
		tr(lang, "col.mean.score"), tr(lang, "col.total.gap"), tr(lang, "col.below.n"), tr(lang, "col.below"),
		change, tr(lang, "col.assessed"))
	if len(b.r.Topics) == 0 {
		s.set(1, 3, tr(lang, "no.topics"), st.text)
	}
	titles := b.titles()
	areas := map[string]*survey.Area{}
	for _, a := range b.areas {
		areas[a.area.ID] = a.area
	}
	for i, t := range b.r.Topics {
		area, topic := t.AreaTitleEN, t.TopicEN
		if lang == survey.LangZH {
			area, topic = cmp.Or(t.AreaTitleZH, t.AreaTitleEN), cmp.Or(t.TopicZH, t.TopicEN)
		}
		theme := ""
		if a := areas[t.Area]; a != nil {
			theme = themeTitle(b.q, a, lang)
		}
		s.row(i+3, cell(t.Rank, st.number), cell(cmp.Or(titles[t.Domain], t.Domain), st.wrap), cell(area, st.wrap),
			cell(topic, st.wrap), cell(theme, st.wrap), cell(t.MeanScore, st.score),
			cell(&t.TotalGap, st.score), cell(len(t.BelowTarget), st.number), cell(strings.Join(t.BelowTarget, ", "), st.wrap),
			cell(t.Change, st.change), cell(t.Departments, st.number))
	}
	if s.err == nil {
		s.err = b.f.SetPanes(name, freezeHeader(2, 0))
	}
	return s.finish()
}

// trendSheet writes the government means of overall, domains and areas
// across the earlier rounds (areas matched by lineage), with a line chart
// of overall and domains.
func (b *consBuilder) trendSheet(name string) error {
	lang, st, earlier := b.lang, b.st, b.r.Earlier
	s, err := b.inMemory(name, pageSetup{landscape: true, onePage: true, titleRows: 2})
	if err != nil {
		return err
	}
	rounds := len(earlier) + 1
	widths := []float64{34, 12}
	for range rounds {
		widths = append(widths, 12)
	}
	s.widths(append(widths, 11)...)
	s.set(1, 1, b.sheetTitle("sheet.trend"), st.label)
	header := []string{tr(lang, "col.item"), tr(lang, "col.id")}
	for _, e := range earlier {
		header = append(header, e.Round.ID)
	}
	header = append(header, b.r.Round.ID, trf(lang, "col.change.since", earlier[len(earlier)-1].Round.ID))
	s.header(2, header...)
	domainMeans := survey.DomainMeans(b.q, b.r.Scores)
	areaMeans := map[string]*float64{}
	for _, bm := range b.r.Benchmarks {
		areaMeans[bm.Area] = bm.Mean
	}
	lines := []trendLine{{title: tr(lang, "col.overall")}}
	for _, e := range earlier {
		lines[0].values = append(lines[0].values, e.Overall)
	}
	lines[0].values = append(lines[0].values, survey.OverallMean(b.r.Scores))
	for _, d := range b.q.Domains {
		l := trendLine{title: d.Title.Or(lang), id: d.ID}
		for _, e := range earlier {
			l.values = append(l.values, e.Domains[d.ID])
		}
		lines = append(lines, trendLine{l.title, l.id, append(l.values, domainMeans[d.ID])})
	}
	chartLines := len(lines)
	for _, a := range b.areas {
		l := trendLine{title: a.area.Title.Or(lang), id: a.area.ID}
		for _, e := range earlier {
			l.values = append(l.values, earlierMean(e, a.area.ID))
		}
		lines = append(lines, trendLine{l.title, l.id, append(l.values, areaMeans[a.area.ID])})
	}
	writeTrendLines(s, st, lang, lines, 3, rounds, chartLines)
	if s.err == nil {
		s.err = b.f.SetPanes(name, freezeHeader(2, 0))
	}
	if s.err == nil {
		s.err = lineChart(b.f, name, lang, 2, rounds, chartLines, tr(lang, "trend.cons.alt"))
	}
	return s.finish()
}

// earlierMean is an earlier round's government mean of the area(s) area
// continues, nil when there is none.
func earlierMean(e GovernmentRound, area string) *float64 {
	prev := map[string]float64{}
	for id, v := range e.Areas {
		if v != nil {
			prev[id] = *v
		}
	}
	return earlierValue(e.Lineage, prev, area)
}

// lineChart draws rows header+1..header+lines of columns 3..2+rounds as
// lines over the rounds in the header row, to the right of the table.
func lineChart(f *excelize.File, sheet, lang string, header, rounds, lines int, alt string) error {
	zero, five := 0.0, float64(survey.MaxLevel)
	cats := absRef(sheet, 3, header, 2+rounds, header)
	var series []excelize.ChartSeries
	for i := range lines {
		row := header + 1 + i
		colour := excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{seriesColours[i%len(seriesColours)]}}
		series = append(series, excelize.ChartSeries{
			Name: absRef(sheet, 1, row, 1, row), Categories: cats, Values: absRef(sheet, 3, row, 2+rounds, row),
			Line:   excelize.LineOptions{Width: 2.25, Type: excelize.LineSolid, Fill: colour},
			Fill:   colour,
			Marker: excelize.ChartMarker{Symbol: "circle", Size: 6, Fill: colour},
		})
	}
	dark := excelize.Font{Color: labelColour, Size: 9, Family: "Calibri"}
	anchor, _ := excelize.CoordinatesToCellName(rounds+5, header)
	return f.AddChart(sheet, anchor, &excelize.Chart{
		Type:   excelize.Line,
		Series: series,
		Title: excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: tr(lang, "trend.chart"),
			Font: &excelize.Font{Color: labelColour, Size: 11, Bold: true, Family: "Calibri"}}}},
		Legend:       excelize.ChartLegend{Position: "bottom", Font: &dark},
		XAxis:        excelize.ChartAxis{Font: dark},
		YAxis:        excelize.ChartAxis{Minimum: &zero, Maximum: &five, MajorUnit: 1, MajorGridLines: true, Font: dark},
		Dimension:    excelize.ChartDimension{Width: 460, Height: 300},
		ShowBlanksAs: "gap",
		Format:       excelize.GraphicOptions{OffsetX: 4, OffsetY: 2, ScaleX: 1, ScaleY: 1, AltText: alt},
	})
}
