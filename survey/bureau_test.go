package survey_test

import (
	"testing"
	"time"

	"github.com/dpo/dgsurvey/survey"
)

func TestBureauNames(t *testing.T) {
	now := time.Date(2026, 2, 2, 2, 0, 0, 0, time.UTC)
	hhb, err := survey.NewBureau("HHB", " Health Bureau ", "醫務衞生局", now)
	if err != nil {
		t.Fatal(err)
	}
	names := survey.NewBureauNames([]survey.Bureau{*hhb})
	for _, tc := range []struct{ value, lang, want string }{
		{"HHB", survey.LangZH, "醫務衞生局"},
		{"HHB", survey.LangEN, "Health Bureau"},
		{"health bureau", survey.LangZH, "醫務衞生局"},     // free text of an earlier version
		{"Typo Bureau", survey.LangZH, "Typo Bureau"}, // not in the list: as stored
	} {
		t.Run(tc.value+" "+tc.lang, func(t *testing.T) {
			if got := names.Name(tc.value, tc.lang); got != tc.want {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
		})
	}
	if _, err := survey.NewBureau("bad code", "", "", now); survey.ErrorCode(err) != survey.EINVALID {
		t.Fatalf("invalid bureau: %v", err)
	}
	same := "Health Bureau"
	next, changed, err := hhb.Apply(survey.BureauChange{NameEN: &same}, now)
	if err != nil || len(changed) != 0 || next.Version != hhb.Version {
		t.Fatalf("an unchanged name: %v %v", changed, err)
	}
}
