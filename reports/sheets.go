package reports

import (
	"archive/zip"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/dpo/dgsurvey/survey"
	"github.com/xuri/excelize/v2"
)

// timeLayout is how every time is shown in the workbooks (the service's rule:
// reports show the configured time zone, not UTC).
const timeLayout = "2006-01-02 15:04"

// defaultZone is the zone reports use when the caller gives none.
const defaultZone = "Asia/Hong_Kong"

// location returns loc, or Hong Kong time, or UTC when the system has no
// time zone database (a minimal container): a report must never fail for
// want of tzdata.
func location(loc *time.Location) *time.Location {
	if loc != nil {
		return loc
	}
	if hk, err := time.LoadLocation(defaultZone); err == nil {
		return hk
	}
	return time.UTC
}

// fmtTime shows t in loc, or "" for a missing time.
func fmtTime(t *time.Time, loc *time.Location) string {
	if t == nil || t.IsZero() {
		return ""
	}
	return t.In(loc).Format(timeLayout)
}

// levelFills colour levels 0..5 from red to green. They are light tints so
// that black text stays readable on every one (contrast ratio above 7:1).
var levelFills = [survey.MaxLevel + 1]string{"F4B6B6", "F8CBAD", "FFE699", "FFF2CC", "D9EAD3", "A9D08E"}

// naFill marks N/A answers, neutral grey.
const naFill = "E7E6E6"

// Fills of a figure against its target: at or above it green, less than one
// level below amber, further below red. Below target never looks green.
const (
	goodFill = "C6EFCE"
	warnFill = "FFE699"
	badFill  = "F4B6B6"
)

// styles holds the style ids of one workbook; excelize ids are per file.
type styles struct {
	title, header, label, text, wrap, score, change, percent, na int
	level                                                        [survey.MaxLevel + 1]int
	// date shows a date cell; number a whole number (levels, targets);
	// banner is the DRAFT line; good, warn and bad tint a figure against
	// its target.
	date, day, number, banner, intro, good, warn, bad int
	// wraps are the styles that wrap text, whose rows get a height.
	wraps map[int]bool
}

// scoreFormat shows scores with two decimals, as scoring rounds them.
const scoreFormat = 2 // built-in "0.00"

// changeFormat shows the sign of a change explicitly.
var changeFormat = "+0.00;-0.00;0.00"

// percentFormat shows progress with one decimal.
var percentFormat = "0.0%"

// dateFormat shows date cells as the service shows times.
var dateFormat = "yyyy-mm-dd hh:mm"

// dayFormat shows a date without a time (the Action plan's due dates).
var dayFormat = "yyyy-mm-dd"

// font is the one typeface of every cell, named so that no viewer
// substitutes a serif face for header and level cells.
func font(bold bool, size float64, colour string) *excelize.Font {
	return &excelize.Font{Family: "Calibri", Size: size, Bold: bold, Color: colour}
}

// newStyles registers the workbook's styles.
func newStyles(f *excelize.File) (*styles, error) {
	top := &excelize.Alignment{Vertical: "top"}
	wrapTop := &excelize.Alignment{Vertical: "top", WrapText: true}
	specs := []struct {
		id    *int
		style *excelize.Style
	}{}
	s := &styles{}
	add := func(id *int, st *excelize.Style) {
		specs = append(specs, struct {
			id    *int
			style *excelize.Style
		}{id, st})
	}
	plain := font(false, 11, "000000")
	add(&s.title, &excelize.Style{Font: font(true, 14, "000000")})
	add(&s.header, &excelize.Style{
		Font:      font(true, 11, "000000"),
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9E1F2"}},
		Alignment: wrapTop,
		Border:    []excelize.Border{{Type: "bottom", Color: "8EA9DB", Style: 1}},
	})
	// Numbers sit left-aligned with an indent, so that a right-aligned
	// score never abuts the left-aligned text of the next column.
	num := &excelize.Alignment{Vertical: "top", Horizontal: "left", Indent: 1}
	add(&s.label, &excelize.Style{Font: font(true, 11, "000000"), Alignment: top})
	add(&s.text, &excelize.Style{Font: plain, Alignment: top})
	add(&s.wrap, &excelize.Style{Font: plain, Alignment: wrapTop})
	add(&s.score, &excelize.Style{Font: plain, NumFmt: scoreFormat, Alignment: num})
	add(&s.change, &excelize.Style{Font: plain, CustomNumFmt: &changeFormat, Alignment: num})
	add(&s.percent, &excelize.Style{Font: plain, CustomNumFmt: &percentFormat, Alignment: num})
	add(&s.date, &excelize.Style{Font: plain, CustomNumFmt: &dateFormat, Alignment: num})
	add(&s.day, &excelize.Style{Font: plain, CustomNumFmt: &dayFormat, Alignment: num})
	add(&s.number, &excelize.Style{Font: plain, NumFmt: 1, Alignment: num})
	add(&s.banner, &excelize.Style{Font: font(true, 12, "9C0006"), Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FFC7CE"}}, Alignment: top})
	add(&s.intro, &excelize.Style{Font: font(false, 11, "000000"), Alignment: top})
	add(&s.na, &excelize.Style{Font: plain, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{naFill}}, Alignment: wrapTop})
	for i, c := range levelFills {
		add(&s.level[i], &excelize.Style{
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{c}},
			Font:      plain,
			Alignment: wrapTop,
		})
	}
	tint := func(id *int, fill string) {
		add(id, &excelize.Style{Font: plain, NumFmt: scoreFormat, Alignment: num, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{fill}}})
	}
	tint(&s.good, goodFill)
	tint(&s.warn, warnFill)
	tint(&s.bad, badFill)
	for _, sp := range specs {
		id, err := f.NewStyle(sp.style)
		if err != nil {
			return nil, fmt.Errorf("reports: style: %w", err)
		}
		*sp.id = id
	}
	s.wraps = map[int]bool{s.header: true, s.wrap: true, s.na: true}
	for _, id := range s.level {
		s.wraps[id] = true
	}
	return s, nil
}

// cell makes one cell value for either writing path (in-memory or stream).
// Strings pass through safeText; nil pointers become empty cells, so a null
// score is never shown as 0.
func cell(v any, style int) excelize.Cell {
	switch x := v.(type) {
	case string:
		if x == "" {
			return excelize.Cell{StyleID: style}
		}
		return excelize.Cell{StyleID: style, Value: safeText(x)}
	case *float64:
		if x == nil {
			return excelize.Cell{StyleID: style}
		}
		return excelize.Cell{StyleID: style, Value: *x}
	case *int:
		if x == nil {
			return excelize.Cell{StyleID: style}
		}
		return excelize.Cell{StyleID: style, Value: *x}
	case excelize.Cell:
		return cell(x.Value, x.StyleID)
	}
	return excelize.Cell{StyleID: style, Value: v}
}

// sheet writes cells of an in-memory worksheet, keeping the first error so
// that layout code reads as a list of cells rather than of error checks.
type sheet struct {
	f    *excelize.File
	st   *styles
	name string
	err  error
	// cols are the column widths set; lines the tallest wrapped cell of
	// each row (in lines); maxRow and maxCol the used range.
	cols           []float64
	lines          map[int]int
	maxRow, maxCol int
}

// track records that cell (col, row) holds text in style, for the row
// heights and the used range.
func (s *sheet) track(col, row int, text string, style int) {
	s.maxRow, s.maxCol = max(s.maxRow, row), max(s.maxCol, col)
	if text == "" || !s.st.wraps[style] {
		return
	}
	width := 8.43
	if col <= len(s.cols) {
		width = s.cols[col-1]
	}
	if s.lines == nil {
		s.lines = map[int]int{}
	}
	s.lines[row] = max(s.lines[row], textLines(text, width))
}

// finish sets the row heights of wrapped text and the used range: neither
// is computed by excelize, and LibreOffice shows one line of a wrapped cell
// in a row without a height.
func (s *sheet) finish() error {
	if s.err != nil {
		return s.err
	}
	for row, n := range s.lines {
		if n > 1 {
			if err := s.f.SetRowHeight(s.name, row, rowHeight(n)); err != nil {
				return err
			}
		}
	}
	// An autofilter rewrites the sheet's properties, dropping the
	// fit-to-page flag the print setup set: set it again, last.
	fit := true
	if err := s.f.SetSheetProps(s.name, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return err
	}
	return s.f.SetSheetDimension(s.name, rangeRef(1, 1, max(s.maxCol, 1), max(s.maxRow, 1)))
}

// wide writes text across columns col1..col2 of row as one merged cell, so
// that a long text takes few lines; its row height counts the whole width.
func (s *sheet) wide(row, col1, col2 int, text string, style int) {
	s.set(col1, row, text, 0)
	if s.err != nil {
		return
	}
	width := 0.0
	for c := col1; c <= col2 && c <= len(s.cols); c++ {
		width += s.cols[c-1]
	}
	if text != "" && s.st.wraps[style] {
		if s.lines == nil {
			s.lines = map[int]int{}
		}
		s.lines[row] = max(s.lines[row], textLines(text, width))
	}
	from, _ := excelize.CoordinatesToCellName(col1, row)
	to, _ := excelize.CoordinatesToCellName(col2, row)
	if s.err = s.f.MergeCell(s.name, from, to); s.err == nil {
		s.err = s.f.SetCellStyle(s.name, from, to, style)
	}
}

// set writes v (see cell) at column col, row row (both 1-based).
func (s *sheet) set(col, row int, v any, style int) {
	if s.err != nil {
		return
	}
	c := cell(v, style)
	ref, err := excelize.CoordinatesToCellName(col, row)
	if err != nil {
		s.err = err
		return
	}
	text, _ := c.Value.(string)
	s.track(col, row, text, c.StyleID)
	switch x := c.Value.(type) {
	case nil:
	case string:
		err = s.f.SetCellStr(s.name, ref, x)
	case float64:
		err = s.f.SetCellFloat(s.name, ref, x, -1, 64)
	default:
		err = s.f.SetCellValue(s.name, ref, x)
	}
	if err == nil && c.StyleID != 0 {
		err = s.f.SetCellStyle(s.name, ref, ref, c.StyleID)
	}
	s.err = err
}

// row writes values from column A of row; each value is a plain value
// (unstyled) or an excelize.Cell carrying its style.
func (s *sheet) row(row int, values ...any) {
	for i, v := range values {
		s.set(i+1, row, v, 0)
	}
}

// header writes a header row in the header style (wrapped, so its height
// follows the longest title).
func (s *sheet) header(row int, titles ...string) {
	for i, t := range titles {
		s.set(i+1, row, t, s.st.header)
	}
}

// widths sets column widths from column A onwards.
func (s *sheet) widths(ws ...float64) {
	s.cols = ws
	for i, w := range ws {
		if s.err != nil {
			return
		}
		col, _ := excelize.ColumnNumberToName(i + 1)
		s.err = s.f.SetColWidth(s.name, col, col, w)
	}
}

// freezeHeader freezes the first rows rows and cols columns, so headers stay
// in view while scrolling.
func freezeHeader(rows, cols int) *excelize.Panes {
	topLeft, _ := excelize.CoordinatesToCellName(cols+1, rows+1)
	pane := "bottomLeft"
	switch {
	case rows > 0 && cols > 0:
		pane = "bottomRight"
	case cols > 0:
		pane = "topRight"
	}
	return &excelize.Panes{
		Freeze: true, XSplit: cols, YSplit: rows, TopLeftCell: topLeft, ActivePane: pane,
		Selection: []excelize.Selection{{SQRef: topLeft, ActiveCell: topLeft, Pane: pane}},
	}
}

// rangeRef is "A1:D9" for 1-based corner coordinates.
func rangeRef(col1, row1, col2, row2 int) string {
	a, _ := excelize.CoordinatesToCellName(col1, row1)
	b, _ := excelize.CoordinatesToCellName(col2, row2)
	return a + ":" + b
}

// absRef is an absolute reference into sheet for chart formulas, with the
// sheet name quoted (and its apostrophes doubled) as Excel requires.
func absRef(sheetName string, col1, row1, col2, row2 int) string {
	a, _ := excelize.CoordinatesToCellName(col1, row1, true)
	b, _ := excelize.CoordinatesToCellName(col2, row2, true)
	q := "'" + strings.ReplaceAll(sheetName, "'", "''") + "'!"
	if a == b {
		return q + a
	}
	return q + a + ":" + b
}

// docProps sets the document properties every workbook carries.
func docProps(f *excelize.File, lang, title, subject string, at time.Time) error {
	p := &excelize.DocProperties{
		Title:          propText(title),
		Subject:        propText(subject),
		Creator:        "Digital Policy Office self-assessment",
		LastModifiedBy: "Digital Policy Office self-assessment",
		Description:    tr(lang, "props.description"),
		Language:       docLanguage(lang),
	}
	if !at.IsZero() {
		p.Created = at.UTC().Format(time.RFC3339)
		p.Modified = p.Created
	}
	return f.SetDocProps(p)
}

// newWorkbook starts a workbook whose first sheet is called first (the
// default "Sheet1" is renamed rather than left behind empty) and registers
// its styles.
func newWorkbook(first string) (*excelize.File, *styles, error) {
	f := excelize.NewFile()
	if err := f.SetSheetName("Sheet1", first); err != nil {
		_ = f.Close()
		return nil, nil, err
	}
	st, err := newStyles(f)
	if err != nil {
		_ = f.Close()
		return nil, nil, err
	}
	return f, st, nil
}

// writeTo writes the finished package to w. excelize's Write first builds
// the whole zip in a bytes.Buffer and then copies it; pointing its zip
// writer straight at w keeps a 10,000-department workbook from sitting in
// memory as a whole. Every data error (a failing cursor, a bad value)
// happens while the sheets are built, before this point, so a caller that
// has not yet sent anything can still answer with an error. (excelize's
// buffer pass only patches zip64 headers of parts above 4 GiB, which these
// workbooks never reach.)
//
// dims gives the used range of streamed sheets by name, put right on the
// way out (see packageWriter).
func writeTo(f *excelize.File, w io.Writer, dims map[string]string) error {
	parts := sheetParts(f)
	byPart := make(map[string]string, len(dims))
	for name, ref := range dims {
		byPart[parts[name]] = ref
	}
	f.SetZipWriter(func(io.Writer) excelize.ZipWriter { return &packageWriter{zw: zip.NewWriter(w), dims: byPart} })
	return f.Write(io.Discard)
}
