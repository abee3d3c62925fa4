package reports

import (
	"cmp"
	"slices"
	"strings"

	"github.com/dpo/dgsurvey/survey"
)

// themeLine is one seminar theme ranked from the topic ranking of its
// areas.
type themeLine struct {
	theme *survey.Theme
	// areas counts the theme's areas in the ranking.
	areas int
	// totalGap is the sum over departments of the mean gap of the theme's
	// areas: Σ area total gap / areas.
	totalGap  float64
	meanScore *float64
	change    *float64
	below     []string
}

// rankThemes ranks the questionnaire's seminar themes from the topic rows
// as the topics rank: a theme's gap per department is the mean gap of its
// areas (so the sum over departments is the mean of its areas' total
// gaps, exactly so where every department has a score in each of them; the
// planner's own theme ranking replaces this once the survey package has
// one), its mean score and change the mean of its areas', and the
// departments below are those below in any of its areas. Largest total gap
// first, then more departments below, then theme id.
func rankThemes(q *survey.Questionnaire, topics []survey.TopicRow) []themeLine {
	byArea := map[string]*survey.TopicRow{}
	for i := range topics {
		byArea[topics[i].Area] = &topics[i]
	}
	var out []themeLine
	for i := range q.Themes {
		th := &q.Themes[i]
		l := themeLine{theme: th}
		var scores, changes []float64
		below := map[string]bool{}
		for _, d := range q.Domains {
			for _, a := range d.Areas {
				t := byArea[a.ID]
				if a.Theme != th.ID || t == nil {
					continue
				}
				l.areas++
				l.totalGap += t.TotalGap
				if t.MeanScore != nil {
					scores = append(scores, *t.MeanScore)
				}
				if t.Change != nil {
					changes = append(changes, *t.Change)
				}
				for _, code := range t.BelowTarget {
					below[code] = true
				}
			}
		}
		if l.areas == 0 {
			continue
		}
		l.totalGap = survey.Round2(l.totalGap / float64(l.areas))
		l.meanScore, l.change = mean2(scores), mean2(changes)
		for code := range below {
			l.below = append(l.below, code)
		}
		slices.Sort(l.below)
		out = append(out, l)
	}
	slices.SortStableFunc(out, func(x, y themeLine) int {
		return cmp.Or(cmp.Compare(y.totalGap, x.totalGap), cmp.Compare(len(y.below), len(x.below)), cmp.Compare(x.theme.ID, y.theme.ID))
	})
	return out
}

// mean2 is the mean of vs rounded to two decimals, nil for none.
func mean2(vs []float64) *float64 {
	if len(vs) == 0 {
		return nil
	}
	var sum float64
	for _, v := range vs {
		sum += v
	}
	m := survey.Round2(sum / float64(len(vs)))
	return &m
}

// themesSheet writes the seminar themes ranked from the topic ranking,
// naming the round the change compares with.
func (b *consBuilder) themesSheet(name string) error {
	lang, st := b.lang, b.st
	s, err := b.inMemory(name, pageSetup{landscape: true, titleRows: 2})
	if err != nil {
		return err
	}
	s.widths(8, 14, 30, 40, 8, 10, 10, 12, 34, 12)
	title := b.sheetTitle("sheet.themes")
	change := tr(lang, "col.change")
	if b.r.Previous != "" {
		title += " · " + trf(lang, "topics.previous", b.r.Previous)
		change = trf(lang, "col.change.since", b.r.Previous)
	}
	s.set(1, 1, title, st.label)
	s.header(2, tr(lang, "col.rank"), tr(lang, "col.id"), tr(lang, "col.theme"), tr(lang, "col.seminar"), tr(lang, "col.areas.n"),
		tr(lang, "col.mean.score"), tr(lang, "col.total.gap"), tr(lang, "col.below.n"), tr(lang, "col.below"), change)
	lines := rankThemes(b.q, b.r.Topics)
	if len(lines) == 0 {
		s.set(1, 3, tr(lang, "no.themes"), st.text)
	}
	for i, l := range lines {
		s.row(i+3, cell(i+1, st.number), cell(l.theme.ID, st.text), cell(l.theme.Title.Or(lang), st.wrap),
			cell(l.theme.Seminar.Or(lang), st.wrap), cell(l.areas, st.number), cell(l.meanScore, st.score),
			cell(&l.totalGap, st.score), cell(len(l.below), st.number), cell(strings.Join(l.below, ", "), st.wrap),
			cell(l.change, st.change))
	}
	if s.err == nil {
		s.err = b.f.SetPanes(name, freezeHeader(2, 0))
	}
	return s.finish()
}
