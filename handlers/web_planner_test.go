package handlers_test

import (
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Answer texts the planner page must never show.
const (
	plannerComment  = "PLANNER-COMMENT-MARKER-v4t"
	plannerEvidence = "PLANNER-EVIDENCE-MARKER-v4t"
	plannerReason   = "PLANNER-REASON-MARKER-v4t"
)

// plannerWorld is the planner page's fixture on the small questionnaire
// (cs-iam has target 4, the other areas 3):
//
//	round r2025 (closed before r2026 opens), all submitted:
//	  AAA (Bureau A) iam 1, cloud 1, gov 3
//	  BBB (Bureau A) iam 2, cloud 2, gov 3
//	  CCC (Bureau B) iam 3, cloud 3, gov 3
//	round r2026 (open):
//	  AAA iam 2, cloud 1, gov 3 (submitted)
//	  BBB iam 3, cloud 4, gov 1 (submitted)
//	  CCC iam 4, cloud N/A, gov 2 (submitted)
//	  DDD (Bureau B) still answering
//	round r2027 (open, nothing submitted)
//
// Against the common baseline 3, r2026 ranks ds-gov (gap 3: BBB, CCC),
// cs-cloud (gap 2: AAA), cs-iam (gap 1: AAA; its own target 4 adds a stretch
// gap of 2, shown apart). Means moved: iam 2 → 3, cloud 2 → 2.5, gov 3 → 2.
type plannerWorld struct {
	h       *harness
	planner string
	tokens  map[string]string
}

func newPlannerWorld(t *testing.T, h *harness) *plannerWorld {
	t.Helper()
	pw := &plannerWorld{h: h, tokens: map[string]string{}}
	for code, bureau := range map[string]string{"AAA": "Bureau A", "BBB": "Bureau A", "CCC": "Bureau B", "DDD": "Bureau B"} {
		h.must(http.StatusCreated, "POST", "/api/v1/departments", h.admin,
			map[string]any{"code": code, "name_en": code + " Department", "name_zh": code + "署", "bureau": bureau})
		pw.tokens[code] = h.credential("respondent", code)
	}
	pw.planner = h.credential("planner", "")
	h.must(http.StatusCreated, "POST", "/api/v1/rounds", h.admin, map[string]any{
		"id": "r2025", "title_en": "Round 2025", "title_zh": "2025輪", "questionnaire": "small",
		"opens_at": "2025-01-01T00:00:00Z", "closes_at": "2025-03-01T00:00:00Z"})
	h.must(http.StatusOK, "PATCH", "/api/v1/rounds/r2025", h.admin, map[string]any{"state": "open"})
	h.clock.Set(time.Date(2025, 2, 1, 10, 0, 0, 0, time.UTC)) // last year, within that round's dates
	pw.answer("r2025", "AAA", 1, 1, 3, true)
	pw.answer("r2025", "BBB", 2, 2, 3, true)
	pw.answer("r2025", "CCC", 3, 3, 3, true)
	h.clock.Set(defaultTestNow)
	h.must(http.StatusOK, "PATCH", "/api/v1/rounds/r2025", h.admin, map[string]any{"state": "closed"})

	h.round("r2026", "small", true)
	pw.answer("r2026", "AAA", 2, 1, 3, true)
	pw.answer("r2026", "BBB", 3, 4, 1, true)
	pw.answer("r2026", "CCC", 4, -1, 2, true)
	pw.answer("r2026", "DDD", 0, -1, 0, false)
	h.round("r2027", "small", true)
	return pw
}

// answer gives every question of an area its level (cloud -1: N/A), each
// answer carrying the marker texts, and submits when asked.
func (pw *plannerWorld) answer(round, dept string, iam, cloud, gov int, submit bool) {
	pw.h.t.Helper()
	answers := map[string]any{}
	for qid, level := range map[string]int{"cs-iam-1": iam, "cs-iam-2": iam, "cs-cloud-1": cloud, "cs-cloud-2": cloud, "ds-gov-1": gov, "ds-gov-2": gov} {
		if level < 0 {
			answers[qid] = map[string]any{"na": true, "na_reason": plannerReason, "comment": plannerComment}
		} else {
			answers[qid] = map[string]any{"level": level, "comment": plannerComment, "evidence": plannerEvidence}
		}
	}
	base := "/api/v1/rounds/" + round + "/responses/" + dept
	pw.h.must(http.StatusOK, "PATCH", base, pw.tokens[dept], map[string]any{"answers": answers})
	if submit {
		pw.h.must(http.StatusOK, "POST", base+"/submit", pw.tokens[dept], nil)
	}
}

var (
	rankingRow = regexp.MustCompile(`<tr data-area="([a-z0-9-]+)" data-rank="(\d+)"`)
	topTopic   = regexp.MustCompile(`<li data-area="([a-z0-9-]+)">`)
	hrefOf     = regexp.MustCompile(`href="([^"]+)"`)
)

// pageRanking is the area ids of a planner page's ranking table, in order,
// checking that the ranks run 1, 2, 3…
func pageRanking(t *testing.T, page string) []string {
	t.Helper()
	var areas []string
	for i, m := range rankingRow.FindAllStringSubmatch(page, -1) {
		if m[2] != strconv.Itoa(i+1) {
			t.Fatalf("rank %s in row %d", m[2], i+1)
		}
		areas = append(areas, m[1])
	}
	return areas
}

// section is the HTML of the element with the id up to the next section.
func section(t *testing.T, page, id string) string {
	t.Helper()
	_, rest, ok := strings.Cut(page, `id="`+id+`"`)
	if !ok {
		t.Fatalf("no element %s on the page", id)
	}
	end := strings.Index(rest, "</section>")
	if end < 0 {
		end = len(rest)
	}
	return rest[:end]
}

// jsonTopics is the ranking's JSON, as the API and the page's JSON link serve it.
type jsonTopics struct {
	Round    string `json:"round"`
	Previous string `json:"previous_round"`
	Topics   []struct {
		Rank        int      `json:"rank"`
		Area        string   `json:"area"`
		TopicEN     string   `json:"topic_en"`
		TopicZH     string   `json:"topic_zh"`
		BelowTarget []string `json:"below_target"`
		TotalGap    float64  `json:"total_gap"`
		Change      *float64 `json:"change"`
	} `json:"topics"`
}

func TestWebPlannerPage(t *testing.T) {
	h := newHarness(t)
	pw := newPlannerWorld(t, h)
	plan := h.browser().signIn(pw.planner)
	const page = "/planner/rounds/r2026"

	t.Run("the ranking, the facts and the chart", func(t *testing.T) {
		body := plan.page(http.StatusOK, page)
		if got := strings.Join(pageRanking(t, body), " "); got != "ds-gov cs-cloud cs-iam" {
			t.Fatalf("ranking %s", got)
		}
		for _, want := range []string{
			`<html lang="en">`, "Seminar topics · Round r2026", `id="submitted-count">3 of 4<`, "Round 2025 (r2025)",
			"Access control for leaders", // the seminar topic in English
			`<span aria-hidden="true">▲</span> &#43;1.00<span class="visually-hidden"> improved</span>`,
			`<span aria-hidden="true">▼</span> −1.00<span class="visually-hidden"> declined</span>`,
			`role="img" aria-labelledby="gap-chart-title" aria-describedby="gap-chart-desc gap-chart-note"`,
			`<title id="gap-chart-title">Total gap by seminar topic</title>`,
		} {
			if !strings.Contains(body, want) {
				t.Errorf("the page lacks %q", want)
			}
		}
		if strings.Contains(body, "style=") {
			t.Error("the page has a style attribute, which the CSP refuses")
		}
		if n := strings.Count(body, `class="chart-bar"`); n != 3 {
			t.Errorf("%d bars, want 3", n)
		}
		if top := topTopic.FindAllStringSubmatch(section(t, body, "top-heading"), -1); len(top) != 3 || top[0][1] != "ds-gov" {
			t.Errorf("topics to schedule: %v", top)
		}
		weak := section(t, body, "weak-heading")
		for _, want := range []string{"Round 2025", "&#43;1.00 improved", "&#43;0.50 improved"} {
			if !strings.Contains(weak, want) {
				t.Errorf("last round's weakest areas lack %q:\n%s", want, weak)
			}
		}
	})

	t.Run("the heatmap", func(t *testing.T) {
		heat := section(t, plan.page(http.StatusOK, page), "heatmap-heading")
		for _, want := range []string{
			`<th scope="col" data-area="cs-iam"><span class="area-title">Identity and access</span></th>`,
			`<tr data-dept="AAA">`, `<tr data-dept="CCC">`,
			`<td class="heat heat-2 below">2.00<span class="visually-hidden"> below target</span></td>`,
			`<td class="heat heat-na">N/A</td>`,
			`role="region" aria-labelledby="heatmap-caption" tabindex="0"`,
		} {
			if !strings.Contains(heat, want) {
				t.Errorf("the heatmap lacks %q:\n%s", want, heat)
			}
		}
		if strings.Contains(heat, `data-dept="DDD"`) {
			t.Error("the heatmap shows a department that has not submitted")
		}
	})

	t.Run("the heatmap groups by bureau, sorts by score and filters below target", func(t *testing.T) {
		rows := func(body string) string {
			return strings.Join(regexp.MustCompile(`<tr data-dept="([A-Z]+)">`).FindAllString(section(t, body, "heatmap-heading"), -1), " ")
		}
		grouped := plan.page(http.StatusOK, page+"?heat_sort=bureau")
		if !strings.Contains(section(t, grouped, "heatmap-heading"), `<tr class="heat-group"><th scope="colgroup"`) {
			t.Errorf("no bureau groups:\n%s", section(t, grouped, "heatmap-heading"))
		}
		byScore := plan.page(http.StatusOK, page+"?heat_sort=score")
		if rows(byScore) == rows(grouped) && rows(byScore) == "" {
			t.Error("no rows")
		}
		below := plan.page(http.StatusOK, page+"?heat_below=1")
		for _, m := range regexp.MustCompile(`(?s)<tr data-dept="[A-Z]+">.*?</tr>`).FindAllString(section(t, below, "heatmap-heading"), -1) {
			if !strings.Contains(m, " below\"") && !strings.Contains(m, " below\">") {
				t.Errorf("a row without a score below target under 'below target only': %s", m)
			}
		}
		if !strings.Contains(below, `id="f-heat-below" name="heat_below" value="1" checked`) {
			t.Error("the filter is not shown as chosen")
		}
	})

	t.Run("filters recompute the ranks", func(t *testing.T) {
		body := plan.page(http.StatusOK, page+"?bureau="+url.QueryEscape("Bureau B"))
		if got := strings.Join(pageRanking(t, body), " "); got != "ds-gov cs-cloud cs-iam" {
			t.Fatalf("Bureau B ranking %s", got)
		}
		for _, want := range []string{`<option value="Bureau B" selected>`, `id="submitted-count">1 of 2<`, "Bureau: Bureau B"} {
			if !strings.Contains(body, want) {
				t.Errorf("filtered page lacks %q", want)
			}
		}
		if strings.Contains(section(t, body, "heatmap-heading"), `data-dept="AAA"`) {
			t.Error("the heatmap shows another bureau")
		}
		body = plan.page(http.StatusOK, page+"?domain=ds")
		if got := strings.Join(pageRanking(t, body), " "); got != "ds-gov" {
			t.Fatalf("ds ranking %s", got)
		}
		plan.page(http.StatusUnprocessableEntity, page+"?domain=nope")
	})

	t.Run("the invitation list", func(t *testing.T) {
		body := plan.page(http.StatusOK, page)
		link := `href="/planner/rounds/r2026?topic=ds-gov#invite"`
		if !strings.Contains(body, link) {
			t.Fatalf("no invitation link %s", link)
		}
		invite := section(t, plan.page(http.StatusOK, page+"?topic=ds-gov"), "invite-heading")
		rows := regexp.MustCompile(`<tr data-dept="([A-Z]+)"><th scope="row">[A-Z]+ <span class="dept-name">[^<]+</span></th><td>([^<]+)</td><td class="num">([0-9.]+)</td>`).FindAllStringSubmatch(invite, -1)
		if len(rows) != 2 || rows[0][1] != "BBB" || rows[0][3] != "1.00" || rows[1][1] != "CCC" || rows[1][2] != "Bureau B" {
			t.Fatalf("invitation list %v:\n%s", rows, invite)
		}
		if !strings.Contains(invite, "Departments to invite: Leading data governance") {
			t.Errorf("invitation heading:\n%s", invite)
		}
		// Filters carry the chosen topic along, and a topic outside the
		// selection says so.
		body = plan.page(http.StatusOK, page+"?bureau="+url.QueryEscape("Bureau B")+"&topic=ds-gov")
		if rows := strings.Count(section(t, body, "invite-heading"), `<tr data-dept=`); rows != 1 {
			t.Fatalf("Bureau B invitation list has %d rows", rows)
		}
		if !strings.Contains(plan.page(http.StatusOK, page+"?domain=cs&topic=ds-gov"), `id="invite-missing"`) {
			t.Error("a topic outside the selection is not reported")
		}
	})

	t.Run("page, JSON and workbook agree", func(t *testing.T) {
		for _, filter := range []string{"", "bureau=" + url.QueryEscape("Bureau B"), "domain=cs"} {
			for _, lang := range []string{"en", "zh"} {
				b := h.browser().signIn(pw.planner)
				if lang == "zh" {
					b.acceptLanguage = "zh-HK"
				}
				p := page
				if filter != "" {
					p += "?" + filter
				}
				body := b.page(http.StatusOK, p)
				onPage := pageRanking(t, body)
				var top3Page []string
				for _, m := range topTopic.FindAllStringSubmatch(section(t, body, "top-heading"), -1) {
					top3Page = append(top3Page, m[1])
				}
				api := decode[jsonTopics](t, h.must(http.StatusOK, "GET", "/api/v1/rounds/r2026/topics?"+filter, pw.planner, nil))
				// The page's own JSON link serves the same.
				var fromLink jsonTopics
				downloads := section(t, body, "planner-downloads")
				var xlsx, jsonLink string
				for _, m := range hrefOf.FindAllStringSubmatch(downloads, -1) {
					u := html.UnescapeString(m[1])
					switch {
					case strings.Contains(u, "topics.xlsx"):
						xlsx = u
					case strings.Contains(u, "topics.json"):
						jsonLink = u
					}
				}
				if xlsx == "" || jsonLink == "" {
					t.Fatalf("downloads: %s", downloads)
				}
				rec := b.get(jsonLink)
				if rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), &fromLink) != nil {
					t.Fatalf("%s: %d %s", jsonLink, rec.Code, rec.Body.String())
				}
				rec = b.get(xlsx)
				if rec.Code != http.StatusOK {
					t.Fatalf("%s: %d", xlsx, rec.Code)
				}
				f := openWorkbook(t, rec.Body.Bytes())
				rows, err := f.GetRows(f.GetSheetName(0))
				if err != nil {
					t.Fatal(err)
				}
				if len(api.Topics) != len(onPage) || len(fromLink.Topics) != len(onPage) || len(rows) < 4+len(onPage) {
					t.Fatalf("%s %s: page %d topics, JSON %d, link %d, workbook %d rows", filter, lang, len(onPage), len(api.Topics), len(fromLink.Topics), len(rows))
				}
				if lang == "zh" && !strings.Contains(body, `<html lang="zh-Hant">`) {
					t.Fatalf("not a Chinese page")
				}
				gapped := 0
				for i, area := range onPage {
					jt := api.Topics[i]
					wb := rows[4+i] // header on row 4
					if jt.Area != area || fromLink.Topics[i].Area != area || wb[0] != strconv.Itoa(jt.Rank) || wb[3] != jt.TopicEN {
						t.Fatalf("%s %s: row %d: page %s, JSON %s (%s), link %s, workbook %v", filter, lang, i+1, area, jt.Area, jt.TopicEN, fromLink.Topics[i].Area, wb)
					}
					topic := jt.TopicEN
					if lang == "zh" {
						topic = jt.TopicZH
					}
					if !strings.Contains(body, "<th scope=\"row\">"+html.EscapeString(topic)+"</th>") {
						t.Fatalf("%s %s: the page does not show the topic %q", filter, lang, topic)
					}
					if jt.TotalGap > 0 && gapped < 3 {
						if gapped >= len(top3Page) || top3Page[gapped] != area {
							t.Fatalf("%s %s: topics to schedule %v, ranking %v", filter, lang, top3Page, onPage)
						}
						gapped++
					}
				}
				if len(top3Page) != gapped {
					t.Fatalf("%s %s: %d topics to schedule, %d with a gap", filter, lang, len(top3Page), gapped)
				}
			}
		}
	})

	t.Run("both languages", func(t *testing.T) {
		zh := h.browser().signIn(pw.planner)
		zh.acceptLanguage = "zh-Hant-HK"
		body := zh.page(http.StatusOK, page)
		for _, want := range []string{`<html lang="zh-Hant">`, "研討會主題 · r2026輪", "領導者的存取控制", "身分及存取", "不適用", "上升", "應邀請的部門"} {
			if !strings.Contains(body, want) {
				t.Errorf("the Chinese page lacks %q", want)
			}
		}
		if strings.Contains(body, "Departments to invite") {
			t.Error("the Chinese page has English labels")
		}
	})

	t.Run("no earlier round, and none submitted", func(t *testing.T) {
		body := plan.page(http.StatusOK, "/planner/rounds/r2025")
		if !strings.Contains(body, `id="previous-round">No earlier round<`) || !strings.Contains(body, `id="weak-none"`) {
			t.Errorf("r2025 page does not say there is no earlier round")
		}
		body = plan.page(http.StatusOK, "/planner/rounds/r2027")
		if !strings.Contains(body, `id="planner-empty"`) || strings.Contains(body, `id="ranking"`) || !strings.Contains(body, `id="submitted-count">0 of 4<`) {
			t.Errorf("empty round page:\n%s", body)
		}
		plan.page(http.StatusNotFound, "/planner/rounds/nope")
	})

	t.Run("planners never see answer text", func(t *testing.T) {
		for _, p := range []string{page, page + "?topic=cs-cloud", page + "?topic=cs-iam&bureau=Bureau+A", "/planner/rounds/r2025", page + "/topics.json", "/"} {
			body := plan.page(http.StatusOK, p)
			for _, m := range []string{plannerComment, plannerEvidence, plannerReason} {
				if strings.Contains(body, m) {
					t.Errorf("%s shows %s", p, m)
				}
			}
		}
		// The markers are there to find: the department sees its own.
		if rec := h.request("GET", "/api/v1/rounds/r2026/responses/CCC", pw.tokens["CCC"], nil); !strings.Contains(rec.Body.String(), plannerReason) {
			t.Fatal("the fixture has no markers")
		}
	})

	t.Run("who may open it", func(t *testing.T) {
		resp := h.browser().signIn(pw.tokens["AAA"])
		for _, p := range []string{page, page + "/topics.json"} {
			rec := resp.get(p)
			if rec.Code != http.StatusForbidden || !strings.Contains(rec.Header().Get("Content-Type"), "text/html") ||
				!strings.Contains(rec.Body.String(), "Not allowed") {
				t.Errorf("respondent %s: %d %s", p, rec.Code, rec.Header().Get("Content-Type"))
			}
		}
		if rec := h.browser().get(page); rec.Code != http.StatusSeeOther || !strings.HasPrefix(rec.Header().Get("Location"), "/login") {
			t.Errorf("signed out: %d %s", rec.Code, rec.Header().Get("Location"))
		}
		admin := h.browser().signIn(h.admin)
		if body := admin.page(http.StatusOK, page); !strings.Contains(body, `href="/admin/rounds/r2026"`) {
			t.Error("the administrator's page does not lead back to the dashboard")
		}
		if dash := admin.page(http.StatusOK, "/admin/rounds/r2026"); !strings.Contains(dash, `href="/planner/rounds/r2026"`) {
			t.Error("the dashboard does not link the planner page")
		}
		if home := plan.page(http.StatusOK, "/"); !strings.Contains(home, `href="/planner/rounds/r2026"`) {
			t.Error("the planner's start page does not link the planner page")
		}
	})
}
