package web

import (
	"strings"
	"testing"
)

func TestPlannerChartLabels(t *testing.T) {
	for _, tc := range []struct {
		in    string
		lines int
	}{
		{"1. Access control for leaders", 1},
		{"12. Complying with the Personal Data (Privacy) Ordinance: the six data protection principles and privacy impact assessment", 2},
		{"3. " + strings.Repeat("遵從個人資料（私隱）條例", 12), 2},
		{"4. " + strings.Repeat("word ", 80), 2},
	} {
		got := wrapLabel(tc.in, chartWidth, chartFont, chartMaxLines)
		if len(got) != tc.lines {
			t.Errorf("%q: %d lines %q, want %d", tc.in, len(got), got, tc.lines)
		}
		for _, line := range got {
			if line == "" || textWidth(line) > float64(chartWidth)/chartFont {
				t.Errorf("%q: line %q is empty or too wide", tc.in, line)
			}
		}
		if joined := strings.Join(got, " "); len(got) == 1 && joined != tc.in {
			t.Errorf("%q became %q", tc.in, joined)
		}
	}
	// A label cut short ends with an ellipsis.
	if got := wrapLabel("4. "+strings.Repeat("word ", 80), chartWidth, chartFont, chartMaxLines); !strings.HasSuffix(got[1], "…") {
		t.Errorf("no ellipsis: %q", got)
	}
}

func TestPlannerChartLayout(t *testing.T) {
	rows := []plannerTopicRow{
		{Rank: 1, Topic: "A", Gap: "4.00", totalGap: 4},
		{Rank: 2, Topic: "B", Gap: "0.01", totalGap: 0.01},
		{Rank: 3, Topic: "C", Gap: "0.00", totalGap: 0},
	}
	ch := gapBarChart(page{msgs: webMessages(), Lang: "en"}, rows)
	if ch == nil || len(ch.Bars) != 3 {
		t.Fatalf("chart %+v", ch)
	}
	if ch.Bars[0].BarW != chartWidth-chartValueRoom || ch.Bars[1].BarW != 2 || ch.Bars[2].BarW != 0 {
		t.Errorf("bar widths %d %d %d", ch.Bars[0].BarW, ch.Bars[1].BarW, ch.Bars[2].BarW)
	}
	for i := 1; i < len(ch.Bars); i++ {
		if ch.Bars[i].BarY <= ch.Bars[i-1].BarY+chartBarH {
			t.Errorf("bar %d overlaps the one above", i)
		}
	}
	if ch.Height <= ch.Bars[2].BarY+chartBarH || !strings.Contains(ch.Desc, "A 4.00; B 0.01; C 0.00") {
		t.Errorf("height %d, desc %q", ch.Height, ch.Desc)
	}
	if gapBarChart(page{msgs: webMessages()}, rows[2:]) != nil {
		t.Error("a chart of nothing but zero gaps")
	}
}
