package reports

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dpo/dgsurvey/survey"
)

// plannerGolden compares a workbook's dump with testdata/<name>.golden.
func plannerGolden(t *testing.T, name string, data []byte) string {
	t.Helper()
	got := dumpWorkbook(t, data)
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return got
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./reports -run TestPlannerWorkbooks -update)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs; first difference:\n%s", path, firstDiff(string(want), got))
	}
	return got
}

func TestPlannerWorkbooks(t *testing.T) {
	fx := newFixture(t)
	mean, share, change := 2.4, 0.5, -0.25
	themes := []survey.ThemeRow{
		{Rank: 1, Theme: "cyber", TitleEN: "Cybersecurity", TitleZH: "網絡安全", SeminarEN: "Protecting cybersecurity", SeminarZH: "保障網絡安全",
			Areas: []string{"cs-iam", "cs-cloud"}, BelowTarget: []string{"ABC", "DEF"}, Noncompliant: []string{"ABC"},
			MeanScore: &mean, TotalGap: 1.2, StretchGap: 0.5, BelowShare: &share, Change: &change, Departments: 4},
	}
	for _, lang := range []string{survey.LangEN, survey.LangZH} {
		t.Run("topics with themes "+lang, func(t *testing.T) {
			r := fx.topicsReport(lang)
			r.Baseline, r.Themes = 3, themes
			dump := plannerGolden(t, "topics-themes-"+lang, writeTopicsBook(t, r))
			if !strings.Contains(dump, "Protecting cybersecurity") && !strings.Contains(dump, "保障網絡安全") {
				t.Errorf("the Themes sheet lacks the seminar title:\n%s", dump)
			}
		})
		t.Run("invitations "+lang, func(t *testing.T) {
			var buf bytes.Buffer
			err := WriteInvitations(&buf, InvitationsReport{Lang: lang, Questionnaire: fx.q, Baseline: 3, GeneratedAt: fx.generated,
				Seminar: survey.Seminar{ID: "r2026_20260601_cyber", TitleEN: "Protecting cybersecurity", TitleZH: "保障網絡安全", Date: "2026-06-01",
					Theme: "cyber", Areas: []string{"cs-iam", "cs-cloud"}, Round: "r2026", Attendance: []string{"DEF"}},
				Rows: []InvitationRow{
					{Invitee: survey.Invitee{Department: "DEF", Score: 1.5, Gap: 3, BelowAreas: []string{"cs-iam", "cs-cloud"}}, NameEN: "Dept DEF", NameZH: "部門 DEF", Bureau: "B1",
						Contacts: []survey.Contact{{Name: "=Chan Tai Man", Email: "chan@example.gov"}}, Attended: true},
					{Invitee: survey.Invitee{Department: "ABC", Score: 2.67, Gap: 0.33, BelowAreas: []string{"cs-iam"}}, NameEN: "Dept ABC", NameZH: "部門 ABC", Bureau: "B2"},
				}})
			if err != nil {
				t.Fatal(err)
			}
			dump := plannerGolden(t, "invitations-"+lang, buf.Bytes())
			if !strings.Contains(dump, "'=Chan Tai Man <chan@example.gov>") {
				t.Errorf("a contact's name is not neutralised:\n%s", dump)
			}
			if strings.Index(dump, "\tDEF") > strings.Index(dump, "\tABC") {
				t.Errorf("the weakest department is not first:\n%s", dump)
			}
		})
	}
	if name := InvitationsFileName("r2026_20260601_cyber", survey.LangZH); name != "r2026_20260601_cyber-invitations-zh.xlsx" {
		t.Errorf("file name %q", name)
	}
}
