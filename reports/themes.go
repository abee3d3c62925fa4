package reports

import (
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/dpo/dgsurvey/survey"
)

// themeColumns are the widths of the theme table's columns: the same table
// in the topics and the consolidated workbooks.
var themeColumns = []float64{8, 28, 40, 40, 12, 12, 14, 14, 40, 16, 14, 12}

// themesTable writes the theme ranking of survey.RankThemes with its header
// on row first (rank, theme, seminar title, areas, mean score, total gap
// against the baseline, stretch gap, departments below the baseline as a
// count and codes, departments non-compliant, share below, and the change
// under the title change), or says there is none, and freezes the rows down
// to the header. Both workbooks write their Themes sheet with it, so the
// planner's and the government-wide figures are one computation, laid out
// one way; only the title lines and the print setup are each workbook's.
// The sheet's widths must be themeColumns.
func themesTable(s *sheet, lang string, first int, change string, themes []survey.ThemeRow) {
	st := s.st
	s.header(first, tr(lang, "col.rank"), tr(lang, "col.theme"), tr(lang, "col.theme.seminar"), tr(lang, "col.areas"),
		tr(lang, "col.mean.score"), tr(lang, "col.total.gap"), tr(lang, "col.stretch.gap"), tr(lang, "col.below.n"),
		tr(lang, "col.below"), tr(lang, "col.noncompliant.n"), tr(lang, "col.below.share"), change)
	if len(themes) == 0 {
		s.set(1, first+1, tr(lang, "no.themes"), st.text)
	}
	for i, t := range themes {
		title, seminar := t.TitleEN, t.SeminarEN
		if lang == survey.LangZH {
			title, seminar = t.TitleZH, t.SeminarZH
		}
		s.row(first+1+i, cell(t.Rank, st.number), cell(title, st.wrap), cell(seminar, st.wrap), cell(strings.Join(t.Areas, ", "), st.wrap),
			cell(t.MeanScore, st.score), cell(&t.TotalGap, st.score), cell(&t.StretchGap, st.score), cell(len(t.BelowTarget), st.number),
			cell(strings.Join(t.BelowTarget, ", "), st.wrap), cell(len(t.Noncompliant), st.number), cell(t.BelowShare, st.percent),
			cell(t.Change, st.change))
	}
	if s.err == nil {
		s.err = s.f.SetPanes(s.name, freezeHeader(first, 0))
	}
}

// writeThemesSheet adds the Themes sheet to the topics workbook: the theme
// ranking of the same selection (themesTable) under the workbook's title
// and scope, with a bar chart of total gap.
func writeThemesSheet(f *excelize.File, st *styles, lang string, r TopicsReport) error {
	name := cleanSheetName(tr(lang, "sheet.themes"))
	if _, err := f.NewSheet(name); err != nil {
		return err
	}
	if err := printSetup(f, name, pageSetup{landscape: true, onePage: true, titleRows: 4}, topicsPage(lang, r)); err != nil {
		return err
	}
	s := &sheet{f: f, st: st, name: name}
	s.widths(themeColumns...)
	s.set(1, 1, trf(lang, "themes.title", r.Round.ID), st.title)
	s.set(1, 2, topicsScope(lang, r), st.text)
	const first = 4
	themesTable(s, lang, first, tr(lang, "col.change"), r.Themes)
	if err := s.finish(); err != nil {
		return err
	}
	n := len(r.Themes)
	anchor, _ := excelize.CoordinatesToCellName(2, first+n+2)
	dark := excelize.Font{Color: labelColour, Size: 9, Family: "Calibri"}
	return f.AddChart(name, anchor, &excelize.Chart{
		Type: excelize.Bar,
		Series: []excelize.ChartSeries{{
			Name:       absRef(name, 6, first, 6, first),
			Categories: absRef(name, 2, first+1, 2, first+n),
			Values:     absRef(name, 6, first+1, 6, first+n),
		}},
		Title:     excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: tr(lang, "themes.chart")}}},
		Legend:    excelize.ChartLegend{Position: "none"},
		XAxis:     excelize.ChartAxis{ReverseOrder: true, Font: dark},
		YAxis:     excelize.ChartAxis{Font: dark},
		Dimension: excelize.ChartDimension{Width: 640, Height: uint(max(280, 36*n+80))},
		Format:    excelize.GraphicOptions{OffsetX: 10, OffsetY: 10, ScaleX: 1, ScaleY: 1, AltText: tr(lang, "themes.chart")},
	})
}
