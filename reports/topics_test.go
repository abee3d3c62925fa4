package reports

import (
	"bytes"
	"strings"
	"testing"

	"github.com/dpo/dgsurvey/survey"
)

func (fx *fixture) topicsReport(lang string) TopicsReport {
	return TopicsReport{Lang: lang, Round: fx.round, Questionnaire: fx.q, Previous: "r2025",
		Filter: survey.TopicFilter{Bureau: "=Bureau"}, Topics: fx.topics, GeneratedAt: fx.generated, Marking: DefaultMarking}
}

func writeTopicsBook(t testing.TB, r TopicsReport) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteTopics(&buf, r); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestTopicsBarChart(t *testing.T) {
	fx := newFixture(t)
	parts := zipParts(t, writeTopicsBook(t, fx.topicsReport(survey.LangEN)))
	chart, ok := parts["xl/charts/chart1.xml"]
	if !ok || !strings.Contains(chart, "barChart") {
		t.Fatalf("no bar chart in the topics workbook: %v", keys(parts))
	}
	if err := WriteTopics(&bytes.Buffer{}, TopicsReport{}); err == nil {
		t.Fatal("a topics workbook without questionnaire must fail")
	}
}
