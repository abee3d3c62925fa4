// Package wording holds the words both the pages and the workbooks show, in
// English and Traditional Chinese: response statuses, round states and the
// names of the things a self-assessment is about (bureau, department, round,
// domain, capability area, score, level, target, gap, …). Each is written
// here once, so a page and a workbook cannot call the same thing by two
// names. Texts that only one of them shows stay in its own catalogue
// (handlers/web/messages.go, reports/labels.go), which refers here for the
// shared ones.
//
// The package does no I/O and imports only the standard library, so every
// layer may use it.
package wording

import (
	"maps"
	"slices"
)

// zh is the language tag of Traditional Chinese, as survey.LangZH spells it
// (a test checks the two agree); any other tag means English.
const zh = "zh"

// Keys of the shared catalogue. A status or state key is its prefix and the
// stored value, so "status."+survey.StatusSubmitted is StatusSubmitted.
const (
	// Response statuses.
	StatusNotStarted = "status.not_started"
	StatusInProgress = "status.in_progress"
	StatusSubmitted  = "status.submitted"
	// StatusReady: a preparer asked the department's approvers to submit.
	StatusReady = "status.ready"
	// Round states.
	StateDraft  = "state.draft"
	StateOpen   = "state.open"
	StateClosed = "state.closed"

	// Who and what.
	Bureau        = "bureau"
	Department    = "department"
	Code          = "code"
	Round         = "round"
	Questionnaire = "questionnaire"
	Domain        = "domain"
	Area          = "area"
	Topic         = "topic"
	Answers       = "answers"

	// Answers and scores.
	Score        = "score"
	Level        = "level"
	Target       = "target"
	Gap          = "gap"
	Comment      = "comment"
	Evidence     = "evidence"
	NA           = "na"
	NotAnswered  = "not_answered"
	NoScore      = "no_score"
	Overall      = "overall"
	Progress     = "progress"
	SubmittedAt  = "submitted_at"
	DomainScores = "domain_scores"
	AreaScores   = "area_scores"

	// Seminar topic ranking.
	Rank              = "rank"
	MeanScore         = "mean_score"
	TotalGap          = "total_gap"
	BelowTarget       = "below_target"
	Change            = "change"
	AllDomainsBureaux = "all_domains_bureaux"
)

// catalogue is every shared label: key → {English, Traditional Chinese}.
var catalogue = map[string][2]string{
	StatusNotStarted: {"Not started", "未開始"},
	StatusInProgress: {"In progress", "進行中"},
	StatusSubmitted:  {"Submitted", "已提交"},
	StatusReady:      {"Waiting for approval", "等候審批"},
	StateDraft:       {"Draft", "草擬"},
	StateOpen:        {"Open", "開放中"},
	StateClosed:      {"Closed", "已關閉"},

	Bureau:        {"Bureau", "決策局"},
	Department:    {"Department", "部門"},
	Code:          {"Code", "代號"},
	Round:         {"Round", "評估輪次"},
	Questionnaire: {"Questionnaire", "問卷"},
	Domain:        {"Domain", "範疇"},
	Area:          {"Capability area", "能力範疇"},
	Topic:         {"Seminar topic", "研討會主題"},
	Answers:       {"Answers", "答案"},

	Score:        {"Score", "分數"},
	Level:        {"Level", "級別"},
	Target:       {"Target level", "目標級別"},
	Gap:          {"Gap", "差距"},
	Comment:      {"Comment", "備註"},
	Evidence:     {"Evidence", "證明"},
	NA:           {"N/A", "不適用"},
	NotAnswered:  {"Not answered", "未回答"},
	NoScore:      {"No score", "沒有分數"},
	Overall:      {"Overall", "整體"},
	Progress:     {"Progress", "進度"},
	SubmittedAt:  {"Submitted at", "提交時間"},
	DomainScores: {"Scores by domain", "各範疇分數"},
	AreaScores:   {"Scores by capability area", "各能力範疇分數"},

	Rank:              {"Rank", "排名"},
	MeanScore:         {"Mean score", "平均分數"},
	TotalGap:          {"Total gap", "總差距"},
	BelowTarget:       {"Departments below target", "低於目標的部門數目"},
	Change:            {"Change", "變化"},
	AllDomainsBureaux: {"All domains and bureaux", "所有範疇及決策局"},
}

// Label returns the shared label key in lang ("zh" for Traditional Chinese,
// anything else English). A key that is not in the catalogue returns the
// key itself, so a gap shows on the page or in the cell instead of hiding.
func Label(key, lang string) string {
	l, ok := catalogue[key]
	if !ok {
		return key
	}
	if lang == zh {
		return l[1]
	}
	return l[0]
}

// Pair returns the English and Chinese of key, and whether the catalogue
// has it; catalogues that alias a shared label build their entry from it.
func Pair(key string) (en, chinese string, ok bool) {
	l, ok := catalogue[key]
	return l[0], l[1], ok
}

// Has reports whether key is in the shared catalogue.
func Has(key string) bool {
	_, ok := catalogue[key]
	return ok
}

// Keys lists every key of the shared catalogue, sorted.
func Keys() []string {
	return slices.Sorted(maps.Keys(catalogue))
}
