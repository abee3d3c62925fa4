package web

import (
	"cmp"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/dpo/dgsurvey/handlers/httpx"
	"github.com/dpo/dgsurvey/survey"
	"github.com/dpo/dgsurvey/survey/assess"
)

// The seminar planner's page of a round (issue 6): the topic ranking as the
// JSON and the workbook have it (one computation, Server.rankTopics through
// topicsRequest, so the three agree), a bar chart of total gap drawn as
// inline SVG on the server, a department × area heatmap, the domain and
// bureau filters, the invitation list of a chosen topic and the downloads.
// It reads only submitted score snapshots: never a comment, evidence or N/A
// reason.

// plannerTop is how many topics the summary names.
const plannerTop = 3

// plannerOption is one choice of a filter's select.
type plannerOption struct {
	Value, Label string
	Selected     bool
}

// changeView is a change of mean score since the previous round: a
// direction (up, down, same, none), the signed figure and an arrow, so it
// is never told by colour alone.
type changeView struct {
	Dir, Arrow, Text string
}

// plannerTopicRow is one row of the ranking table.
type plannerTopicRow struct {
	Rank                    int
	Area, Domain, AreaTitle string
	Topic                   string
	Mean, Gap               string
	HasMean                 bool
	Below                   int
	Change                  changeView
	InviteURL               string
	Chosen                  bool
	plannerExtras
	totalGap    float64
	belowCodes  []string
	belowScores map[string]float64
}

// heatArea is a column of the heatmap.
type heatArea struct {
	ID, Title string
}

// heatCell is one department's score in one area.
type heatCell struct {
	Text, Class string
	Below       bool
}

// heatRow is one submitted department in the heatmap.
type heatRow struct {
	Code, Name, Bureau string
	Cells              []heatCell
}

// heatLegend is one colour band of the heatmap.
type heatLegend struct {
	Class, Label string
}

// inviteRow is one department to invite to a topic's seminar.
type inviteRow struct {
	Code, Name, Bureau string
	Score, Target, Gap string
	score              float64
}

// inviteView is the invitation list of the chosen topic.
type inviteView struct {
	Found           bool
	Rank            int
	Area, AreaTitle string
	Topic           string
	Rows            []inviteRow
}

// weakRow is one of the previous round's weakest areas and how it moved.
type weakRow struct {
	RankThen, RankNow int
	Topic, AreaTitle  string
	Then, Now         string
	Change            changeView
}

type plannerRoundPage struct {
	page
	RoundID, RoundTitle, RoundState string
	PreviousID, PreviousTitle       string
	Submitted, Total                int
	Domain, Bureau                  string
	Filtered                        bool
	ScopeText                       string
	Domains, Bureaux                []plannerOption
	ClearURL                        string
	TopicParam                      string

	Rows   []plannerTopicRow
	Top    []plannerTopicRow
	Chart  *gapChart
	Heat   []heatRow
	Areas  []heatArea
	Legend []heatLegend
	// HeatView arranges the heatmap (heatmap.go).
	HeatView *heatView
	Invite   *inviteView
	Weak     []weakRow
	Empty    bool
	JSONURL  string
	APIPath  string

	Downloads []downloadLink
	// Themes is the theme ranking of the selection and the theme filter.
	Themes *plannerThemesView
	// SeminarsURL lists the seminars planned.
	SeminarsURL string
}

// seminarPlanner shows a round's seminar topics to planners and
// administrators.
func (pg *Pages) seminarPlanner(c *gin.Context) {
	q := assess.TopicQuery{Domain: c.Query("domain"), Bureau: c.Query("bureau"), Theme: c.Query("theme")}
	ranking, err := pg.svc.Topics(c, httpx.Principal(c), c.Param("round"), q)
	if err != nil {
		pg.Fail(c, err)
		return
	}
	res := ranking.Results
	lang := pageLang(c)
	f := survey.TopicFilter{Domain: q.Domain, Bureau: q.Bureau, Theme: q.Theme}
	data := &plannerRoundPage{
		page:    pg.newPage(c, "planner.round.title", res.Round.Title.In(lang)),
		RoundID: res.Round.ID, RoundTitle: res.Round.Title.In(lang), RoundState: res.Round.State,
		Domain: f.Domain, Bureau: f.Bureau, Filtered: f.Domain != "" || f.Bureau != "" || f.Theme != "",
		SeminarsURL: "/planner/seminars",
		TopicParam:  c.Query("topic"),
	}
	if data.IsAdmin() {
		data.Nav = "rounds"
	}
	base := "/planner/rounds/" + res.Round.ID
	data.ClearURL = base
	filterQuery := url.Values{}
	if f.Domain != "" {
		filterQuery.Set("domain", f.Domain)
	}
	if f.Bureau != "" {
		filterQuery.Set("bureau", f.Bureau)
	}
	if f.Theme != "" {
		filterQuery.Set("theme", f.Theme)
	}
	data.JSONURL = withQuery(base+"/topics.json", filterQuery)
	data.APIPath = withQuery("/api/v1/rounds/"+res.Round.ID+"/topics", filterQuery)
	for _, l := range pg.link(c, "rounds/"+res.Round.ID+"/topics.xlsx", "planner.download_xlsx") {
		if len(filterQuery) > 0 {
			l.URL += "&" + filterQuery.Encode()
		}
		data.Downloads = append(data.Downloads, l)
	}

	// The filters' choices: the questionnaire's domains, the departments' bureaux.
	domainTitles := map[string]string{}
	data.Domains = append(data.Domains, plannerOption{Value: "", Label: data.T("planner.all_domains"), Selected: f.Domain == ""})
	for _, d := range res.Questionnaire.Domains {
		domainTitles[d.ID] = d.Title.In(lang)
		data.Domains = append(data.Domains, plannerOption{Value: d.ID, Label: d.Title.In(lang), Selected: d.ID == f.Domain})
	}
	var bureaux []string
	for _, d := range res.ByCode {
		if d.Bureau != "" && !slices.Contains(bureaux, d.Bureau) {
			bureaux = append(bureaux, d.Bureau)
		}
	}
	slices.Sort(bureaux)
	data.Bureaux = append(data.Bureaux, plannerOption{Value: "", Label: data.T("planner.all_bureaux"), Selected: f.Bureau == ""})
	for _, b := range bureaux {
		data.Bureaux = append(data.Bureaux, plannerOption{Value: b, Label: b, Selected: b == f.Bureau})
	}
	if !slices.Contains(bureaux, f.Bureau) && f.Bureau != "" {
		// A bureau no department has (any more) still shows as chosen.
		data.Bureaux = append(data.Bureaux, plannerOption{Value: f.Bureau, Label: f.Bureau, Selected: true})
	}
	data.ScopeText = plannerScope(data.page, domainTitles[f.Domain], f.Bureau)
	data.Themes = plannerThemes(data.page, ranking, filterQuery)
	if th := res.Questionnaire.Theme(f.Theme); th != nil {
		data.ScopeText += " · " + data.T("planner.theme") + ": " + th.Title.In(lang)
	}

	// Departments in scope: the submitted ones, of all that take part.
	inScope := func(code string) bool { return f.Bureau == "" || res.ByCode[code].Bureau == f.Bureau }
	submitted := map[string]bool{}
	for _, ds := range res.Scores {
		if inScope(ds.Department) {
			submitted[ds.Department] = true
			data.Submitted++
		}
	}
	for code, d := range res.ByCode {
		if inScope(code) && (d.Active || submitted[code]) {
			data.Total++
		}
	}
	for code := range submitted {
		if _, ok := res.ByCode[code]; !ok {
			data.Total++ // a submission of a department since removed
		}
	}

	previous := ranking.PreviousResults
	if previous != nil {
		data.PreviousID, data.PreviousTitle = previous.Round.ID, previous.Round.Title.In(lang)
	}
	data.Empty = data.Submitted == 0
	if data.Empty {
		pg.render(c, http.StatusOK, "planner_round", data)
		return
	}

	// The ranking, as the JSON has it.
	for _, t := range ranking.Topics {
		row := plannerTopicRow{
			Rank: t.Rank, Area: t.Area, Domain: cmp.Or(domainTitles[t.Domain], t.Domain),
			AreaTitle: survey.Text{EN: t.AreaTitleEN, ZH: t.AreaTitleZH}.Or(lang), Topic: survey.Text{EN: t.TopicEN, ZH: t.TopicZH}.Or(lang),
			Gap: fmt2(t.TotalGap), Below: len(t.BelowTarget),
			Change: changeOf(t.Change), Chosen: t.Area == data.TopicParam, plannerExtras: topicExtras(res.Round.ID, t),
			totalGap: t.TotalGap, belowCodes: t.BelowTarget, belowScores: t.DepartmentScores,
		}
		if t.MeanScore != nil {
			row.Mean, row.HasMean = fmt2(*t.MeanScore), true
		}
		iq := url.Values{"topic": {t.Area}}
		for k, v := range filterQuery {
			iq[k] = v
		}
		row.InviteURL = base + "?" + iq.Encode() + "#invite"
		data.Rows = append(data.Rows, row)
		if len(data.Top) < plannerTop && t.TotalGap > 0 {
			data.Top = append(data.Top, row)
		}
	}
	data.Chart = gapBarChart(data.page, data.Rows)

	// The heatmap: submitted departments in scope × areas of the domain(s).
	for lv := 0; lv <= survey.MaxLevel; lv++ {
		name := res.Questionnaire.LevelName(lv, lang)
		data.Legend = append(data.Legend, heatLegend{Class: fmt.Sprintf("heat-%d", lv), Label: data.T("planner.legend_level", lv, name)})
	}
	for _, d := range res.Questionnaire.Domains {
		if f.Domain != "" && d.ID != f.Domain {
			continue
		}
		for _, a := range d.Areas {
			data.Areas = append(data.Areas, heatArea{ID: a.ID, Title: a.Title.In(lang)})
		}
	}
	snapshot := map[string]map[string]survey.AreaScore{}
	for _, ds := range res.Scores {
		if !inScope(ds.Department) {
			continue
		}
		areas := make(map[string]survey.AreaScore, len(ds.Scores.Areas))
		for _, a := range ds.Scores.Areas {
			areas[a.ID] = a
		}
		snapshot[ds.Department] = areas
		dept := res.ByCode[ds.Department]
		hr := heatRow{Code: ds.Department, Name: cmp.Or(dept.Name(lang), ds.Department), Bureau: dept.Bureau}
		for _, a := range data.Areas {
			hr.Cells = append(hr.Cells, heatCellOf(data.page, areas, a.ID))
		}
		data.Heat = append(data.Heat, hr)
	}
	pg.arrangeHeatmap(c, data, snapshot)

	// The invitation list of the chosen topic.
	if data.TopicParam != "" {
		inv := &inviteView{}
		for _, row := range data.Rows {
			if row.Area != data.TopicParam {
				continue
			}
			inv.Found, inv.Rank, inv.Area, inv.AreaTitle, inv.Topic = true, row.Rank, row.Area, row.AreaTitle, row.Topic
			for _, code := range row.belowCodes {
				dept := res.ByCode[code]
				ir := inviteRow{Code: code, Name: cmp.Or(dept.Name(lang), code), Bureau: dept.Bureau,
					score: row.belowScores[code], Score: fmt2(row.belowScores[code]), Target: "—", Gap: "—"}
				if a, ok := snapshot[code][row.Area]; ok {
					ir.Target = fmt.Sprint(a.Target)
					if a.Gap != nil {
						ir.Gap = fmt2(*a.Gap)
					}
				}
				inv.Rows = append(inv.Rows, ir)
			}
			// Weakest first: those gain most from the seminar.
			slices.SortStableFunc(inv.Rows, func(a, b inviteRow) int {
				return cmp.Or(cmp.Compare(a.score, b.score), cmp.Compare(a.Code, b.Code))
			})
		}
		data.Invite = inv
	}

	// Did last round's weakest areas improve? The previous round ranked alike
	// (same filters, bureaux as they are now, as the change column has it).
	if previous != nil {
		prevRows := survey.RankTopics(survey.TopicRanking{Questionnaire: previous.Questionnaire, Baseline: ranking.Baseline, Current: assess.TopicInputs(previous.Scores, res.ByCode), Filter: f})
		now := map[string]plannerTopicRow{}
		for _, r := range data.Rows {
			now[r.Area] = r
		}
		for _, t := range prevRows {
			if len(data.Weak) == plannerTop || t.TotalGap <= 0 {
				break
			}
			wr := weakRow{RankThen: t.Rank, Topic: survey.Text{EN: t.TopicEN, ZH: t.TopicZH}.Or(lang), AreaTitle: survey.Text{EN: t.AreaTitleEN, ZH: t.AreaTitleZH}.Or(lang),
				Then: "—", Now: "—", Change: changeOf(nil)}
			if t.MeanScore != nil {
				wr.Then = fmt2(*t.MeanScore)
			}
			if r, ok := now[t.Area]; ok {
				wr.RankNow, wr.Topic, wr.Change = r.Rank, r.Topic, r.Change
				if r.HasMean {
					wr.Now = r.Mean
				}
			}
			data.Weak = append(data.Weak, wr)
		}
	}
	pg.render(c, http.StatusOK, "planner_round", data)
}

// plannerTopicsJSON serves the ranking's JSON to a signed-in browser: the
// API wants a CSRF header with a session, which a plain link cannot send.
// It is the API's use case, so the figures are the same.
func (pg *Pages) plannerTopicsJSON(c *gin.Context) {
	q := assess.TopicQuery{Domain: c.Query("domain"), Bureau: c.Query("bureau"), Theme: c.Query("theme")}
	ranking, err := pg.svc.Topics(c, httpx.Principal(c), c.Param("round"), q)
	if err != nil {
		pg.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, ranking)
}

// plannerScope says what the ranking covers.
func plannerScope(p page, domainTitle, bureau string) string {
	var parts []string
	if domainTitle != "" {
		parts = append(parts, p.T("planner.domain")+": "+domainTitle)
	}
	if bureau != "" {
		parts = append(parts, p.T("planner.bureau")+": "+bureau)
	}
	if len(parts) == 0 {
		return p.T("planner.scope_all")
	}
	return strings.Join(parts, " · ")
}

// changeOf describes a change of mean score by a symbol and a signed
// figure; the page adds the word (planner.change.<Dir>).
func changeOf(v *float64) changeView {
	switch {
	case v == nil:
		return changeView{Dir: "none", Arrow: "—", Text: ""}
	case *v > 0:
		return changeView{Dir: "up", Arrow: "▲", Text: "+" + fmt2(*v)}
	case *v < 0:
		return changeView{Dir: "down", Arrow: "▼", Text: "−" + fmt2(-*v)}
	}
	return changeView{Dir: "same", Arrow: "=", Text: fmt2(0)}
}

// heatCellOf is a department's cell in an area: its score, coloured by
// level; N/A when every answer was N/A.
func heatCellOf(p page, areas map[string]survey.AreaScore, area string) heatCell {
	a, ok := areas[area]
	switch {
	case !ok:
		return heatCell{Text: "—", Class: "heat-none"}
	case a.Score == nil:
		return heatCell{Text: p.T("planner.na"), Class: "heat-na"}
	}
	level := int(*a.Score)
	if a.Level != nil {
		level = *a.Level
	}
	level = min(max(level, 0), survey.MaxLevel)
	return heatCell{Text: fmt2(*a.Score), Class: fmt.Sprintf("heat-%d", level), Below: a.Gap != nil && *a.Score < float64(a.Target)}
}

// fmt2 shows a score or gap with two decimals.
func fmt2(v float64) string { return fmt.Sprintf("%.2f", v) }

// withQuery appends a query to a path when there is one.
func withQuery(path string, q url.Values) string {
	if len(q) == 0 {
		return path
	}
	return path + "?" + q.Encode()
}
