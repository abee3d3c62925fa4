package reports

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dpo/dgsurvey/survey"
)

// requireTool finds a command line tool the PDF tests need; without it they
// skip, or fail when SURVEY_REQUIRE_SOFFICE=1 (as in CI).
func requireTool(t *testing.T, name, pkg string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("SURVEY_REQUIRE_SOFFICE") == "1" {
			t.Fatalf("SURVEY_REQUIRE_SOFFICE=1 but %s is not on PATH (Debian: apt-get install %s)", name, pkg)
		}
		t.Skipf("%s not on PATH: install %s to run this test", name, pkg)
	}
	return path
}

// pdfPages converts each workbook to PDF with a headless LibreOffice, as a
// department head printing it would get it, and returns the text of each
// PDF's pages (pdftotext), by workbook name.
func pdfPages(t *testing.T, books map[string][]byte) map[string][]string {
	t.Helper()
	soffice := requireTool(t, "soffice", "libreoffice-calc-nogui")
	pdftotext := requireTool(t, "pdftotext", "poppler-utils")
	if testing.Short() {
		t.Skip("-short: skipping the LibreOffice conversion")
	}
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	args := []string{"-env:UserInstallation=file://" + filepath.Join(dir, "profile"), "--headless", "--norestore",
		"--convert-to", "pdf", "--outdir", out}
	for name, data := range books {
		path := filepath.Join(dir, name+".xlsx")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		args = append(args, path)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, soffice, args...)
	cmd.Env = append(os.Environ(), "HOME="+dir)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, b)
	}
	pages := map[string][]string{}
	for name := range books {
		pdf := filepath.Join(out, name+".pdf")
		txt := filepath.Join(dir, name+".txt")
		if b, err := exec.CommandContext(ctx, pdftotext, "-layout", pdf, txt).CombinedOutput(); err != nil {
			t.Fatalf("pdftotext %s: %v\n%s", pdf, err, b)
		}
		b, err := os.ReadFile(txt)
		if err != nil {
			t.Fatal(err)
		}
		texts := strings.Split(string(b), "\f")
		if len(texts) > 0 && strings.TrimSpace(texts[len(texts)-1]) == "" {
			texts = texts[:len(texts)-1]
		}
		pages[name] = texts
	}
	return pages
}

// headerLine is a page's first non-empty line: the printed header, which
// ends with the sheet's name.
func headerLine(page string) string {
	for _, line := range strings.Split(page, "\n") {
		if strings.TrimSpace(line) != "" {
			return strings.TrimSpace(line)
		}
	}
	return ""
}

// pagesPerSheet counts the printed pages of each sheet, telling a page's
// sheet by the name its header ends with (sheets print in order).
func pagesPerSheet(t *testing.T, sheets, pages []string) map[string]int {
	t.Helper()
	out := map[string]int{}
	next := 0
	for i, p := range pages {
		h := headerLine(p)
		found := false
		for j := next; j < len(sheets); j++ {
			if strings.HasSuffix(h, sheets[j]) {
				out[sheets[j]]++
				next, found = j, true
				break
			}
		}
		if !found {
			t.Errorf("page %d: header %q names none of the sheets %q", i+1, h, sheets[next:])
		}
	}
	return out
}

// TestPrintedWorkbooks prints every workbook through LibreOffice: the
// department Summary is one page, every sheet with a chart is one page (so
// no chart spans a page break), every page carries the marking and its
// page number, and the Chinese workbooks' PDF text holds their Chinese
// sheet titles (so the CJK font is there).
func TestPrintedWorkbooks(t *testing.T) {
	fx := newFixture(t)
	books := map[string][]byte{
		"dept-en":   writeDept(t, fx.department("ABC", survey.LangEN, true)),
		"dept-zh":   writeDept(t, fx.department("ABC", survey.LangZH, true)),
		"draft-en":  writeDept(t, fx.department("GHI", survey.LangEN, false)),
		"cons-en":   writeCons(t, fx.consolidated(survey.LangEN, true)),
		"cons-zh":   writeCons(t, fx.consolidated(survey.LangZH, true)),
		"topics-en": writeTopicsBook(t, fx.topicsReport(survey.LangEN)),
		"topics-zh": writeTopicsBook(t, fx.topicsReport(survey.LangZH)),
	}
	books["bank-en"] = writeDept(t, bankReport(t, survey.LangEN))
	books["bank-zh"] = writeDept(t, bankReport(t, survey.LangZH))
	pages := pdfPages(t, books)

	onePage := map[string][]string{
		"dept-en": {"Summary", "Trend"}, "dept-zh": {"摘要", "趨勢"}, "draft-en": {"Summary"}, "bank-en": {"Summary", "Trend"}, "bank-zh": {"摘要", "趨勢"},
		"cons-en": {"Trend"}, "cons-zh": {"趨勢"}, "topics-en": {"Topics"}, "topics-zh": {"研討會主題"},
	}
	for name, data := range books {
		t.Run(name, func(t *testing.T) {
			sheets := openBook(t, data).GetSheetList()
			counts := pagesPerSheet(t, sheets, pages[name])
			t.Logf("%d pages: %v", len(pages[name]), counts)
			for _, s := range onePage[name] {
				if counts[s] != 1 {
					t.Errorf("sheet %s prints on %d pages, want 1 (pages per sheet: %v)", s, counts[s], counts)
				}
			}
			for i, p := range pages[name] {
				if !strings.Contains(p, "RESTRICTED") || !strings.Contains(p, "限閱文件") {
					t.Errorf("page %d has no marking:\n%s", i+1, p)
				}
			}
			if strings.HasSuffix(name, "-zh") {
				all := strings.Join(pages[name], "\n")
				for _, s := range sheets {
					if !strings.Contains(all, s) {
						t.Errorf("the PDF text lacks the sheet title %q", s)
					}
				}
				if !strings.Contains(all, "第 1 頁") {
					t.Error("the PDF text lacks the Chinese page number")
				}
			} else if !strings.Contains(pages[name][0], "Page 1 of") {
				t.Errorf("page 1 has no page number:\n%s", pages[name][0])
			}
		})
	}
}

// TestWriteSamples writes sample workbooks (the built-in bank at full size)
// into $SURVEY_REPORTS_SAMPLES, for looking at them in a spreadsheet program
// and for the README's screenshot; it skips without the variable.
func TestWriteSamples(t *testing.T) {
	dir := os.Getenv("SURVEY_REPORTS_SAMPLES")
	if dir == "" {
		t.Skip("set SURVEY_REPORTS_SAMPLES=<dir> to write sample workbooks")
	}
	fx := newFixture(t)
	books := map[string][]byte{
		"department-en.xlsx":   writeDept(t, bankReport(t, survey.LangEN)),
		"department-zh.xlsx":   writeDept(t, bankReport(t, survey.LangZH)),
		"consolidated-en.xlsx": writeCons(t, fx.consolidated(survey.LangEN, true)),
		"topics-en.xlsx":       writeTopicsBook(t, fx.topicsReport(survey.LangEN)),
	}
	for name, data := range books {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
