package reports

import (
	"archive/zip"
	"bytes"
	"io"
	"io/fs"
	"regexp"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// The package writer fixes two things excelize v2.11.1 cannot be told while
// the parts stream out: a streamed sheet's <dimension> (written before its
// first row, so unknown for a cursor-fed sheet) and the line style of radar
// series (excelize applies series line and marker options only to line,
// scatter and stock charts, so Target would look like the other series).

// packageWriter is an excelize.ZipWriter over archive/zip that rewrites
// chosen parts on the way out.
type packageWriter struct {
	zw *zip.Writer
	// dims maps a worksheet part to its real used range.
	dims map[string]string
}

// Create opens part name, rewriting it when it needs a fix.
func (p *packageWriter) Create(name string) (io.Writer, error) {
	w, err := p.zw.Create(name)
	if err != nil {
		return nil, err
	}
	if ref, ok := p.dims[name]; ok {
		return &dimensionFixer{w: w, ref: ref}, nil
	}
	if strings.HasPrefix(name, "xl/charts/chart") {
		return &chartFixer{w: w}, nil
	}
	return w, nil
}

// AddFS adds the files of fsys.
func (p *packageWriter) AddFS(fsys fs.FS) error { return p.zw.AddFS(fsys) }

// Close finishes the package.
func (p *packageWriter) Close() error { return p.zw.Close() }

// streamedDimension is what excelize writes for a streamed sheet's used range.
var streamedDimension = []byte(`<dimension ref="A1"></dimension>`)

// dimensionFixer replaces the first <dimension> of a worksheet part, which
// comes within its first few hundred bytes, and passes the rest through.
type dimensionFixer struct {
	w    io.Writer
	ref  string
	head []byte
	done bool
}

func (d *dimensionFixer) Write(b []byte) (int, error) {
	if d.done {
		return d.w.Write(b)
	}
	d.head = append(d.head, b...)
	if i := bytes.Index(d.head, streamedDimension); i >= 0 {
		fixed := append(append(append([]byte{}, d.head[:i]...), `<dimension ref="`+d.ref+`"></dimension>`...), d.head[i+len(streamedDimension):]...)
		d.done, d.head = true, nil
		if _, err := d.w.Write(fixed); err != nil {
			return 0, err
		}
		return len(b), nil
	}
	if len(d.head) > 64<<10 || bytes.Contains(d.head, []byte("<sheetData")) {
		d.done = true
		head := d.head
		d.head = nil
		if _, err := d.w.Write(head); err != nil {
			return 0, err
		}
	}
	return len(b), nil
}

// chartFixer rewrites radar series as lines. excelize writes a chart part
// with a single Write of the whole document, so the fix applies per call.
type chartFixer struct{ w io.Writer }

// radarSeriesFill is a radar series' colour as excelize writes it from
// ChartSeries.Fill.
var radarSeriesFill = regexp.MustCompile(`<spPr><a:solidFill><a:srgbClr val="([0-9A-F]{6})"></a:srgbClr></a:solidFill></spPr>`)

func (c *chartFixer) Write(b []byte) (int, error) {
	if !bytes.Contains(b, []byte("<radarChart>")) {
		return c.w.Write(b)
	}
	fixed := radarSeriesFill.ReplaceAllFunc(b, func(m []byte) []byte {
		colour := string(radarSeriesFill.FindSubmatch(m)[1])
		dash, marker := "", `<marker><symbol val="circle"></symbol><size val="5"></size></marker>`
		if colour == targetColour {
			dash, marker = `<a:prstDash val="dash"></a:prstDash>`, `<marker><symbol val="none"></symbol></marker>`
		}
		return []byte(`<spPr><a:ln w="28575" cap="rnd"><a:solidFill><a:srgbClr val="` + colour +
			`"></a:srgbClr></a:solidFill>` + dash + `</a:ln></spPr>` + marker)
	})
	if _, err := c.w.Write(fixed); err != nil {
		return 0, err
	}
	return len(b), nil
}

// Series colours of every chart: dark enough for text-level contrast on
// white (each above 4.5:1), told apart by hue and, for Target, by a dashed
// line as well.
const (
	departmentColour = "1F4E79" // dark blue
	governmentColour = "C55A11" // dark orange
	targetColour     = "404040" // dark grey, dashed
	labelColour      = "262626" // axis and category labels
)

// seriesColours are the line colours of a trend chart's series in order.
var seriesColours = []string{"1F4E79", "C55A11", "375623", "7030A0", "833C0B", "203864"}

// sheetParts maps each sheet name to its worksheet part in f.
func sheetParts(f *excelize.File) map[string]string {
	out := map[string]string{}
	for id, name := range f.GetSheetMap() {
		out[name] = "xl/worksheets/sheet" + strconv.Itoa(id) + ".xml"
	}
	return out
}
