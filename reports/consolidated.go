package reports

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"iter"
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
	// Answers yields every response of the round from one cursor. It is
	// consumed once, while the Answers sheet streams, so memory stays
	// bounded however many departments there are; an error stops the
	// workbook.
	Answers iter.Seq2[*survey.Response, error]
	// GeneratedAt stamps the workbook's properties.
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
	// areas lists the questionnaire's areas in order with their domains.
	areas []struct {
		domain *survey.Domain
		area   *survey.Area
	}
}

// WriteConsolidated writes the government-wide workbook to w:
// Status, Heatmap, Areas, Topics and Answers. The large sheets are written
// with excelize's StreamWriter, so memory grows with the number of areas,
// not with the number of departments or answers.
func WriteConsolidated(w io.Writer, r ConsolidatedReport) error {
	if r.Questionnaire == nil {
		return errors.New("reports: consolidated report needs the round's questionnaire")
	}
	b := &consBuilder{r: r, lang: normLang(r.Lang), loc: location(r.Location), q: r.Questionnaire}
	for d := range b.q.Domains {
		for a := range b.q.Domains[d].Areas {
			b.areas = append(b.areas, struct {
				domain *survey.Domain
				area   *survey.Area
			}{&b.q.Domains[d], &b.q.Domains[d].Areas[a]})
		}
	}
	names := &sheetNames{}
	sheets := []struct {
		name  string
		write func(string) error
	}{
		{names.name(tr(b.lang, "sheet.status"), "Status"), b.statusSheet},
		{names.name(tr(b.lang, "sheet.heatmap"), "Heatmap"), b.heatmapSheet},
		{names.name(tr(b.lang, "sheet.areas"), "Areas"), b.areasSheet},
		{names.name(tr(b.lang, "sheet.topics"), "Topics"), b.topicsSheet},
		{names.name(tr(b.lang, "sheet.answers"), "Answers"), b.answersSheet},
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
	return writeTo(f, w)
}

// stream writes rows through a StreamWriter, keeping the first error.
type stream struct {
	sw  *excelize.StreamWriter
	row int
	buf []any
	err error
}

// newStream starts streaming sheet with column widths set (they must come
// before the first row) and the top rows × left columns frozen.
func newStream(f *excelize.File, sheet string, freezeRows, freezeCols int, widths ...float64) (*stream, error) {
	sw, err := f.NewStreamWriter(sheet)
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
	return &stream{sw: sw}, nil
}

// add writes the next row; values go through cell (so text is neutralised).
// The row buffer is reused, as SetRow copies what it needs.
func (s *stream) add(values ...any) {
	if s.err != nil {
		return
	}
	s.row++
	s.buf = s.buf[:0]
	for _, v := range values {
		s.buf = append(s.buf, cell(v, 0))
	}
	ref, _ := excelize.CoordinatesToCellName(1, s.row)
	s.err = s.sw.SetRow(ref, s.buf)
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
	s, err := newStream(b.f, name, 1, 0, 10, 40, 28, 14, 10, 10, 10, 17, 17)
	if err != nil {
		return err
	}
	s.add(headerCells(st, tr(lang, "col.code"), tr(lang, "col.name"), tr(lang, "col.bureau"), tr(lang, "col.status"),
		tr(lang, "col.answered"), tr(lang, "col.total"), tr(lang, "col.progress"), tr(lang, "col.updated"), tr(lang, "col.submitted"))...)
	for _, d := range b.r.Status {
		var progress *float64
		if d.Total > 0 {
			p := float64(d.Answered) / float64(d.Total)
			progress = &p
		}
		s.add(cell(d.Code, st.text), cell(d.name(lang), st.text), cell(d.Bureau, st.text), cell(statusLabel(lang, d.Status), st.text),
			d.Answered, d.Total, cell(progress, st.percent), fmtTime(d.UpdatedAt, b.loc), fmtTime(d.SubmittedAt, b.loc))
	}
	if s.err == nil {
		s.err = b.f.AutoFilter(name, rangeRef(1, 1, 9, max(s.row, 2)), nil)
	}
	if s.err != nil {
		return s.err
	}
	return s.sw.Flush()
}

// heatmapSheet writes departments × areas with a red–yellow–green colour
// scale fixed to 0..5, so colours mean the same in every round.
func (b *consBuilder) heatmapSheet(name string) error {
	lang, st := b.lang, b.st
	widths := []float64{10, 36, 24, 10}
	for range b.areas {
		widths = append(widths, 14)
	}
	// Freeze the header row and the code column, so both stay in view.
	s, err := newStream(b.f, name, 1, 1, widths...)
	if err != nil {
		return err
	}
	header := []string{tr(lang, "col.code"), tr(lang, "col.name"), tr(lang, "col.bureau"), tr(lang, "col.overall")}
	for _, a := range b.areas {
		header = append(header, a.area.Title.Or(lang))
	}
	s.add(headerCells(st, header...)...)
	info := make(map[string]StatusRow, len(b.r.Status))
	for _, d := range b.r.Status {
		info[d.Code] = d
	}
	row := make([]any, 0, len(header))
	byArea := make(map[string]*survey.AreaScore, len(b.areas))
	for _, d := range b.r.Scores {
		clear(byArea)
		for i := range d.Scores.Areas {
			byArea[d.Scores.Areas[i].ID] = &d.Scores.Areas[i]
		}
		who := info[d.Department]
		row = append(row[:0], cell(d.Department, st.text), cell(who.name(lang), st.text), cell(who.Bureau, st.text),
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
	last := len(header)
	if s.err == nil && s.row > 1 {
		s.err = b.f.SetConditionalFormat(name, rangeRef(4, 2, last, s.row), []excelize.ConditionalFormatOptions{{
			Type:     "3_color_scale",
			Criteria: "=",
			MinType:  "num", MinValue: "0", MinColor: "#F8696B",
			MidType: "num", MidValue: "2.5", MidColor: "#FFEB84",
			MaxType: "num", MaxValue: "5", MaxColor: "#63BE7B",
		}})
	}
	if s.err == nil {
		s.err = b.f.AutoFilter(name, rangeRef(1, 1, last, max(s.row, 2)), nil)
	}
	if s.err != nil {
		return s.err
	}
	return s.sw.Flush()
}

// areasSheet writes the benchmark statistics of every area.
func (b *consBuilder) areasSheet(name string) error {
	lang, st := b.lang, b.st
	s := &sheet{f: b.f, st: st, name: name}
	s.widths(24, 14, 34, 10, 10, 10, 10, 10, 10, 10)
	s.header(1, tr(lang, "col.domain"), tr(lang, "col.area.id"), tr(lang, "col.area"), tr(lang, "col.n"), tr(lang, "col.mean"),
		tr(lang, "col.median"), tr(lang, "col.p25"), tr(lang, "col.p75"), tr(lang, "col.min"), tr(lang, "col.max"))
	titles := b.titles()
	for i, bm := range b.r.Benchmarks {
		s.row(i+2, cell(titles[bm.Domain], st.wrap), cell(bm.Area, st.text), cell(titles[bm.Area], st.wrap), bm.N,
			cell(bm.Mean, st.score), cell(bm.Median, st.score), cell(bm.P25, st.score), cell(bm.P75, st.score),
			cell(bm.Min, st.score), cell(bm.Max, st.score))
	}
	if s.err == nil {
		s.err = b.f.SetPanes(name, freezeHeader(1, 0))
	}
	return s.err
}

// titles maps domain and area ids to their titles in the workbook's
// language; an id the questionnaire lacks maps to itself.
func (b *consBuilder) titles() map[string]string {
	m := map[string]string{}
	for _, a := range b.areas {
		m[a.domain.ID] = a.domain.Title.Or(b.lang)
		m[a.area.ID] = a.area.Title.Or(b.lang)
	}
	for _, bm := range b.r.Benchmarks {
		if _, ok := m[bm.Area]; !ok {
			m[bm.Area] = bm.Area
		}
		if _, ok := m[bm.Domain]; !ok {
			m[bm.Domain] = bm.Domain
		}
	}
	return m
}

// topicsSheet writes the seminar topic ranking, or says there is none yet.
func (b *consBuilder) topicsSheet(name string) error {
	lang, st := b.lang, b.st
	s := &sheet{f: b.f, st: st, name: name}
	s.widths(8, 24, 32, 40, 12, 12, 14, 40, 14, 10)
	s.header(1, tr(lang, "col.rank"), tr(lang, "col.domain"), tr(lang, "col.area"), tr(lang, "col.topic"),
		tr(lang, "col.mean.score"), tr(lang, "col.total.gap"), tr(lang, "col.below.n"), tr(lang, "col.below"),
		tr(lang, "col.change"), tr(lang, "col.assessed"))
	if len(b.r.Topics) == 0 {
		s.set(1, 2, tr(lang, "no.topics"), st.text)
	}
	titles := b.titles()
	for i, t := range b.r.Topics {
		area, topic := t.AreaTitleEN, t.TopicEN
		if lang == survey.LangZH {
			area, topic = cmp.Or(t.AreaTitleZH, t.AreaTitleEN), cmp.Or(t.TopicZH, t.TopicEN)
		}
		domain := titles[t.Domain]
		if domain == "" {
			domain = t.Domain
		}
		s.row(i+2, t.Rank, cell(domain, st.wrap), cell(area, st.wrap), cell(topic, st.wrap), cell(t.MeanScore, st.score),
			cell(&t.TotalGap, st.score), len(t.BelowTarget), cell(strings.Join(t.BelowTarget, ", "), st.wrap),
			cell(t.Change, st.change), t.Departments)
	}
	if s.err == nil {
		s.err = b.f.SetPanes(name, freezeHeader(1, 0))
	}
	return s.err
}
