package reports

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/dpo/dgsurvey/survey"
)

// domainSheet writes one domain's answers: a row per question with the
// chosen level as a number and its descriptor, both coloured by level, so a
// reader sees the department's profile and a script can compute with it.
func (b *deptBuilder) domainSheet(name string, dom *survey.Domain) error {
	s, err := b.newSheet(name, pageSetup{landscape: true, titleRows: 1})
	if err != nil {
		return err
	}
	lang, st := b.lang, b.st
	s.widths(20, 11, 44, 7, 40, 10, 20, 28, 24, 26)
	s.header(1, tr(lang, "col.area"), tr(lang, "col.question.id"), tr(lang, "col.question"), tr(lang, "col.level"),
		tr(lang, "col.chosen"), tr(lang, "col.mandatory"), tr(lang, "col.na.reason"), tr(lang, "col.comment"),
		tr(lang, "col.evidence"), tr(lang, "col.reference"))
	row := 1
	for a := range dom.Areas {
		area := &dom.Areas[a]
		for i := range area.Questions {
			qu := &area.Questions[i]
			ans := b.resp.Answers[qu.ID]
			chosen, style := b.chosen(qu, ans)
			var reason, comment, evidence string
			var level *int
			if ans != nil {
				comment, evidence = ans.Comment, ans.Evidence
				if ans.NA {
					reason = ans.NAReason
				} else {
					level = ans.Level
				}
			}
			row++
			s.row(row, cell(area.Title.Or(lang), st.wrap), cell(qu.ID, st.text), cell(qu.Text.Or(lang), st.wrap),
				cell(level, style), cell(chosen, style), cell(b.mandatory(qu), st.text), cell(reason, st.wrap),
				cell(comment, st.wrap), cell(evidence, st.wrap), cell(qu.Reference.In(lang), st.wrap))
		}
	}
	if s.err == nil {
		s.err = b.f.SetPanes(name, freezeHeader(1, 0))
	}
	if s.err == nil {
		s.err = b.f.AutoFilter(name, rangeRef(1, 1, 10, max(row, 2)), nil)
	}
	return s.finish()
}

// mandatory is the Mandatory column: "Mandatory" or empty.
func (b *deptBuilder) mandatory(qu *survey.Question) string {
	if qu.Mandatory {
		return tr(b.lang, "mandatory")
	}
	return ""
}

// chosen is the text and style of an answer's descriptor cell: the chosen
// level's descriptor on its colour, "N/A" on grey, or "Not answered".
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
	return b.descriptor(qu, level), b.st.level[level]
}

// descriptor is what level means for question qu, falling back to the
// scale's name for the level.
func (b *deptBuilder) descriptor(qu *survey.Question, level int) string {
	desc := ""
	if level >= 0 && level < len(qu.Levels) {
		desc = qu.Levels[level].Or(b.lang)
	}
	return cmp.Or(desc, b.q.LevelName(level, b.lang))
}

// planItem is one row of the Action plan.
type planItem struct {
	ref    survey.QuestionRef
	level  int
	target int
	order  int
}

// planItems lists every question answered below its area's target,
// mandatory ones first, then by weight × shortfall, then in questionnaire
// order: what to work on first comes first.
func (b *deptBuilder) planItems() []planItem {
	targets := make(map[string]int, len(b.lines))
	for _, l := range b.lines {
		targets[l.area.ID] = l.target
	}
	var out []planItem
	for d := range b.q.Domains {
		dom := &b.q.Domains[d]
		for a := range dom.Areas {
			area := &dom.Areas[a]
			for i := range area.Questions {
				qu := &area.Questions[i]
				ans := b.resp.Answers[qu.ID]
				if ans == nil || ans.NA || ans.Level == nil || *ans.Level >= targets[area.ID] {
					continue
				}
				out = append(out, planItem{ref: survey.QuestionRef{Question: qu, Area: area, Domain: dom},
					level: *ans.Level, target: targets[area.ID], order: len(out)})
			}
		}
	}
	priority := func(p planItem) float64 { return p.ref.Question.Weight * float64(p.target-p.level) }
	slices.SortStableFunc(out, func(x, y planItem) int {
		if x.ref.Question.Mandatory != y.ref.Question.Mandatory {
			if x.ref.Question.Mandatory {
				return -1
			}
			return 1
		}
		return cmp.Or(cmp.Compare(priority(y), priority(x)), cmp.Compare(x.order, y.order))
	})
	return out
}

// actionPlan writes the Action plan: every question below its area's
// target with the next level's descriptor as the recommended step, and
// Owner, Due date and Status for the department to fill in (Status is a
// drop-down, Due date accepts dates only).
func (b *deptBuilder) actionPlan(name string) error {
	s, err := b.newSheet(name, pageSetup{landscape: true, titleRows: 1})
	if err != nil {
		return err
	}
	lang, st := b.lang, b.st
	s.widths(9, 11, 22, 11, 40, 8, 7, 44, 26, 16, 12, 13)
	s.header(1, tr(lang, "col.priority"), tr(lang, "col.mandatory"), tr(lang, "col.area"), tr(lang, "col.question.id"),
		tr(lang, "col.question"), tr(lang, "col.current.level"), tr(lang, "col.target"), tr(lang, "col.next.step"),
		tr(lang, "col.reference"), tr(lang, "col.owner"), tr(lang, "col.due"), tr(lang, "col.plan.status"))
	items := b.planItems()
	for i, it := range items {
		qu := it.ref.Question
		next := it.level + 1
		s.row(i+2, cell(i+1, st.number), cell(b.mandatory(qu), st.text), cell(it.ref.Area.Title.Or(lang), st.wrap),
			cell(qu.ID, st.text), cell(qu.Text.Or(lang), st.wrap), cell(it.level, b.st.level[min(it.level, survey.MaxLevel)]),
			cell(it.target, st.number), cell(fmt.Sprintf("%d – %s", next, b.descriptor(qu, next)), st.wrap),
			cell(qu.Reference.In(lang), st.wrap), cell("", st.wrap), cell(nil, st.day), cell(tr(lang, "plan.not.started"), st.text))
	}
	last := len(items) + 1
	if len(items) == 0 {
		s.set(1, 2, tr(lang, "no.plan"), st.text)
	} else if s.err == nil {
		s.err = b.planValidation(name, last)
	}
	if s.err == nil {
		s.err = b.f.SetPanes(name, freezeHeader(1, 0))
	}
	if s.err == nil && len(items) > 0 {
		s.err = b.f.AutoFilter(name, rangeRef(1, 1, 12, last), nil)
	}
	return s.finish()
}

// gapsSheet lists the areas below target, largest gap first, each with its
// seminar theme and topic; areas without a score follow, saying why
// ("All N/A"), so that no area silently disappears from the list.
func (b *deptBuilder) gapsSheet(name string) error {
	s, err := b.newSheet(name, pageSetup{landscape: true, titleRows: 1})
	if err != nil {
		return err
	}
	lang, st := b.lang, b.st
	s.widths(34, 22, 9, 8, 9, 10, 30, 44)
	s.header(1, tr(lang, "col.area"), tr(lang, "col.domain"), tr(lang, "col.score"), tr(lang, "col.target"),
		tr(lang, "col.gap"), tr(lang, "col.answered"), tr(lang, "col.theme"), tr(lang, "col.topic"))
	row := 1
	answered := func(l areaLine) string {
		if l.score == nil {
			return ""
		}
		return fmt.Sprintf("%d/%d", l.score.Answered, l.score.Total)
	}
	gaps := byGap(b.lines)
	for _, l := range gaps {
		row++
		s.row(row, cell(l.area.Title.Or(lang), st.wrap), cell(l.domain.Title.Or(lang), st.wrap),
			cell(l.score.Score, b.tint(l.score.Score, l.target)), cell(l.target, st.number), cell(l.gap(), st.score),
			cell(answered(l), st.text), cell(themeTitle(b.q, l.area, lang), st.wrap), cell(l.area.Topic.Or(lang), st.wrap))
	}
	unscored := 0
	for _, l := range b.lines {
		if l.score != nil && l.score.Score != nil {
			continue
		}
		unscored++
		row++
		s.row(row, cell(l.area.Title.Or(lang), st.wrap), cell(l.domain.Title.Or(lang), st.wrap),
			cell(noScore(lang, l.score), st.na), cell(l.target, st.number), cell("", st.text), cell(answered(l), st.text),
			cell(themeTitle(b.q, l.area, lang), st.wrap), cell(l.area.Topic.Or(lang), st.wrap))
	}
	if len(gaps) == 0 {
		row += 1 + min(unscored, 1) // a blank line when unscored rows precede
		s.set(1, row, b.noGaps(), st.text)
	}
	if s.err == nil {
		s.err = b.f.SetPanes(name, freezeHeader(1, 0))
	}
	return s.finish()
}
