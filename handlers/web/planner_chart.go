package web

import (
	"fmt"
	"strings"
	"unicode"
)

// The planner page's bar chart of total gap by topic, laid out on the
// server as inline SVG: no script, and no style attribute (the CSP refuses
// them), only geometry attributes and classes of app.css.

// chartLine is one line of a bar's label.
type chartLine struct {
	Y    int
	Text string
}

// chartBar is one topic in the bar chart.
type chartBar struct {
	Label          []chartLine
	BarY, BarW     int
	ValueX, ValueY int
	Value, Rank    string
}

// gapChart is the bar chart of total gap by topic, laid out in SVG user units.
type gapChart struct {
	Width, Height, BarH int
	Bars                []chartBar
	Desc                string
}

// Bar chart geometry, in SVG user units (the SVG scales to the page).
const (
	chartWidth     = 720
	chartValueRoom = 64
	chartFont      = 14
	chartLineH     = 18
	chartBarH      = 16
	chartRowGap    = 14
	chartMaxLines  = 2
)

// gapBarChart lays out total gap by topic as horizontal bars in ranking
// order, each labelled above with its rank and topic and followed by its
// value. Nil when no topic has a gap.
func gapBarChart(p page, rows []plannerTopicRow) *gapChart {
	maxGap := 0.0
	for _, r := range rows {
		maxGap = max(maxGap, r.totalGap)
	}
	if maxGap <= 0 {
		return nil
	}
	ch := &gapChart{Width: chartWidth, BarH: chartBarH}
	y := 4
	span := chartWidth - chartValueRoom
	var summary []string
	for _, r := range rows {
		label := fmt.Sprintf("%d. %s", r.Rank, r.Topic)
		bar := chartBar{Value: r.Gap, Rank: fmt.Sprint(r.Rank)}
		for _, line := range wrapLabel(label, chartWidth, chartFont, chartMaxLines) {
			y += chartLineH
			bar.Label = append(bar.Label, chartLine{Y: y - 4, Text: line})
		}
		bar.BarY = y + 2
		bar.BarW = int(float64(span)*r.totalGap/maxGap + 0.5)
		if r.totalGap > 0 && bar.BarW < 2 {
			bar.BarW = 2 // a gap, however small, stays visible
		}
		bar.ValueX = bar.BarW + 6
		bar.ValueY = bar.BarY + chartBarH - 3
		y = bar.BarY + chartBarH + chartRowGap
		ch.Bars = append(ch.Bars, bar)
		summary = append(summary, r.Topic+" "+r.Gap)
	}
	ch.Height = y
	ch.Desc = p.T("planner.chart_desc", strings.Join(summary, "; "))
	return ch
}

// wrapLabel breaks s into at most maxLines lines that fit width at the font
// size, estimating glyph widths (CJK and full-width characters one em,
// others about half); an overlong label ends with an ellipsis. Latin text
// breaks at spaces, CJK text between any two characters.
func wrapLabel(s string, width, font, maxLines int) []string {
	type token struct {
		text  string
		w     float64
		space bool // preceded by a space
	}
	limit := float64(width) / float64(font)
	var toks []token
	var cur []rune
	space := false
	emit := func() {
		if len(cur) > 0 {
			toks = append(toks, token{string(cur), textWidth(string(cur)), space})
			cur, space = nil, false
		}
	}
	for _, r := range s {
		switch {
		case r == ' ':
			emit()
			space = true
		case wideRune(r):
			emit()
			toks = append(toks, token{string(r), 1, space})
			space = false
		default:
			cur = append(cur, r)
		}
	}
	emit()
	spaceW := textWidth(" ")
	var lines []string
	line, lw := "", 0.0
	for _, t := range toks {
		add := t.w
		if t.space && line != "" {
			add += spaceW
		}
		if line != "" && lw+add > limit {
			if len(lines) == maxLines-1 {
				return append(lines, ellipsize(line, limit))
			}
			lines = append(lines, line)
			line, lw, add = "", 0, t.w
		}
		if t.space && line != "" {
			line += " "
		}
		line += t.text
		lw += add
	}
	return append(lines, line)
}

// ellipsize shortens a line so that it and an ellipsis fit limit ems.
func ellipsize(line string, limit float64) string {
	r := []rune(line)
	for len(r) > 0 && textWidth(string(r))+1 > limit {
		r = r[:len(r)-1]
	}
	return strings.TrimRight(string(r), " ,;:") + "…"
}

// wideRune reports a character about one em wide (CJK, full-width forms).
func wideRune(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hangul, unicode.Hiragana, unicode.Katakana) ||
		(r >= 0x3000 && r <= 0x303F) || (r >= 0xFF00 && r <= 0xFFEF)
}

// textWidth estimates the width of s in ems.
func textWidth(s string) float64 {
	w := 0.0
	for _, r := range s {
		switch {
		case wideRune(r):
			w += 1
		case unicode.IsUpper(r) || r == 'm' || r == 'w' || r == '…':
			w += 0.8
		case strings.ContainsRune(" il.,:;'|!()", r) || r == 'j' || r == 't' || r == 'f':
			w += 0.36
		default:
			w += 0.62
		}
	}
	return w
}
