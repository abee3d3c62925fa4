package reports

import (
	"fmt"
	"math"
	"strings"
	"time"
	"unicode"

	"github.com/xuri/excelize/v2"
)

// DefaultMarking is the classification printed on every page when the
// caller does not say otherwise (the service's reports.marking default):
// the workbooks describe the government's security posture.
const DefaultMarking = "RESTRICTED 限閱文件"

// pageSetup is how one sheet prints.
type pageSetup struct {
	// landscape turns the page; A4 portrait otherwise.
	landscape bool
	// onePage fits the whole sheet on one page (a sheet with a chart, so
	// that the chart never spans a page break); otherwise the sheet is
	// fitted to the page width and runs over as many pages as it needs.
	onePage bool
	// titleRows repeats rows 1..titleRows at the top of every page.
	titleRows int
}

// pageContext is what the header and footer of every page of a workbook say.
type pageContext struct {
	lang string
	// marking is the classification (empty: none printed).
	marking string
	// context names the round (and department) on the left of the header.
	context string
	// generated is when the workbook was made, shown in the footer.
	generated time.Time
	loc       *time.Location
}

// headerText keeps text printable in an Excel header: "&" starts a code
// there, and the whole section is limited to 255 characters.
func headerText(s string) string {
	s = strings.ReplaceAll(strings.Join(strings.Fields(xmlSafe(s)), " "), "&", "&&")
	return truncateUTF16(s, 80)
}

// printSetup applies A4, fit to width (or to one page), repeated title rows
// and the header and footer to sheet. For a streamed sheet it must run
// before the stream starts: the sheet's properties are written first.
func printSetup(f *excelize.File, sheet string, p pageSetup, c pageContext) error {
	a4 := 9
	orientation := "portrait"
	if p.landscape {
		orientation = "landscape"
	}
	wide, tall := 1, 0
	if p.onePage {
		tall = 1
	}
	if err := f.SetPageLayout(sheet, &excelize.PageLayoutOptions{
		Size: &a4, Orientation: &orientation, FitToWidth: &wide, FitToHeight: &tall,
	}); err != nil {
		return err
	}
	fit := true
	if err := f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return err
	}
	left, right, top, bottom, header, footer := 0.5, 0.5, 0.75, 0.75, 0.3, 0.3
	if err := f.SetPageMargins(sheet, &excelize.PageLayoutMarginsOptions{
		Left: &left, Right: &right, Top: &top, Bottom: &bottom, Header: &header, Footer: &footer,
	}); err != nil {
		return err
	}
	mark := ""
	if m := headerText(c.marking); m != "" {
		mark = `&"-,Bold"` + m
	}
	generated := ""
	if !c.generated.IsZero() {
		generated = headerText(tr(c.lang, "generated.at") + " " + c.generated.In(c.loc).Format(timeLayout))
	}
	if err := f.SetHeaderFooter(sheet, &excelize.HeaderFooterOptions{
		OddHeader: "&L" + headerText(c.context) + "&C" + mark + "&R&A",
		OddFooter: "&L" + generated + "&C" + mark + "&R" + tr(c.lang, "page.of"),
	}); err != nil {
		return err
	}
	if p.titleRows > 0 {
		return f.SetDefinedName(&excelize.DefinedName{
			Name: "_xlnm.Print_Titles", Scope: sheet,
			RefersTo: fmt.Sprintf("'%s'!$1:$%d", strings.ReplaceAll(sheet, "'", "''"), p.titleRows),
		})
	}
	return nil
}

// lineHeight is the height in points of one line of 11-point text.
const lineHeight = 15.0

// maxRowHeight is Excel's limit for a row's height in points.
const maxRowHeight = 409.0

// textLines estimates how many lines text takes in a wrapped cell of width
// characters: CJK and other wide characters count twice, as they render.
func textLines(text string, width float64) int {
	usable := max(width-1, 1)
	lines := 0
	for _, part := range strings.Split(text, "\n") {
		w := 0.0
		for _, r := range part {
			if isWide(r) {
				w += 2
			} else {
				w += 0.88 // proportional text averages under one digit's width
			}
		}
		lines += max(1, int(math.Ceil(w/usable)))
	}
	return lines
}

// isWide says whether r renders about two character units wide.
func isWide(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul) ||
		(r >= 0x3000 && r <= 0x303F) || (r >= 0xFF00 && r <= 0xFFEF)
}

// rowHeight is the explicit height of a row whose tallest wrapped cell
// takes lines lines: explicit, because LibreOffice does not grow rows to
// wrapped text on opening.
func rowHeight(lines int) float64 {
	return min(maxRowHeight, float64(max(lines, 1))*lineHeight+2)
}

// excelSerial is t's wall-clock time in loc as an Excel date serial (days
// since 1899-12-30), so a time is a date cell that sorts, filters and
// computes as one.
func excelSerial(t time.Time, loc *time.Location) float64 {
	t = t.In(loc)
	wall := time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, time.UTC)
	epoch := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	// excelize writes 15 significant digits, cutting 16:16 to a hair
	// below, which a reader that truncates seconds (LibreOffice) shows as
	// 16:15:59: half a millisecond more keeps every digit's reading right.
	const halfMillisecond = 0.0005 / 86400
	return float64(wall.Sub(epoch)/time.Second)/86400 + halfMillisecond
}

// dateValue is a time for a date cell: its serial, or nil (an empty cell).
func dateValue(t *time.Time, loc *time.Location) *float64 {
	if t == nil || t.IsZero() {
		return nil
	}
	v := excelSerial(*t, loc)
	return &v
}
