package reports

import (
	"fmt"

	"github.com/dpo/dgsurvey/survey"
)

// domainSheet writes one domain's answers: a row per question with the
// chosen level and its descriptor coloured by level, so a reader sees the
// department's profile without decoding numbers.
func (b *deptBuilder) domainSheet(name string, dom *survey.Domain) error {
	s := &sheet{f: b.f, st: b.st, name: name}
	if _, err := b.f.NewSheet(name); err != nil {
		return err
	}
	lang, st := b.lang, b.st
	s.widths(28, 14, 52, 46, 30, 40, 40)
	s.header(1, tr(lang, "col.area"), tr(lang, "col.question.id"), tr(lang, "col.question"), tr(lang, "col.chosen"),
		tr(lang, "col.na.reason"), tr(lang, "col.comment"), tr(lang, "col.evidence"))
	row := 1
	for a := range dom.Areas {
		area := &dom.Areas[a]
		for i := range area.Questions {
			qu := &area.Questions[i]
			ans := b.resp.Answers[qu.ID]
			chosen, style := b.chosen(qu, ans)
			var reason, comment, evidence string
			if ans != nil {
				comment, evidence = ans.Comment, ans.Evidence
				if ans.NA {
					reason = ans.NAReason
				}
			}
			row++
			s.row(row, cell(area.Title.Or(lang), st.wrap), cell(qu.ID, st.text), cell(qu.Text.Or(lang), st.wrap),
				cell(chosen, style), cell(reason, st.wrap), cell(comment, st.wrap), cell(evidence, st.wrap))
		}
	}
	if s.err == nil {
		s.err = b.f.SetPanes(name, freezeHeader(1, 0))
	}
	if s.err == nil {
		s.err = b.f.AutoFilter(name, rangeRef(1, 1, 7, max(row, 2)), nil)
	}
	return s.err
}

// chosen is the text and style of an answer's level cell: "3 – <descriptor>"
// on the level's colour, "N/A" on grey, or "Not answered" unstyled.
func (b *deptBuilder) chosen(qu *survey.Question, a *survey.Answer) (string, int) {
	switch {
	case !a.Answered():
		return tr(b.lang, "not.answered"), b.st.wrap
	case a.NA:
		return tr(b.lang, "na"), b.st.na
	}
	level := *a.Level
	if level < 0 || level > survey.MaxLevel {
		return fmt.Sprint(level), b.st.wrap
	}
	desc := ""
	if level < len(qu.Levels) {
		desc = qu.Levels[level].Or(b.lang)
	}
	if desc == "" {
		desc = b.q.LevelName(level, b.lang)
	}
	return fmt.Sprintf("%d – %s", level, desc), b.st.level[level]
}

// gapsSheet lists the areas below target, largest gap first, each with its
// seminar topic; areas without a score follow, saying why ("All N/A"), so
// that no area silently disappears from the list.
func (b *deptBuilder) gapsSheet(name string) error {
	s := &sheet{f: b.f, st: b.st, name: name}
	if _, err := b.f.NewSheet(name); err != nil {
		return err
	}
	lang, st := b.lang, b.st
	s.widths(34, 24, 12, 10, 10, 48)
	s.header(1, tr(lang, "col.area"), tr(lang, "col.domain"), tr(lang, "col.score"), tr(lang, "col.target"),
		tr(lang, "col.gap"), tr(lang, "col.topic"))
	row := 1
	gaps := byGap(b.lines)
	for _, l := range gaps {
		row++
		s.row(row, cell(l.area.Title.Or(lang), st.wrap), cell(l.domain.Title.Or(lang), st.wrap),
			cell(l.score.Score, st.score), cell(l.target, st.text), cell(l.gap(), st.score), cell(l.area.Topic.Or(lang), st.wrap))
	}
	unscored := 0
	for _, l := range b.lines {
		if l.score != nil && l.score.Score != nil {
			continue
		}
		unscored++
		row++
		s.row(row, cell(l.area.Title.Or(lang), st.wrap), cell(l.domain.Title.Or(lang), st.wrap),
			cell(noScore(lang, l.score), st.na), cell(l.target, st.text), cell("", st.text), cell(l.area.Topic.Or(lang), st.wrap))
	}
	if len(gaps) == 0 {
		row += 1 + min(unscored, 1) // a blank line when unscored rows precede
		s.set(1, row, b.noGaps(), st.text)
	}
	if s.err == nil {
		s.err = b.f.SetPanes(name, freezeHeader(1, 0))
	}
	return s.err
}

// trendSheet compares each area's score with the previous round's, matched
// by area id, so a department sees where it moved.
func (b *deptBuilder) trendSheet(name string) error {
	s := &sheet{f: b.f, st: b.st, name: name}
	if _, err := b.f.NewSheet(name); err != nil {
		return err
	}
	lang, st, prev := b.lang, b.st, b.r.Previous
	before := make(map[string]*survey.AreaScore, len(prev.Scores.Areas))
	for i := range prev.Scores.Areas {
		before[prev.Scores.Areas[i].ID] = &prev.Scores.Areas[i]
	}
	s.widths(34, 24, 22, 22, 12)
	s.header(1, tr(lang, "col.area"), tr(lang, "col.domain"), trf(lang, "col.previous", prev.Round.ID),
		trf(lang, "col.current", b.r.Round.ID), tr(lang, "col.change"))
	row := 1
	for _, l := range b.lines {
		row++
		p := before[l.area.ID]
		var change *float64
		if p != nil && p.Score != nil && l.score != nil && l.score.Score != nil {
			c := survey.Round2(*l.score.Score - *p.Score)
			change = &c
		}
		s.row(row, cell(l.area.Title.Or(lang), st.wrap), cell(l.domain.Title.Or(lang), st.wrap),
			b.trendScore(p, true), b.trendScore(l.score, false), cell(change, st.change))
	}
	if s.err == nil {
		s.err = b.f.SetPanes(name, freezeHeader(1, 0))
	}
	return s.err
}

// trendScore is a score cell of the Trend sheet: the number, "All N/A", or
// for the previous round "Not assessed then" when the area did not exist.
func (b *deptBuilder) trendScore(s *survey.AreaScore, previous bool) any {
	switch {
	case s == nil && previous:
		return cell(tr(b.lang, "not.in.prev"), b.st.text)
	case s == nil:
		return cell("", b.st.text)
	case s.Score == nil:
		return cell(noScore(b.lang, s), b.st.na)
	}
	return cell(s.Score, b.st.score)
}
