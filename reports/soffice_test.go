package reports

import (
	"context"
	"encoding/csv"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/dpo/dgsurvey/survey"
)

// csvAllSheets is LibreOffice's CSV filter with options: comma, double
// quote, UTF-8, from row 1, …, raw values (not as shown), and -1 = every
// sheet to its own "<name>-<sheet>.csv" (LibreOffice 7.2 and later).
const csvAllSheets = `csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1`

// TestLibreOfficeOpensWorkbooks converts the workbooks with a headless
// LibreOffice and checks that the values came through: the files open
// without repair and the numbers and neutralised texts read back as
// written. It skips when soffice is not installed.
func TestLibreOfficeOpensWorkbooks(t *testing.T) {
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		if os.Getenv("SURVEY_REQUIRE_SOFFICE") == "1" {
			t.Fatal("SURVEY_REQUIRE_SOFFICE=1 but soffice is not on PATH")
		}
		t.Skip("soffice not on PATH: install LibreOffice (Debian: apt-get install libreoffice-calc-nogui) to run this test")
	}
	if testing.Short() {
		t.Skip("-short: skipping the LibreOffice conversion")
	}
	fx := newFixture(t)
	dir := t.TempDir()
	books := map[string][]byte{
		"dept-en": writeDept(t, fx.department("ABC", survey.LangEN, true)),
		"dept-zh": writeDept(t, fx.department("ABC", survey.LangZH, true)),
		"cons-en": writeCons(t, fx.consolidated(survey.LangEN, true)),
	}
	args := []string{"-env:UserInstallation=file://" + filepath.Join(dir, "profile"), "--headless", "--norestore",
		"--convert-to", csvAllSheets, "--outdir", filepath.Join(dir, "out")}
	for name, data := range books {
		path := filepath.Join(dir, name+".xlsx")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		args = append(args, path)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, soffice, args...)
	cmd.Env = append(os.Environ(), "HOME="+dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}

	tests := []struct {
		file string
		row  []string // a row that must appear, compared on its first cells
	}{
		{"dept-en-Summary.csv", []string{"Overall", "Developing", "2.83", "2", "2.86", "3.25"}},
		{"dept-en-Summary.csv", []string{"Department", `'=HYPERLINK("http://evil.example","click")`}},
		{"dept-en-Summary.csv", []string{"Identity and access", "IAM", "2.67", "2", "3.34", "4", "1.33", "2/2"}},
		{"dept-en-Summary.csv", []string{"Submitted at", "2026-03-20 16:16:00"}},
		{"dept-en-Cybersecurity.csv", []string{"Cloud security", "cs-cloud-1", "Cloud security assessment", "", "N/A", "", "'=cmd|' /C calc'!A0"}},
		{"dept-en-Action plan.csv", []string{"1", "Mandatory", "Identity and access", "cs-iam-1"}},
		{"dept-en-Gaps.csv", []string{"Identity and access", "Cybersecurity", "2.67", "4", "1.33", "2/2", "Access and identity", "Access control for leaders"}},
		{"dept-en-Trend.csv", []string{"Identity and access", "cs-iam", "1.67", "2.67", "1"}},
		{"dept-zh-摘要.csv", []string{"整體", "發展中", "2.83"}},
		{"dept-zh-差距.csv", []string{"身分及存取", "網絡安全", "2.67", "4", "1.33", "2/2", "存取及身分", "領導者的存取控制"}},
		{"cons-en-Status.csv", []string{"GHI", "'\rCarriage Department", "Plain Bureau", "In progress", "1", "6"}},
		{"cons-en-Heatmap.csv", []string{"ABC", `'=HYPERLINK("http://evil.example","click")`, "'-x Bureau", "2.83", "2.67", "N/A", "3"}},
		{"cons-en-Areas.csv", []string{"Cybersecurity", "cs-iam", "Identity and access", "4", "2", "1", "3.34"}},
		{"cons-en-Topics.csv", []string{"1", "Cybersecurity", "Cloud security", "Securing cloud services", "Securing cloud services", "2.5", "0.5", "1", "DEF"}},
		{"cons-en-Answers.csv", []string{"2026", "'-x Bureau", "ABC", `'=HYPERLINK("http://evil.example","click")`, "cs", "cs-cloud", "cs-cloud-1", "1", "1", "", "TRUE", "FALSE", "submitted", "2026-03-20 16:16:00", "'=cmd|' /C calc'!A0"}},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			rows := readCSV(t, filepath.Join(dir, "out", tc.file))
			for _, r := range rows {
				if len(r) >= len(tc.row) && slices.Equal(r[:len(tc.row)], tc.row) {
					return
				}
			}
			t.Errorf("%s has no row starting %q; rows:\n%q", tc.file, tc.row, rows)
		})
	}
	if rows := readCSV(t, filepath.Join(dir, "out", "cons-en-Answers.csv")); len(rows) != 13 {
		t.Errorf("Answers has %d rows after LibreOffice, want 13 (header + 12 submitted answers)", len(rows))
	}
}

// readCSV reads a whole CSV file LibreOffice wrote.
func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		entries, _ := os.ReadDir(filepath.Dir(path))
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Fatalf("%v; LibreOffice wrote %q", err, names)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}
