package web

import (
	"cmp"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/dpo/dgsurvey/handlers/httpx"
	"github.com/dpo/dgsurvey/survey"
	"github.com/dpo/dgsurvey/survey/assess"
)

// The round dashboard runs a round of many departments from one screen:
// search, a status filter (Reopened among them), a bureau filter and a
// sort, all in the URL (a plain GET form, so it works without the script
// and a view can be bookmarked), and the to-chase list with its export.

// statusReopened is the dashboard's filter value for reopened responses:
// not a stored status, but what the DPO needs to tell apart.
const statusReopened = "reopened"

// dashboardRow is one department on a round's dashboard.
type dashboardRow struct {
	assess.DashboardRow
	Name, BureauName, URL string
	Downloads             []downloadLink
}

// Shown is the status the dashboard shows: Reopened before the stored one.
func (r dashboardRow) Shown() string {
	if r.Reopened != nil {
		return statusReopened
	}
	return r.Status
}

// statusFilter is one of the dashboard's filters.
type statusFilter struct {
	Value, URL string
	Count      int
	Current    bool
}

// choice is an option of a select.
type choice struct {
	Value, Label string
	Selected     bool
}

// dashboardQuery is the dashboard's view, as the URL gives it.
type dashboardQuery struct {
	Search, Status, Bureau, Sort string
}

// dashboardSorts are the orders the dashboard offers.
var dashboardSorts = []string{"code", "progress", "progress_desc", "last_change", "stale", "status"}

func (q dashboardQuery) values() url.Values {
	v := url.Values{}
	for k, s := range map[string]string{"q": q.Search, "status": q.Status, "bureau": q.Bureau, "sort": q.Sort} {
		if s != "" {
			v.Set(k, s)
		}
	}
	return v
}

type dashboardPage struct {
	page
	RoundID, RoundTitle, RoundState string
	ClosesAt                        time.Time
	Filters                         []statusFilter
	Filter                          string
	Query                           dashboardQuery
	Sorts, Bureaux, Statuses        []choice
	Rows                            []dashboardRow
	Chase                           []dashboardRow
	Downloads                       []downloadLink
	ChaseDownload                   string
	Submitted, Total, Shown         int
	// Filtered is set when the view leaves departments out.
	Filtered bool
}

// dashboard is a round's progress: every department with its status,
// search, filters and sort, and the departments still to chase.
func (pg *Pages) dashboard(c *gin.Context) {
	lang := pageLang(c)
	d, err := pg.svc.Dashboard(c, httpx.Principal(c), c.Param("round"))
	if err != nil {
		pg.Fail(c, err)
		return
	}
	round := d.Round
	q := dashboardQuery{Search: strings.TrimSpace(c.Query("q")), Status: c.Query("status"), Bureau: c.Query("bureau"), Sort: c.Query("sort")}
	if len([]rune(q.Search)) > 100 {
		q.Search = string([]rune(q.Search)[:100])
	}
	switch q.Status {
	case survey.StatusNotStarted, survey.StatusInProgress, survey.StatusReady, survey.StatusSubmitted, statusReopened:
	default:
		q.Status = ""
	}
	if !slices.Contains(dashboardSorts, q.Sort) {
		q.Sort = ""
	}
	data := &dashboardPage{page: pg.newPage(c, "dashboard.title", round.Title.In(lang)), RoundID: round.ID,
		RoundTitle: round.Title.In(lang), RoundState: round.State, ClosesAt: round.ClosesAt, Filter: q.Status, Query: q,
		Total: len(d.Rows), ChaseDownload: "/admin/rounds/" + round.ID + "/chase.xlsx?lang=" + lang}
	data.Nav = "rounds"
	counts := map[string]int{}
	bureaux := map[string]bool{}
	needle := strings.ToLower(q.Search)
	names := pg.bureauNames(c)
	for _, row := range d.Rows {
		dr := dashboardRow{DashboardRow: row, Name: survey.Text{EN: row.NameEN, ZH: row.NameZH}.Or(lang),
			BureauName: names.Name(row.Bureau, lang), URL: "/rounds/" + round.ID + "/responses/" + row.Code}
		counts[row.Status]++
		if row.Reopened != nil {
			counts[statusReopened]++
		}
		if row.Bureau != "" {
			bureaux[row.Bureau] = true
		}
		if row.Status == survey.StatusSubmitted {
			dr.Downloads = pg.departmentDownloads(c, round.ID, row.Code)
		}
		if row.Chased() { // the rule the to-chase workbook uses too
			data.Chase = append(data.Chase, dr)
		}
		switch {
		case q.Status == statusReopened && row.Reopened == nil,
			q.Status != "" && q.Status != statusReopened && row.Status != q.Status,
			q.Bureau != "" && row.Bureau != q.Bureau,
			needle != "" && !strings.Contains(strings.ToLower(row.Code+" "+row.NameEN+" "+row.NameZH+" "+row.Bureau+" "+dr.BureauName), needle):
			continue
		}
		data.Rows = append(data.Rows, dr)
	}
	data.Shown = len(data.Rows)
	data.Filtered = q.Status != "" || q.Bureau != "" || q.Search != ""
	data.Submitted = counts[survey.StatusSubmitted]
	base := "/admin/rounds/" + round.ID
	link := func(status string) string {
		v := q
		v.Status = status
		if enc := v.values().Encode(); enc != "" {
			return base + "?" + enc
		}
		return base
	}
	data.Filters = []statusFilter{{Value: "", URL: link(""), Count: len(d.Rows), Current: q.Status == ""}}
	for _, st := range []string{survey.StatusNotStarted, survey.StatusInProgress, statusReopened, survey.StatusReady, survey.StatusSubmitted} {
		data.Filters = append(data.Filters, statusFilter{Value: st, URL: link(st), Count: counts[st], Current: q.Status == st})
	}
	data.Statuses = []choice{{Value: "", Label: data.T("dashboard.all"), Selected: q.Status == ""}}
	for _, st := range []string{survey.StatusNotStarted, survey.StatusInProgress, statusReopened, survey.StatusReady, survey.StatusSubmitted} {
		data.Statuses = append(data.Statuses, choice{Value: st, Label: data.T("status." + st), Selected: q.Status == st})
	}
	data.Bureaux = []choice{{Value: "", Label: data.T("dashboard.all_bureaux"), Selected: q.Bureau == ""}}
	for _, b := range slices.Sorted(func(yield func(string) bool) {
		for b := range bureaux {
			if !yield(b) {
				return
			}
		}
	}) {
		data.Bureaux = append(data.Bureaux, choice{Value: b, Label: names.Name(b, lang), Selected: q.Bureau == b})
	}
	for _, s := range dashboardSorts {
		data.Sorts = append(data.Sorts, choice{Value: s, Label: data.T("dashboard.sort." + s), Selected: q.Sort == s || (q.Sort == "" && s == "code")})
	}
	slices.SortStableFunc(data.Rows, dashboardOrder(q.Sort))
	// Least progress first, then the longest silent: those are the ones to call.
	slices.SortStableFunc(data.Chase, func(a, b dashboardRow) int { return assess.ChaseOrder(a.DashboardRow, b.DashboardRow) })
	data.Downloads = pg.roundDownloads(c, round.ID)
	pg.render(c, http.StatusOK, "dashboard", data)
}

// statusRank orders statuses from the least to the most advanced.
var statusRank = map[string]int{survey.StatusNotStarted: 0, statusReopened: 1, survey.StatusInProgress: 2, survey.StatusReady: 3, survey.StatusSubmitted: 4}

// dashboardOrder is the comparison of a sort choice; every order ends on
// the department code, so the page is stable.
func dashboardOrder(sort string) func(a, b dashboardRow) int {
	byCode := func(a, b dashboardRow) int { return cmp.Compare(a.Code, b.Code) }
	updated := func(r dashboardRow) int64 {
		if r.UpdatedAt == nil {
			return 0
		}
		return r.UpdatedAt.Unix()
	}
	switch sort {
	case "progress":
		return func(a, b dashboardRow) int { return cmp.Or(cmp.Compare(a.Answered, b.Answered), byCode(a, b)) }
	case "progress_desc":
		return func(a, b dashboardRow) int { return cmp.Or(cmp.Compare(b.Answered, a.Answered), byCode(a, b)) }
	case "last_change":
		return func(a, b dashboardRow) int { return cmp.Or(cmp.Compare(updated(b), updated(a)), byCode(a, b)) }
	case "stale":
		return func(a, b dashboardRow) int { return cmp.Or(cmp.Compare(updated(a), updated(b)), byCode(a, b)) }
	case "status":
		return func(a, b dashboardRow) int {
			return cmp.Or(cmp.Compare(statusRank[a.Shown()], statusRank[b.Shown()]), byCode(a, b))
		}
	}
	return byCode
}

// downloadChase is the to-chase list as a workbook.
func (pg *Pages) downloadChase(c *gin.Context) {
	wb, err := pg.svc.ChaseWorkbook(c, httpx.Principal(c), c.Param("round"), c.Query("lang"))
	pg.sendWorkbook(c, wb, err)
}
