package web

import (
	"fmt"
	"net/url"

	"github.com/dpo/dgsurvey/survey"
	"github.com/dpo/dgsurvey/survey/assess"
)

// The planner page's seminar themes (the theme ranking of the same
// selection, as the themes JSON and the Themes sheet have it), the theme
// filter, the fair-ranking columns of each topic and the links that plan a
// seminar from a row.

// plannerThemeRow is one row of the themes table.
type plannerThemeRow struct {
	Rank                  int
	Theme, Title, Seminar string
	Areas                 string
	Mean, Gap, Stretch    string
	HasMean               bool
	Below, Noncompliant   int
	Share                 string
	Change                changeView
	PlanURL, FilterURL    string
}

// plannerExtras are the fair-ranking figures of one topic row.
type plannerExtras struct {
	Stretch, Share string
	Noncompliant   int
	Target         int
	PlanURL        string
}

// plannerThemesView is what the page shows of themes.
type plannerThemesView struct {
	Rows    []plannerThemeRow
	Chart   *gapChart
	Options []plannerOption
	Theme   string
	// Baseline is the level every gap is measured against.
	Baseline int
}

// plannerThemes ranks the themes of the selection and prepares the theme
// filter's choices.
func plannerThemes(p page, ranking *assess.Ranking, filter url.Values) *plannerThemesView {
	res := ranking.Results
	lang := p.Lang
	v := &plannerThemesView{Theme: ranking.Theme, Baseline: ranking.Baseline}
	v.Options = append(v.Options, plannerOption{Value: "", Label: p.T("planner.all_themes"), Selected: ranking.Theme == ""})
	for _, th := range res.Questionnaire.Themes {
		v.Options = append(v.Options, plannerOption{Value: th.ID, Label: th.Title.In(lang), Selected: th.ID == ranking.Theme})
	}
	areaTitle := map[string]string{}
	for _, d := range res.Questionnaire.Domains {
		for _, a := range d.Areas {
			areaTitle[a.ID] = a.Title.In(lang)
		}
	}
	var chartRows []plannerTopicRow
	for _, t := range ranking.ThemeRanking().Themes {
		row := plannerThemeRow{Rank: t.Rank, Theme: t.Theme, Title: survey.Text{EN: t.TitleEN, ZH: t.TitleZH}.Or(lang),
			Seminar: survey.Text{EN: t.SeminarEN, ZH: t.SeminarZH}.Or(lang), Gap: fmt2(t.TotalGap), Stretch: fmt2(t.StretchGap),
			Below: len(t.BelowTarget), Noncompliant: len(t.Noncompliant), Share: shareText(t.BelowShare), Change: changeOf(t.Change),
			PlanURL: "/planner/seminars?" + url.Values{"round": {ranking.Round}, "theme": {t.Theme}}.Encode() + "#plan"}
		for i, a := range t.Areas {
			if i > 0 {
				row.Areas += "; "
			}
			row.Areas += areaTitle[a]
		}
		if t.MeanScore != nil {
			row.Mean, row.HasMean = fmt2(*t.MeanScore), true
		}
		fq := url.Values{"theme": {t.Theme}}
		for k, vals := range filter {
			if k != "theme" {
				fq[k] = vals
			}
		}
		row.FilterURL = "/planner/rounds/" + ranking.Round + "?" + fq.Encode() + "#ranking-heading"
		v.Rows = append(v.Rows, row)
		chartRows = append(chartRows, plannerTopicRow{Rank: t.Rank, Topic: row.Title, Gap: row.Gap, totalGap: t.TotalGap})
	}
	v.Chart = gapBarChart(p, chartRows)
	return v
}

// topicExtras are a topic's fair-ranking figures and its plan link.
func topicExtras(round string, t survey.TopicRow) plannerExtras {
	return plannerExtras{Stretch: fmt2(t.StretchGap), Share: shareText(t.BelowShare), Noncompliant: len(t.Noncompliant), Target: t.Target,
		PlanURL: "/planner/seminars?" + url.Values{"round": {round}, "area": {t.Area}}.Encode() + "#plan"}
}

// shareText shows a share as a whole percentage; "—" when there is none.
func shareText(v *float64) string {
	if v == nil {
		return "—"
	}
	return fmt.Sprintf("%.0f%%", *v*100)
}
