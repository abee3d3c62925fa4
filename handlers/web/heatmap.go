package web

import (
	"cmp"
	"slices"

	"github.com/gin-gonic/gin"

	"github.com/dpo/dgsurvey/survey"
)

// The planner's heatmap at the size of a government: rows sorted by code,
// grouped by bureau or sorted by score (weakest first), optionally only the
// departments with a score below target; the header row and the first
// column stay in view while the table scrolls in its own region.

// heatSorts are the heatmap's orders.
var heatSorts = []string{"code", "bureau", "score"}

// heatGroup is a run of heatmap rows under one heading (a bureau), or all
// rows under none.
type heatGroup struct {
	Label string
	Rows  []heatRow
}

// heatView is how the heatmap is arranged, from its own form.
type heatView struct {
	Sort      string
	BelowOnly bool
	Sorts     []choice
	Groups    []heatGroup
	// Keep are the page's other parameters, which the heatmap's form
	// carries along.
	Keep         []hiddenField
	Shown, Total int
}

// heatMean is a row's mean area score over the areas shown (nil: none).
func heatMean(areas map[string]survey.AreaScore, cols []heatArea) *float64 {
	var sum float64
	n := 0
	for _, a := range cols {
		if s, ok := areas[a.ID]; ok && s.Score != nil {
			sum += *s.Score
			n++
		}
	}
	if n == 0 {
		return nil
	}
	m := sum / float64(n)
	return &m
}

// arrangeHeatmap sorts, groups and filters data.Heat as the request asks.
func (pg *Pages) arrangeHeatmap(c *gin.Context, data *plannerRoundPage, scores map[string]map[string]survey.AreaScore) {
	v := &heatView{Sort: c.Query("heat_sort"), BelowOnly: c.Query("heat_below") == "1", Total: len(data.Heat)}
	if !slices.Contains(heatSorts, v.Sort) {
		v.Sort = "code"
	}
	for _, s := range heatSorts {
		v.Sorts = append(v.Sorts, choice{Value: s, Label: data.T("planner.heat_sort." + s), Selected: s == v.Sort})
	}
	for k, val := range map[string]string{"domain": data.Domain, "bureau": data.Bureau, "topic": data.TopicParam} {
		if val != "" {
			v.Keep = append(v.Keep, hiddenField{Name: k, Value: val})
		}
	}
	slices.SortFunc(v.Keep, func(a, b hiddenField) int { return cmp.Compare(a.Name, b.Name) })
	rows := data.Heat[:0:0]
	for _, r := range data.Heat {
		if v.BelowOnly && !slices.ContainsFunc(r.Cells, func(c heatCell) bool { return c.Below }) {
			continue
		}
		rows = append(rows, r)
	}
	mean := map[string]float64{}
	for _, r := range rows {
		if m := heatMean(scores[r.Code], data.Areas); m != nil {
			mean[r.Code] = *m
		} else {
			mean[r.Code] = 99 // unscored rows last
		}
	}
	byCode := func(a, b heatRow) int { return cmp.Compare(a.Code, b.Code) }
	switch v.Sort {
	case "score":
		slices.SortFunc(rows, func(a, b heatRow) int { return cmp.Or(cmp.Compare(mean[a.Code], mean[b.Code]), byCode(a, b)) })
	case "bureau":
		slices.SortFunc(rows, func(a, b heatRow) int { return cmp.Or(cmp.Compare(a.Bureau, b.Bureau), byCode(a, b)) })
	default:
		slices.SortFunc(rows, byCode)
	}
	if v.Sort == "bureau" {
		for _, r := range rows {
			if n := len(v.Groups); n == 0 || v.Groups[n-1].Label != cmp.Or(r.Bureau, "—") {
				v.Groups = append(v.Groups, heatGroup{Label: cmp.Or(r.Bureau, "—")})
			}
			g := &v.Groups[len(v.Groups)-1]
			g.Rows = append(g.Rows, r)
		}
	} else if len(rows) > 0 {
		v.Groups = []heatGroup{{Rows: rows}}
	}
	// Bureaux show by name once grouped and sorted by their stored value.
	names := pg.bureauNames(c)
	for gi := range v.Groups {
		if v.Groups[gi].Label != "—" && v.Groups[gi].Label != "" {
			v.Groups[gi].Label = names.Name(v.Groups[gi].Label, data.Lang)
		}
		for ri := range v.Groups[gi].Rows {
			v.Groups[gi].Rows[ri].Bureau = names.Name(v.Groups[gi].Rows[ri].Bureau, data.Lang)
		}
	}
	v.Shown = len(rows)
	data.Heat = rows
	data.HeatView = v
}

// HeatCols is the number of the heatmap's columns, for a group heading.
func (p *plannerRoundPage) HeatCols() int { return len(p.Areas) + 1 }
