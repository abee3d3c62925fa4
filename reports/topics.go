package reports

import (
	"cmp"
	"errors"
	"io"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/dpo/dgsurvey/survey"
)

// TopicsReport is the seminar planner's workbook: the ranking as computed
// for the API, so the two always agree.
type TopicsReport struct {
	Lang          string
	Round         survey.Round
	Questionnaire *survey.Questionnaire
	// Previous is the round the change column compares with ("" if none).
	Previous string
	// Filter says which domain and bureau the ranking was limited to.
	Filter      survey.TopicFilter
	Topics      []survey.TopicRow
	GeneratedAt time.Time
	// Baseline is the level every gap is measured against (0: not shown).
	Baseline int
	// Themes is the theme ranking of the same selection (the Themes sheet;
	// none on questionnaires without themes).
	Themes []survey.ThemeRow
	// Marking is the classification printed on every page ("" for none).
	Marking string
}

// TopicsFileName is the download name of the topics workbook:
// "<round>-seminar-topics-<lang>.xlsx".
func TopicsFileName(round, lang string) string {
	return fileToken(round) + "-seminar-topics-" + normLang(lang) + ".xlsx"
}

// WriteTopics writes the ranking (rank, domain, area, topic in both
// languages, mean score, total gap, departments below target as a count and
// codes, change since the previous round) and a bar chart of total gap by
// topic. It holds no comment, evidence or N/A reason: planners may read it.
func WriteTopics(w io.Writer, r TopicsReport) error {
	if r.Questionnaire == nil {
		return errors.New("reports: topics workbook needs the round's questionnaire")
	}
	lang := normLang(r.Lang)
	name := cleanSheetName(tr(lang, "sheet.topics"))
	f, st, err := newWorkbook(name)
	if err != nil {
		return err
	}
	defer f.Close()
	domains := map[string]string{}
	for _, d := range r.Questionnaire.Domains {
		domains[d.ID] = d.Title.Or(lang)
	}
	page := topicsPage(lang, r)
	if err := printSetup(f, name, pageSetup{landscape: true, onePage: true, titleRows: 4}, page); err != nil {
		return err
	}
	s := &sheet{f: f, st: st, name: name}
	s.widths(8, 24, 32, 40, 40, 12, 12, 14, 40, 14, 12, 16, 18, 14, 28)
	s.set(1, 1, trf(lang, "topics.title", r.Round.ID), st.title)
	s.set(1, 2, topicsScope(lang, r), st.text)
	const first = 4 // header row
	s.header(first, tr(lang, "col.rank"), tr(lang, "col.domain"), tr(lang, "col.area"),
		tr(lang, "col.topic")+" (English)", tr(lang, "col.topic")+" (中文)",
		tr(lang, "col.mean.score"), tr(lang, "col.total.gap"), tr(lang, "col.below.n"), tr(lang, "col.below"),
		tr(lang, "col.change"), tr(lang, "col.assessed"),
		tr(lang, "col.stretch.gap"), tr(lang, "col.noncompliant.n"), tr(lang, "col.below.share"), tr(lang, "col.theme"))
	themeTitles := map[string]string{}
	for _, th := range r.Questionnaire.Themes {
		themeTitles[th.ID] = th.Title.Or(lang)
	}
	if len(r.Topics) == 0 {
		s.set(1, first+1, tr(lang, "no.topics"), st.text)
	}
	for i, t := range r.Topics {
		area := t.AreaTitleEN
		if lang == survey.LangZH {
			area = cmp.Or(t.AreaTitleZH, t.AreaTitleEN)
		}
		s.row(first+1+i, t.Rank, cell(cmp.Or(domains[t.Domain], t.Domain), st.wrap), cell(area, st.wrap),
			cell(t.TopicEN, st.wrap), cell(t.TopicZH, st.wrap), cell(t.MeanScore, st.score),
			cell(&t.TotalGap, st.score), len(t.BelowTarget), cell(strings.Join(t.BelowTarget, ", "), st.wrap),
			cell(t.Change, st.change), t.Departments,
			cell(&t.StretchGap, st.score), len(t.Noncompliant), cell(t.BelowShare, st.percent), cell(cmp.Or(themeTitles[t.Theme], t.Theme), st.wrap))
	}
	if s.err == nil {
		s.err = f.SetPanes(name, freezeHeader(first, 0))
	}
	if s.err == nil && len(r.Topics) > 0 {
		s.err = topicsChart(f, name, lang, first, len(r.Topics))
	}
	if s.err == nil && len(r.Themes) > 0 {
		s.err = writeThemesSheet(f, st, lang, r)
	}
	if err := s.finish(); err != nil {
		return err
	}
	if err := docProps(f, lang, trf(lang, "topics.title", r.Round.ID), r.Round.Title.Or(lang), r.GeneratedAt); err != nil {
		return err
	}
	return writeTo(f, w, nil)
}

// topicsPage is the header and footer of every page of a topics workbook.
func topicsPage(lang string, r TopicsReport) pageContext {
	return pageContext{lang: lang, marking: r.Marking, loc: location(nil), generated: r.GeneratedAt,
		context: trf(lang, "page.round", r.Round.ID)}
}

// topicsScope says what the ranking covers, so a filtered download is never
// mistaken for the whole government.
func topicsScope(lang string, r TopicsReport) string {
	parts := []string{}
	if r.Filter.Domain != "" {
		parts = append(parts, tr(lang, "col.domain")+": "+r.Filter.Domain)
	}
	if r.Filter.Bureau != "" {
		parts = append(parts, tr(lang, "topics.bureau")+": "+r.Filter.Bureau)
	}
	if len(parts) == 0 {
		parts = append(parts, tr(lang, "topics.all"))
	}
	if r.Filter.Theme != "" {
		parts = append(parts, tr(lang, "col.theme")+": "+r.Filter.Theme)
	}
	if r.Baseline > 0 {
		parts = append(parts, trf(lang, "topics.baseline", r.Baseline))
	}
	if r.Previous != "" {
		parts = append(parts, trf(lang, "topics.previous", r.Previous))
	}
	return strings.Join(parts, " · ")
}

// topicsChart draws total gap by topic as horizontal bars, largest on top.
func topicsChart(f *excelize.File, sheetName, lang string, header, n int) error {
	topicCol := 4
	if lang == survey.LangZH {
		topicCol = 5
	}
	// One colour for the one series, dark labels, alternative text, and
	// below the table's first columns so that it is in the first screen.
	single, dark := false, excelize.Font{Color: labelColour, Size: 9, Family: "Calibri"}
	anchor, _ := excelize.CoordinatesToCellName(2, header+n+2)
	return f.AddChart(sheetName, anchor, &excelize.Chart{
		Type: excelize.Bar,
		Series: []excelize.ChartSeries{{
			Name:       absRef(sheetName, 7, header, 7, header),
			Categories: absRef(sheetName, topicCol, header+1, topicCol, header+n),
			Values:     absRef(sheetName, 7, header+1, 7, header+n),
			Fill:       excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{departmentColour}},
		}},
		VaryColors: &single,
		Title: excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: tr(lang, "topics.chart"),
			Font: &excelize.Font{Color: labelColour, Size: 11, Bold: true, Family: "Calibri"}}}},
		Legend:    excelize.ChartLegend{Position: "none"},
		XAxis:     excelize.ChartAxis{ReverseOrder: true, Font: dark},
		YAxis:     excelize.ChartAxis{Font: dark, MajorGridLines: true},
		PlotArea:  excelize.ChartPlotArea{ShowVal: true},
		Dimension: excelize.ChartDimension{Width: 720, Height: uint(max(320, 24*n+80))},
		Format: excelize.GraphicOptions{OffsetX: 10, OffsetY: 10, ScaleX: 1, ScaleY: 1,
			AltText: trf(lang, "topics.alt", n)},
	})
}
