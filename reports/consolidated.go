package reports

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"iter"
	"slices"
	"strings"
	"time"

	"github.com/dpo/dgsurvey/survey"
	"github.com/xuri/excelize/v2"
)

// StatusRow is one department's progress in a round, for the Status sheet.
type StatusRow struct {
	Code, NameEN, NameZH, Bureau string
	// Status is a survey response status (survey.StatusSubmitted, …).
	Status string
	// Answered and Total count the department's answered questions and the
	// questionnaire's questions.
	Answered, Total int
	// UpdatedAt and SubmittedAt are nil when they never happened.
	UpdatedAt, SubmittedAt *time.Time
}

// name is the department's name in lang, falling back to English.
func (s StatusRow) name(lang string) string {
	return survey.Text{EN: s.NameEN, ZH: s.NameZH}.Or(lang)
}

// GovernmentRound is the government figures of an earlier round, for the
// consolidated Trend sheet.
type GovernmentRound struct {
	Round   survey.Round
	Overall *float64
	// Domains and Areas are the means by domain and area id of that round.
	Domains map[string]*float64
	Areas   map[string]*float64
	// Lineage maps this round's areas to that round's (survey.AreaLineage);
	// nil means the same questionnaire.
	Lineage map[string][]string
}

// ConsolidatedReport is everything the government-wide workbook shows.
type ConsolidatedReport struct {
	// Lang is survey.LangEN or survey.LangZH; anything else means English.
	Lang string
	// Location is the zone times are shown in; nil means Asia/Hong_Kong.
	Location      *time.Location
	Round         survey.Round
	Questionnaire *survey.Questionnaire
	// Status lists every department of the round, in the order shown.
	Status []StatusRow
	// Scores are the submitted departments' snapshots: the Heatmap rows.
	Scores     []survey.DepartmentScores
	Benchmarks []survey.AreaBenchmark
	// Topics is the seminar topic ranking; nil or empty makes the Topics
	// sheet say there is no ranking yet.
	Topics []survey.TopicRow
	// Themes is the seminar theme ranking of the same selection as Topics
	// (survey.RankThemes, as the planner's); nil or empty makes the Themes
	// sheet say there is none yet.
	Themes []survey.ThemeRow
	// Previous is the round the topics' change compares with ("" if none).
	Previous string
	// Earlier are the government figures of earlier rounds, oldest first;
	// none means no Trend sheet.
	Earlier []GovernmentRound
	// Answers yields every response of the round from one cursor. It is
	// consumed once, while the Answers sheet streams, so memory stays
	// bounded however many departments there are; an error stops the
	// workbook. Only submitted responses are written.
	Answers iter.Seq2[*survey.Response, error]
	// Marking is the classification printed on every page ("" for none).
	Marking string
	// GeneratedAt stamps the workbook (shown on every sheet).
	GeneratedAt time.Time
}

// consBuilder carries one consolidated workbook under construction.
type consBuilder struct {
	r    ConsolidatedReport
	lang string
	loc  *time.Location
	q    *survey.Questionnaire
	f    *excelize.File
	st   *styles
	page pageContext
	// dims are the used ranges of the streamed sheets.
	dims map[string]string
	// areas lists the questionnaire's areas in order with their domains.
	areas []consArea
	// info is the Status row of each department code.
	info map[string]StatusRow
}

// consArea is one area of the questionnaire with its target.
type consArea struct {
	domain *survey.Domain
	area   *survey.Area
	target int
}

// ConsolidatedFileName is in sanitize.go with the other file names.

// WriteConsolidated writes the government-wide workbook to w: Status,
// Heatmap, Domains, Bureaux, Areas, Topics, Themes, Answers and Trend (when there
// are earlier rounds). The sheets that grow with the departments are
// written with excelize's StreamWriter, so memory grows with the number of
// areas, not with the number of departments or answers.
func WriteConsolidated(w io.Writer, r ConsolidatedReport) error {
	if r.Questionnaire == nil {
		return errors.New("reports: consolidated report needs the round's questionnaire")
	}
	b := &consBuilder{r: r, lang: normLang(r.Lang), loc: location(r.Location), q: r.Questionnaire, dims: map[string]string{}}
	b.page = pageContext{lang: b.lang, marking: r.Marking, loc: b.loc, generated: r.GeneratedAt, context: trf(b.lang, "page.round", r.Round.ID)}
	targets := map[string]int{}
	for _, d := range r.Scores {
		for _, a := range d.Scores.Areas {
			if _, ok := targets[a.ID]; !ok {
				targets[a.ID] = a.Target
			}
		}
	}
	for d := range b.q.Domains {
		for a := range b.q.Domains[d].Areas {
			area := &b.q.Domains[d].Areas[a]
			t, ok := targets[area.ID]
			if !ok {
				t = survey.Targets{}.For(area)
			}
			b.areas = append(b.areas, consArea{&b.q.Domains[d], area, t})
		}
	}
	b.info = make(map[string]StatusRow, len(r.Status))
	for _, d := range r.Status {
		b.info[d.Code] = d
	}
	names := &sheetNames{}
	sheets := []struct {
		name  string
		write func(string) error
	}{
		{names.name(tr(b.lang, "sheet.status"), "Status"), b.statusSheet},
		{names.name(tr(b.lang, "sheet.heatmap"), "Heatmap"), b.heatmapSheet},
		{names.name(tr(b.lang, "sheet.domains"), "Domains"), b.domainsSheet},
		{names.name(tr(b.lang, "sheet.bureaux"), "Bureaux"), b.bureauxSheet},
		{names.name(tr(b.lang, "sheet.areas"), "Areas"), b.areasSheet},
		{names.name(tr(b.lang, "sheet.topics"), "Topics"), b.topicsSheet},
		{names.name(tr(b.lang, "sheet.themes"), "Themes"), b.themesSheet},
		{names.name(tr(b.lang, "sheet.answers"), "Answers"), b.answersSheet},
	}
	if len(r.Earlier) > 0 {
		sheets = append(sheets, struct {
			name  string
			write func(string) error
		}{names.name(tr(b.lang, "sheet.trend"), "Trend"), b.trendSheet})
	}
	f, st, err := newWorkbook(sheets[0].name)
	if err != nil {
		return err
	}
	defer f.Close()
	b.f, b.st = f, st
	for _, sh := range sheets[1:] {
		if _, err := f.NewSheet(sh.name); err != nil {
			return err
		}
	}
	// Set the active sheet while every sheet is still empty: SetActiveSheet
	// loads each worksheet, and after streaming that would parse the whole
	// streamed sheet back into memory.
	f.SetActiveSheet(0)
	for _, sh := range sheets {
		if err := sh.write(sh.name); err != nil {
			return fmt.Errorf("reports: consolidated workbook, sheet %s: %w", sh.name, err)
		}
	}
	title := trf(b.lang, "props.cons.title", r.Round.ID)
	if err := docProps(f, b.lang, title, r.Round.Title.Or(b.lang), r.GeneratedAt); err != nil {
		return err
	}
	return writeTo(f, w, b.dims)
}

// sheetTitle is the first line of every consolidated sheet but Answers:
// what it is, of which round, and when it was made.
func (b *consBuilder) sheetTitle(key string) string {
	return trf(b.lang, "cons.sheet.title", tr(b.lang, key), b.r.Round.ID, b.r.Round.Title.Or(b.lang),
		stateLabel(b.lang, b.r.Round.State), fmtTime(&b.r.GeneratedAt, b.loc))
}

// stream writes rows through a StreamWriter, keeping the first error.
type stream struct {
	sw     *excelize.StreamWriter
	st     *styles
	cols   []float64
	row    int
	maxCol int
	buf    []any
	err    error
}

// newStream starts streaming sheet: its print setup first (the sheet's
// properties are written before the first row), column widths, and the top
// rows × left columns frozen.
func (b *consBuilder) newStream(sheet string, p pageSetup, freezeRows, freezeCols int, widths ...float64) (*stream, error) {
	if err := printSetup(b.f, sheet, p, b.page); err != nil {
		return nil, err
	}
	sw, err := b.f.NewStreamWriter(sheet)
	if err != nil {
		return nil, err
	}
	for i, wd := range widths {
		if err := sw.SetColWidth(i+1, i+1, wd); err != nil {
			return nil, err
		}
	}
	if err := sw.SetPanes(freezeHeader(freezeRows, freezeCols)); err != nil {
		return nil, err
	}
	return &stream{sw: sw, st: b.st, cols: widths}, nil
}

// add writes the next row; values go through cell (so text is neutralised),
// and a row with wrapped text gets the height it needs. The row buffer is
// reused, as SetRow copies what it needs.
func (s *stream) add(values ...any) {
	if s.err != nil {
		return
	}
	s.row++
	s.buf = s.buf[:0]
	lines := 1
	for i, v := range values {
		c := cell(v, 0)
		if text, ok := c.Value.(string); ok && s.st.wraps[c.StyleID] {
			width := 8.43
			if i < len(s.cols) {
				width = s.cols[i]
			}
			lines = max(lines, textLines(text, width))
		}
		s.buf = append(s.buf, c)
	}
	s.maxCol = max(s.maxCol, len(values))
	ref, _ := excelize.CoordinatesToCellName(1, s.row)
	if lines > 1 {
		s.err = s.sw.SetRow(ref, s.buf, excelize.RowOpts{Height: rowHeight(lines)})
		return
	}
	s.err = s.sw.SetRow(ref, s.buf)
}

// skip leaves a row empty.
func (s *stream) skip() { s.row++ }

// flush ends the stream and records the sheet's used range.
func (b *consBuilder) flush(name string, s *stream) error {
	if s.err != nil {
		return s.err
	}
	b.dims[name] = rangeRef(1, 1, max(s.maxCol, 1), max(s.row, 1))
	return s.sw.Flush()
}

// headerCells styles titles as a header row.
func headerCells(st *styles, titles ...string) []any {
	out := make([]any, len(titles))
	for i, t := range titles {
		out[i] = cell(t, st.header)
	}
	return out
}

// statusSheet lists every department's progress.
func (b *consBuilder) statusSheet(name string) error {
	lang, st := b.lang, b.st
	s, err := b.newStream(name, pageSetup{landscape: true, titleRows: 2}, 2, 0, 10, 40, 28, 14, 10, 10, 10, 17, 17)
	if err != nil {
		return err
	}
	s.add(cell(b.sheetTitle("sheet.status"), st.label))
	s.add(headerCells(st, tr(lang, "col.code"), tr(lang, "col.name"), tr(lang, "col.bureau"), tr(lang, "col.status"),
		tr(lang, "col.answered"), tr(lang, "col.total"), tr(lang, "col.progress"), tr(lang, "col.updated"), tr(lang, "col.submitted"))...)
	for _, d := range b.r.Status {
		var progress *float64
		if d.Total > 0 {
			p := float64(d.Answered) / float64(d.Total)
			progress = &p
		}
		s.add(cell(d.Code, st.text), cell(d.name(lang), st.wrap), cell(d.Bureau, st.wrap), cell(statusLabel(lang, d.Status), st.text),
			cell(d.Answered, st.number), cell(d.Total, st.number), cell(progress, st.percent),
			cell(dateValue(d.UpdatedAt, b.loc), st.date), cell(dateValue(d.SubmittedAt, b.loc), st.date))
	}
	if s.err == nil {
		s.err = b.f.AutoFilter(name, rangeRef(1, 2, 9, max(s.row, 3)), nil)
	}
	return b.flush(name, s)
}

// sortedScores are the submitted departments, weakest overall first (no
// score last), then by code: the Heatmap answers "who needs help" at the top.
func (b *consBuilder) sortedScores() []survey.DepartmentScores {
	out := slices.Clone(b.r.Scores)
	slices.SortStableFunc(out, func(x, y survey.DepartmentScores) int {
		xs, ys := x.Scores.Overall.Score, y.Scores.Overall.Score
		switch {
		case xs == nil && ys == nil:
		case xs == nil:
			return 1
		case ys == nil:
			return -1
		default:
			if c := cmp.Compare(*xs, *ys); c != 0 {
				return c
			}
		}
		return cmp.Compare(x.Department, y.Department)
	})
	return out
}

// targetRules colour a range against target: more than a level below red,
// below amber, at or above green. Blank and text cells (N/A) match none, so
// nothing but a score is ever coloured as one.
func (b *consBuilder) targetRules(sheet, ref string, target float64) error {
	first := strings.SplitN(ref, ":", 2)[0]
	type rule struct {
		test string
		fill string
	}
	rules := []rule{
		{fmt.Sprintf("%s<%g", first, target-1), badFill},
		{fmt.Sprintf("%s<%g", first, target), warnFill},
		{fmt.Sprintf("%s>=%g", first, target), goodFill},
	}
	opts := make([]excelize.ConditionalFormatOptions, 0, len(rules))
	for _, r := range rules {
		style, err := b.f.NewConditionalStyle(&excelize.Style{Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{r.fill}}})
		if err != nil {
			return err
		}
		opts = append(opts, excelize.ConditionalFormatOptions{
			Type: "formula", Criteria: fmt.Sprintf("AND(ISNUMBER(%s),%s)", first, r.test), Format: &style, StopIfTrue: true,
		})
	}
	return b.f.SetConditionalFormat(sheet, ref, opts)
}

// heatmapSheet writes departments × areas, each cell coloured against its
// area's target, with the government mean and the target below the
// departments.
func (b *consBuilder) heatmapSheet(name string) error {
	lang, st := b.lang, b.st
	widths := []float64{10, 32, 22, 9}
	for range b.areas {
		widths = append(widths, 12)
	}
	s, err := b.newStream(name, pageSetup{landscape: true, titleRows: 2}, 2, 4, widths...)
	if err != nil {
		return err
	}
	s.add(cell(b.sheetTitle("sheet.heatmap"), st.label))
	header := []string{tr(lang, "col.code"), tr(lang, "col.name"), tr(lang, "col.bureau"), tr(lang, "col.overall")}
	for _, a := range b.areas {
		header = append(header, trf(lang, "heatmap.col", shortTitle(a.area, lang), a.area.ID, a.target))
	}
	s.add(headerCells(st, header...)...)
	row := make([]any, 0, len(header))
	byArea := make(map[string]*survey.AreaScore, len(b.areas))
	for _, d := range b.sortedScores() {
		clear(byArea)
		for i := range d.Scores.Areas {
			byArea[d.Scores.Areas[i].ID] = &d.Scores.Areas[i]
		}
		who := b.info[d.Department]
		row = append(row[:0], cell(d.Department, st.text), cell(who.name(lang), st.wrap), cell(who.Bureau, st.wrap),
			cell(d.Scores.Overall.Score, st.score))
		for _, a := range b.areas {
			as := byArea[a.area.ID]
			switch {
			case as == nil:
				row = append(row, cell("", st.score))
			case as.Score == nil && as.AllNA:
				row = append(row, cell(tr(lang, "na"), st.na))
			default:
				row = append(row, cell(as.Score, st.score))
			}
		}
		s.add(row...)
	}
	lastDept := s.row
	means := map[string]*float64{}
	for _, bm := range b.r.Benchmarks {
		means[bm.Area] = bm.Mean
	}
	s.skip()
	mean := []any{"", cell(tr(lang, "row.govmean"), st.label), "", cell(survey.OverallMean(b.r.Scores), st.score)}
	target := []any{"", cell(tr(lang, "row.target"), st.label), "", cell(b.overallTarget(), st.score)}
	for _, a := range b.areas {
		mean = append(mean, cell(means[a.area.ID], st.score))
		target = append(target, cell(a.target, st.number))
	}
	s.add(mean...)
	s.add(target...)
	if s.err == nil && lastDept > 2 {
		s.err = b.targetRules(name, rangeRef(4, 3, 4, s.row-1), *cmp.Or(b.overallTarget(), new(float64)))
		for i, a := range b.areas {
			if s.err == nil {
				s.err = b.targetRules(name, rangeRef(5+i, 3, 5+i, s.row-1), float64(a.target))
			}
		}
	}
	if s.err == nil {
		s.err = b.f.AutoFilter(name, rangeRef(1, 2, len(header), max(lastDept, 3)), nil)
	}
	return b.flush(name, s)
}

// domainTargets are the area-weighted mean targets of each domain.
func (b *consBuilder) domainTargets() map[string]*float64 {
	lines := make([]areaLine, len(b.areas))
	for i, a := range b.areas {
		lines[i] = areaLine{domain: a.domain, area: a.area, target: a.target}
	}
	out := map[string]*float64{}
	for _, d := range b.q.Domains {
		out[d.ID] = domainTarget(lines, d.ID)
	}
	return out
}

// overallTarget is the mean of the domain targets.
func (b *consBuilder) overallTarget() *float64 {
	lines := make([]areaLine, len(b.areas))
	for i, a := range b.areas {
		lines[i] = areaLine{domain: a.domain, area: a.area, target: a.target}
	}
	return overallTarget(b.q, lines)
}

// domainsSheet writes departments × domains, coloured against each
// domain's target, with the government mean and target rows.
func (b *consBuilder) domainsSheet(name string) error {
	lang, st := b.lang, b.st
	widths := []float64{10, 32, 22, 10}
	for range b.q.Domains {
		widths = append(widths, 16)
	}
	s, err := b.newStream(name, pageSetup{titleRows: 2}, 2, 2, widths...)
	if err != nil {
		return err
	}
	s.add(cell(b.sheetTitle("sheet.domains"), st.label))
	header := []string{tr(lang, "col.code"), tr(lang, "col.name"), tr(lang, "col.bureau"), tr(lang, "col.overall")}
	for _, d := range b.q.Domains {
		header = append(header, d.Title.Or(lang)+"\n"+d.ID)
	}
	s.add(headerCells(st, header...)...)
	for _, d := range b.sortedScores() {
		who := b.info[d.Department]
		row := []any{cell(d.Department, st.text), cell(who.name(lang), st.wrap), cell(who.Bureau, st.wrap), cell(d.Scores.Overall.Score, st.score)}
		for _, dom := range b.q.Domains {
			row = append(row, cell(domainScore(d.Scores, dom.ID), st.score))
		}
		s.add(row...)
	}
	lastDept := s.row
	means, targets := survey.DomainMeans(b.q, b.r.Scores), b.domainTargets()
	s.skip()
	mean := []any{"", cell(tr(lang, "row.govmean"), st.label), "", cell(survey.OverallMean(b.r.Scores), st.score)}
	target := []any{"", cell(tr(lang, "row.target"), st.label), "", cell(b.overallTarget(), st.score)}
	for _, d := range b.q.Domains {
		mean = append(mean, cell(means[d.ID], st.score))
		target = append(target, cell(targets[d.ID], st.score))
	}
	s.add(mean...)
	s.add(target...)
	if s.err == nil && lastDept > 2 {
		s.err = b.targetRules(name, rangeRef(4, 3, 4, s.row-1), *cmp.Or(b.overallTarget(), new(float64)))
		for i, d := range b.q.Domains {
			if t := targets[d.ID]; s.err == nil && t != nil {
				s.err = b.targetRules(name, rangeRef(5+i, 3, 5+i, s.row-1), *t)
			}
		}
	}
	if s.err == nil {
		s.err = b.f.AutoFilter(name, rangeRef(1, 2, len(header), max(lastDept, 3)), nil)
	}
	return b.flush(name, s)
}
