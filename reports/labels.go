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
	"sheet.areas":   {"Areas", "範疇統計"},
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

	// Column headers.
	"col.domain":      shared(wording.Domain),
	"col.area":        shared(wording.Area),
	"col.area.id":     {"Area id", "範疇代號"},
	"col.score":       shared(wording.Score),
	"col.level":       shared(wording.Level),
	"col.govmean":     {"Government mean", "政府平均"},
	"col.target":      shared(wording.Target),
	"col.gap":         shared(wording.Gap),
	"col.topic":       shared(wording.Topic),
	"col.dept":        {"This department", "本部門"},
	"col.question.id": {"Question id", "問題代號"},
	"col.question":    {"Question", "問題"},
	"col.chosen":      {"Chosen level", "所選級別"},
	"col.na.reason":   {"N/A reason", "不適用原因"},
	"col.comment":     shared(wording.Comment),
	"col.evidence":    shared(wording.Evidence),
	"col.previous":    {"Previous round (%s)", "上一輪（%s）"},
	"col.current":     {"This round (%s)", "本輪（%s）"},
	"col.change":      shared(wording.Change),
	"col.code":        shared(wording.Code),
	"col.name":        {"Name", "名稱"},
	"col.bureau":      shared(wording.Bureau),
	"col.status":      {"Status", "狀態"},
	"col.answered":    {"Answered", "已回答"},
	"col.total":       {"Questions", "問題數目"},
	"col.progress":    shared(wording.Progress),
	"col.updated":     {"Updated at", "更新時間"},
	"col.submitted":   shared(wording.SubmittedAt),
	"col.overall":     shared(wording.Overall),
	"col.n":           {"Departments (n)", "部門數目 (n)"},
	"col.mean":        {"Mean", "平均"},
	"col.median":      {"Median", "中位數"},
	"col.p25":         {"25th percentile", "第25百分位"},
	"col.p75":         {"75th percentile", "第75百分位"},
	"col.min":         {"Min", "最低"},
	"col.max":         {"Max", "最高"},
	"col.rank":        shared(wording.Rank),
	"col.mean.score":  shared(wording.MeanScore),
	"col.total.gap":   shared(wording.TotalGap),
	"col.below.n":     shared(wording.BelowTarget),
	"col.below":       {"Departments below target (codes)", "低於目標的部門（代號）"},
	"col.assessed":    {"Departments with a score", "有分數的部門數目"},

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
	"no.topics":       {"No topic ranking yet: no department has submitted.", "尚未有主題排名：未有部門提交。"},
	"no.previous":     {"No earlier round to compare with.", "沒有較早的評估輪次可供比較。"},
	"not.in.prev":     {"Not assessed then", "當時未有評估"},
	"not.submitted":   {"Not submitted", "未提交"},

	// Response statuses.
	"status." + survey.StatusNotStarted: shared(wording.StatusNotStarted),
	"status." + survey.StatusInProgress: shared(wording.StatusInProgress),
	"status." + survey.StatusSubmitted:  shared(wording.StatusSubmitted),
	"status." + survey.StatusReady:      shared(wording.StatusReady),

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
