package reports

import (
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/dpo/dgsurvey/survey"
)

// writeThemesSheet adds the Themes sheet to the topics workbook: the theme
// ranking of the same selection (rank, theme, seminar title, areas, mean
// score, total gap against the baseline, stretch gap, departments below the
// baseline and non-compliant, change), with a bar chart of total gap.
func writeThemesSheet(f *excelize.File, st *styles, lang string, r TopicsReport) error {
	name := cleanSheetName(tr(lang, "sheet.themes"))
	if _, err := f.NewSheet(name); err != nil {
		return err
	}
	if err := printSetup(f, name, pageSetup{landscape: true, onePage: true, titleRows: 4}, topicsPage(lang, r)); err != nil {
		return err
	}
	s := &sheet{f: f, st: st, name: name}
	s.widths(8, 28, 40, 40, 12, 12, 14, 14, 40, 16, 14, 12)
	s.set(1, 1, trf(lang, "themes.title", r.Round.ID), st.title)
	s.set(1, 2, topicsScope(lang, r), st.text)
	const first = 4
	s.header(first, tr(lang, "col.rank"), tr(lang, "col.theme"), tr(lang, "col.theme.seminar"), tr(lang, "col.areas"),
		tr(lang, "col.mean.score"), tr(lang, "col.total.gap"), tr(lang, "col.stretch.gap"), tr(lang, "col.below.n"),
		tr(lang, "col.below"), tr(lang, "col.noncompliant.n"), tr(lang, "col.below.share"), tr(lang, "col.change"))
	for i, t := range r.Themes {
		title, seminar := t.TitleEN, t.SeminarEN
		if lang == survey.LangZH {
			title, seminar = t.TitleZH, t.SeminarZH
		}
		s.row(first+1+i, t.Rank, cell(title, st.wrap), cell(seminar, st.wrap), cell(strings.Join(t.Areas, ", "), st.wrap),
			cell(t.MeanScore, st.score), cell(&t.TotalGap, st.score), cell(&t.StretchGap, st.score), len(t.BelowTarget),
			cell(strings.Join(t.BelowTarget, ", "), st.wrap), len(t.Noncompliant), cell(t.BelowShare, st.percent), cell(t.Change, st.change))
	}
	if s.err == nil {
		s.err = f.SetPanes(name, freezeHeader(first, 0))
	}
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
