// Package reports writes the Excel workbooks of the self-assessment
// (DESIGN §5): the maturity report of one department and the consolidated
// government-wide workbook. It takes survey values and writes xlsx bytes to
// an io.Writer; it knows nothing of HTTP or the store, so the handlers
// decide who may download what and feed it data from one cursor.
package reports

import (
	"fmt"

	"github.com/dpo/dgsurvey/survey"
)

// label is one fixed workbook text in both languages. Questionnaire texts
// (titles, level names, descriptors, topics) come from the questionnaire
// itself; only the workbook's own furniture lives here.
type label struct{ en, zh string }

// labels is the workbook's own vocabulary, keyed by a stable id so that the
// code reads as what it shows and a missing key fails loudly in tests.
var labels = map[string]label{
	// Sheet names (all well under Excel's 31-character limit).
	"sheet.summary": {"Summary", "摘要"},
	"sheet.gaps":    {"Gaps", "差距"},
	"sheet.trend":   {"Trend", "趨勢"},
	"sheet.status":  {"Status", "進度"},
	"sheet.heatmap": {"Heatmap", "熱圖"},
	"sheet.areas":   {"Areas", "範疇統計"},
	"sheet.topics":  {"Topics", "研討會主題"},
	"sheet.answers": {"Answers", "答案"},

	// Summary.
	"report.title":       {"Digital government capability self-assessment: maturity report", "數字政府能力自我評估：成熟度報告"},
	"consolidated.title": {"Digital government capability self-assessment: government-wide results", "數字政府能力自我評估：全政府結果"},
	"dept.code":          {"Department code", "部門代號"},
	"dept.name":          {"Department", "部門"},
	"dept.bureau":        {"Bureau", "決策局"},
	"round.id":           {"Round", "評估周期"},
	"round.title":        {"Round title", "評估周期名稱"},
	"questionnaire":      {"Questionnaire", "問卷"},
	"status":             {"Status", "狀態"},
	"submitted.at":       {"Submitted at", "提交時間"},
	"submitted.by":       {"Submitted by", "提交者"},
	"overall.score":      {"Overall score", "整體分數"},
	"overall.level":      {"Overall level", "整體級別"},
	"overall.govmean":    {"Government mean (overall)", "政府平均（整體）"},
	"generated.at":       {"Generated at", "產生時間"},
	"domains":            {"Scores by domain", "各範疇分數"},
	"areas":              {"Scores by capability area", "各能力範疇分數"},
	"top.gaps":           {"Five largest gaps", "五大差距"},
	"chart.title":        {"Maturity by capability area (0–5)", "各能力範疇成熟度（0–5）"},

	// Column headers.
	"col.domain":      {"Domain", "範疇"},
	"col.area":        {"Capability area", "能力範疇"},
	"col.area.id":     {"Area id", "範疇代號"},
	"col.score":       {"Score", "分數"},
	"col.level":       {"Level", "級別"},
	"col.govmean":     {"Government mean", "政府平均"},
	"col.target":      {"Target", "目標"},
	"col.gap":         {"Gap", "差距"},
	"col.topic":       {"Seminar topic", "研討會主題"},
	"col.dept":        {"This department", "本部門"},
	"col.question.id": {"Question id", "問題代號"},
	"col.question":    {"Question", "問題"},
	"col.chosen":      {"Chosen level", "所選級別"},
	"col.na.reason":   {"N/A reason", "不適用原因"},
	"col.comment":     {"Comment", "備註"},
	"col.evidence":    {"Evidence", "證明"},
	"col.previous":    {"Previous round (%s)", "上一周期（%s）"},
	"col.current":     {"This round (%s)", "本周期（%s）"},
	"col.change":      {"Change", "變化"},
	"col.code":        {"Code", "代號"},
	"col.name":        {"Name", "名稱"},
	"col.bureau":      {"Bureau", "決策局"},
	"col.status":      {"Status", "狀態"},
	"col.answered":    {"Answered", "已回答"},
	"col.total":       {"Questions", "問題數目"},
	"col.progress":    {"Progress", "進度"},
	"col.updated":     {"Updated at", "更新時間"},
	"col.submitted":   {"Submitted at", "提交時間"},
	"col.overall":     {"Overall", "整體"},
	"col.n":           {"Departments (n)", "部門數目 (n)"},
	"col.mean":        {"Mean", "平均"},
	"col.median":      {"Median", "中位數"},
	"col.p25":         {"25th percentile", "第25百分位"},
	"col.p75":         {"75th percentile", "第75百分位"},
	"col.min":         {"Min", "最低"},
	"col.max":         {"Max", "最高"},
	"col.rank":        {"Rank", "排名"},
	"col.mean.score":  {"Mean score", "平均分數"},
	"col.total.gap":   {"Total gap", "總差距"},
	"col.below.n":     {"Departments below target", "低於目標的部門數目"},
	"col.below":       {"Departments below target (codes)", "低於目標的部門（代號）"},
	"col.assessed":    {"Departments with a score", "有分數的部門數目"},

	// Values.
	"na":              {"N/A", "不適用"},
	"all.na":          {"All N/A", "全部不適用"},
	"not.answered":    {"Not answered", "未回答"},
	"no.score":        {"No score", "沒有分數"},
	"no.gaps":         {"No capability area is below its target.", "沒有能力範疇低於目標。"},
	"no.scores":       {"No capability area has a score yet.", "尚未有能力範疇有分數。"},
	"topics.title":    {"Seminar topic ranking, round %s", "研討會主題排名（%s 輪）"},
	"topics.all":      {"All domains and bureaux", "所有範疇及決策局"},
	"topics.bureau":   {"Bureau", "決策局"},
	"topics.previous": {"change compared with round %s", "變化與 %s 輪比較"},
	"topics.chart":    {"Total gap to target by topic", "各主題與目標的總差距"},
	"no.topics":       {"No topic ranking yet: no department has submitted.", "尚未有主題排名：未有部門提交。"},
	"no.previous":     {"No earlier round to compare with.", "沒有較早的評估周期可供比較。"},
	"not.in.prev":     {"Not assessed then", "當時未有評估"},
	"not.submitted":   {"Not submitted", "未提交"},

	// Response statuses.
	"status." + survey.StatusNotStarted: {"Not started", "未開始"},
	"status." + survey.StatusInProgress: {"In progress", "進行中"},
	"status." + survey.StatusSubmitted:  {"Submitted", "已提交"},

	// Document properties.
	"props.dept.title":  {"Maturity report: %s (%s), round %s", "成熟度報告：%s（%s），評估周期 %s"},
	"props.cons.title":  {"Government-wide maturity results, round %s", "全政府成熟度結果，評估周期 %s"},
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
