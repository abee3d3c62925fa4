// Package reports writes the Excel workbooks of the self-assessment:
// the maturity report of one department and the consolidated
// government-wide workbook. It takes survey values and writes xlsx bytes to
// an io.Writer; it knows nothing of HTTP or the store, so the handlers
// decide who may download what and feed it data from one cursor.
package reports

import (
	"fmt"

	"github.com/dpo/dgsurvey/survey"
	"github.com/dpo/dgsurvey/survey/wording"
)

// label is one fixed workbook text in both languages. Questionnaire texts
// (titles, level names, descriptors, topics) come from the questionnaire
// itself; only the workbook's own furniture lives here.
type label struct{ en, zh string }

// shared is a label the pages show too, taken from the shared catalogue
// (survey/wording) so that the two cannot drift. A key missing there shows
// as itself, as tr does.
func shared(key string) label {
	en, zh, ok := wording.Pair(key)
	if !ok {
		return label{key, key}
	}
	return label{en, zh}
}

// labels is the workbook's vocabulary, keyed by a stable id so that the
// code reads as what it shows and a missing key fails loudly in tests.
// Labels the pages show too are shared(…) entries: their text is written
// once, in survey/wording.
var labels = map[string]label{
	// Sheet names (all well under Excel's 31-character limit).
	"sheet.summary": {"Summary", "摘要"},
	"sheet.gaps":    {"Gaps", "差距"},
	"sheet.trend":   {"Trend", "趨勢"},
	"sheet.status":  {"Status", "進度"},
	"sheet.heatmap": {"Heatmap", "熱圖"},
	"sheet.areas":   {"Areas", "能力範疇統計"},
	"sheet.plan":    {"Action plan", "行動計劃"},
	"sheet.domains": {"Domains", "範疇"},
	"sheet.bureaux": {"Bureaux", "決策局"},
	"sheet.topics":  {"Topics", "研討會主題"},
	"sheet.answers": shared(wording.Answers),

	// Summary.
	"report.title":       {"Digital government capability self-assessment: maturity report", "數字政府能力自我評估：成熟度報告"},
	"consolidated.title": {"Digital government capability self-assessment: government-wide results", "數字政府能力自我評估：全政府結果"},
	"dept.code":          {"Department code", "部門代號"},
	"dept.name":          shared(wording.Department),
	"dept.bureau":        shared(wording.Bureau),
	"round.id":           shared(wording.Round),
	"round.title":        {"Round title", "評估輪次名稱"},
	"questionnaire":      shared(wording.Questionnaire),
	"status":             {"Status", "狀態"},
	"submitted.at":       shared(wording.SubmittedAt),
	"submitted.by":       {"Submitted by", "提交者"},
	"overall.score":      {"Overall score", "整體分數"},
	"overall.level":      {"Overall level", "整體級別"},
	"overall.govmean":    {"Government mean (overall)", "政府平均（整體）"},
	"generated.at":       {"Generated at", "產生時間"},
	"domains":            shared(wording.DomainScores),
	"areas":              shared(wording.AreaScores),
	"top.gaps":           {"Five largest gaps", "五大差距"},
	"chart.title":        {"Maturity by capability area (0–5)", "各能力範疇成熟度（0–5）"},
	"chart.alt": {"Radar chart of %s's maturity in each of the %d capability areas on the 0–5 scale, with the government mean where shown and the target (dashed).",
		"%s在 %d 個能力範疇的成熟度雷達圖（0–5 級），並列政府平均（如顯示）及目標（虛線）。"},
	"summary.title":     {"Maturity report: %s (%s)", "成熟度報告：%s（%s）"},
	"summary.submitted": {"Submitted %s by %s.", "已於 %s 由 %s 提交。"},
	"summary.draft": {"DRAFT – %s, not submitted: %d of %d questions answered. Every figure is provisional.",
		"草稿 – %s，尚未提交：已回答 %d 題，共 %d 題。所有數字均屬暫定。"},
	"headline.none":      {"No capability area has a score yet.", "尚未有能力範疇有分數。"},
	"headline.overall":   {"Overall %.2f (%s)", "整體 %.2f（%s）"},
	"headline.gov":       {"government mean %.2f", "政府平均 %.2f"},
	"headline.below":     {"%d of %d scored areas below target", "%d 個（共 %d 個有分數的）能力範疇低於目標"},
	"headline.mandatory": {"%d mandatory question(s) below level %d", "%d 條必答問題低於第 %d 級"},
	"answered":           {"Answered", "已回答"},
	"answered.of":        {"%d of %d", "%d 題（共 %d 題）"},
	"noncompliant":       {"Mandatory questions below level %d (non-compliant)", "低於第 %d 級的必答問題（未遵從）"},
	"no.noncompliant":    {"None: every mandatory question answered is at level 3 or above.", "沒有：已回答的必答問題均達第 3 級或以上。"},
	"more.in.plan":       {"… and %d more: see the Action plan.", "……另有 %d 條：見行動計劃。"},
	"mandatory":          {"Mandatory", "必答"},
	"plan.not.started":   shared(wording.StatusNotStarted),
	"plan.in.progress":   shared(wording.StatusInProgress),
	"plan.done":          {"Done", "已完成"},
	"plan.status.error":  {"Choose Not started, In progress or Done.", "請選擇「未開始」、「進行中」或「已完成」。"},
	"plan.due.error":     {"Enter a date, e.g. 2026-12-31.", "請輸入日期，例如 2026-12-31。"},
	"no.plan":            {"No answered question is below its area's target.", "沒有已回答的問題低於其能力範疇的目標。"},
	"trend.chart":        {"Overall and domain scores by round (0–5)", "各輪次整體及範疇分數（0–5）"},
	"trend.alt":          {"Line chart of %s's overall and domain scores across %d rounds on the 0–5 scale.", "%s在 %d 個評估輪次的整體及範疇分數折線圖（0–5 級）。"},
	"page.of":            {"Page &P of &N", "第 &P 頁，共 &N 頁"},
	"page.dept":          {"Round %s · %s", "評估輪次 %s · %s"},
	"page.round":         {"Round %s", "評估輪次 %s"},
	"cons.sheet.title":   {"%s – round %s (%s), %s; generated %s", "%s – 評估輪次 %s（%s），%s；產生時間 %s"},
	"heatmap.col":        {"%s\n%s · target %d", "%s\n%s · 目標 %d"},
	"trend.cons.alt":     {"Line chart of the government mean overall and per domain across rounds on the 0–5 scale.", "各評估輪次政府整體及各範疇平均分數折線圖（0–5 級）。"},

	// Column headers.
	"col.domain":        shared(wording.Domain),
	"col.area":          shared(wording.Area),
	"col.area.id":       {"Area id", "能力範疇代號"},
	"col.score":         shared(wording.Score),
	"col.level":         shared(wording.Level),
	"col.govmean":       {"Government mean", "政府平均"},
	"col.target":        shared(wording.Target),
	"col.gap":           shared(wording.Gap),
	"col.topic":         shared(wording.Topic),
	"col.dept":          {"This department", "本部門"},
	"col.question.id":   {"Question id", "問題代號"},
	"col.question":      {"Question", "問題"},
	"col.chosen":        {"Chosen level", "所選級別"},
	"col.na.reason":     {"N/A reason", "不適用原因"},
	"col.comment":       shared(wording.Comment),
	"col.evidence":      shared(wording.Evidence),
	"col.previous":      {"Previous round (%s)", "上一輪（%s）"},
	"col.current":       {"This round (%s)", "本輪（%s）"},
	"col.change":        shared(wording.Change),
	"col.code":          shared(wording.Code),
	"col.name":          {"Name", "名稱"},
	"col.bureau":        shared(wording.Bureau),
	"col.status":        {"Status", "狀態"},
	"col.answered":      {"Answered", "已回答"},
	"col.total":         {"Questions", "問題數目"},
	"col.progress":      shared(wording.Progress),
	"col.updated":       {"Updated at", "更新時間"},
	"col.submitted":     shared(wording.SubmittedAt),
	"col.overall":       shared(wording.Overall),
	"col.n":             {"Departments (n)", "部門數目 (n)"},
	"col.mean":          {"Mean", "平均"},
	"col.median":        {"Median", "中位數"},
	"col.p25":           {"25th percentile", "第25百分位"},
	"col.p75":           {"75th percentile", "第75百分位"},
	"col.min":           {"Min", "最低"},
	"col.max":           {"Max", "最高"},
	"col.rank":          shared(wording.Rank),
	"col.mean.score":    shared(wording.MeanScore),
	"col.total.gap":     shared(wording.TotalGap),
	"col.below.n":       shared(wording.BelowTarget),
	"col.below":         {"Departments below target (codes)", "低於目標的部門（代號）"},
	"col.assessed":      {"Departments with a score", "有分數的部門數目"},
	"col.level.name":    {"Level name", "級別名稱"},
	"col.label":         {"Chart label", "圖表標籤"},
	"col.mandatory":     {"Mandatory", "必答"},
	"col.reference":     {"Reference", "參考框架"},
	"col.priority":      {"Priority", "優先次序"},
	"col.current.level": {"Current level", "現時級別"},
	"col.next.step":     {"Recommended next step (next level)", "建議下一步（下一級別）"},
	"col.owner":         {"Owner", "負責人"},
	"col.due":           {"Due date", "完成日期"},
	"col.plan.status":   {"Status", "狀態"},
	"col.item":          {"Item", "項目"},
	"col.id":            {"Id", "代號"},
	"col.change.since":  {"Change since %s", "與 %s 比較的變化"},
	"col.below.target":  {"Below target (n)", "低於目標（數目）"},
	"col.stdev":         {"Standard deviation", "標準差"},
	"col.departments":   {"Departments", "部門數目"},
	"row.target":        {"Target", "目標"},
	"row.govmean":       {"Government mean", "政府平均"},
	"no.themes":         {"No theme ranking yet: no department has submitted, or the questionnaire has no themes.", "尚未有主題類別排名：未有部門提交，或問卷沒有主題類別。"},

	// Values.
	"na":              shared(wording.NA),
	"all.na":          {"All N/A", "全部不適用"},
	"not.answered":    shared(wording.NotAnswered),
	"no.score":        shared(wording.NoScore),
	"no.gaps":         {"No capability area is below its target.", "沒有能力範疇低於目標。"},
	"no.scores":       {"No capability area has a score yet.", "尚未有能力範疇有分數。"},
	"topics.title":    {"Seminar topic ranking, round %s", "研討會主題排名（%s 輪）"},
	"topics.all":      shared(wording.AllDomainsBureaux),
	"topics.bureau":   shared(wording.Bureau),
	"topics.previous": {"change compared with round %s", "變化與 %s 輪比較"},
	"topics.chart":    {"Total gap to target by topic", "各主題與目標的總差距"},
	"topics.alt":      {"Bar chart of the total gap to target of each of the %d seminar topics, largest first.", "%d 個研討會主題與目標的總差距棒形圖，由大至小排列。"},
	"no.topics":       {"No topic ranking yet: no department has submitted.", "尚未有主題排名：未有部門提交。"},
	"no.previous":     {"No earlier round to compare with.", "沒有較早的評估輪次可供比較。"},
	"not.in.prev":     {"Not assessed then", "當時未有評估"},
	"not.submitted":   {"Not submitted", "未提交"},

	// Response statuses.
	"status." + survey.StatusNotStarted: shared(wording.StatusNotStarted),
	"status." + survey.StatusInProgress: shared(wording.StatusInProgress),
	"status." + survey.StatusSubmitted:  shared(wording.StatusSubmitted),
	"status." + survey.StatusReady:      shared(wording.StatusReady),

	// Seminar planner: fair ranking, themes, invitations.
	"col.stretch.gap":    {"Stretch gap (own target above the baseline)", "進階差距（範疇目標高於基線）"},
	"col.noncompliant.n": {"Departments non-compliant (mandatory question below 3)", "未符合強制要求的部門（強制問題低於第 3 級）"},
	"col.below.share":    {"Share of departments below the baseline", "低於基線的部門比例"},
	"col.theme":          {"Seminar theme", "研討會主題系列"},
	"col.theme.seminar":  {"Seminar", "研討會"},
	"col.areas":          {"Capability areas", "能力範疇"},
	"col.contacts":       {"Contacts (name, e-mail)", "聯絡人（姓名、電郵）"},
	"col.attended":       {"Attended", "已出席"},
	"col.below.areas":    {"Below the baseline in", "低於基線的範疇"},
	"col.mean.areas":     {"Mean score in the seminar's areas", "於研討會範疇的平均分數"},
	"col.gap.areas":      {"Gap to the baseline in those areas", "與基線的差距"},
	"sheet.themes":       {"Themes", "主題系列"},
	"sheet.invitations":  {"Invitations", "邀請名單"},
	"topics.baseline":    {"gaps against the baseline level %d", "差距以基線第 %d 級計算"},
	"themes.title":       {"Seminar theme ranking, round %s", "研討會主題系列排名（%s 輪）"},
	"themes.chart":       {"Total gap to the baseline by theme", "各主題系列與基線的總差距"},
	"invitations.title":  {"Invitations: %s", "邀請名單：%s"},
	"invitations.scope":  {"Departments below the baseline level %d in the seminar's areas in round %s, weakest first", "低於基線第 %d 級的部門（研討會範疇，%s 輪），最弱者先列"},
	"invitations.none":   {"No department is below the baseline in the seminar's areas.", "沒有部門於研討會範疇低於基線。"},
	"invitations.date":   {"Date", "日期"},
	"yes":                {"Yes", "是"},
	"no":                 {"No", "否"},
	// Round states.
	"state." + survey.RoundDraft:  shared(wording.StateDraft),
	"state." + survey.RoundOpen:   shared(wording.StateOpen),
	"state." + survey.RoundClosed: shared(wording.StateClosed),

	// Document properties.
	"props.dept.title":  {"Maturity report: %s (%s), round %s", "成熟度報告：%s（%s），評估輪次 %s"},
	"props.cons.title":  {"Government-wide maturity results, round %s", "全政府成熟度結果，評估輪次 %s"},
	"props.description": {"Generated by the digital government capability self-assessment service.", "由數字政府能力自我評估服務產生。"},
}

// tr returns the label key in lang. An unknown key returns the key itself,
// which the golden files would show at once.
func tr(lang, key string) string {
	l, ok := labels[key]
	if !ok {
		return key
	}
	if lang == survey.LangZH {
		return l.zh
	}
	return l.en
}

// trf formats the label key in lang with args.
func trf(lang, key string, args ...any) string { return fmt.Sprintf(tr(lang, key), args...) }

// normLang maps anything but Chinese to English, as survey.Text.In does.
func normLang(lang string) string {
	if lang == survey.LangZH {
		return survey.LangZH
	}
	return survey.LangEN
}

// docLanguage is the document's language tag for its properties.
func docLanguage(lang string) string {
	if lang == survey.LangZH {
		return "zh-HK"
	}
	return "en-HK"
}

// statusLabel returns a response status in lang; an unknown status is shown
// as stored rather than hidden.
func statusLabel(lang, status string) string {
	if _, ok := labels["status."+status]; ok {
		return tr(lang, "status."+status)
	}
	return status
}

// levelText is how a level is shown next to a score: "3 – Defined".
func levelText(q *survey.Questionnaire, lang string, level *int) string {
	if level == nil {
		return ""
	}
	return fmt.Sprintf("%d – %s", *level, q.LevelName(*level, lang))
}
