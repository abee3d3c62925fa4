package wording_test

import (
	"strings"
	"testing"
	"unicode"

	"github.com/dpo/dgsurvey/survey"
	"github.com/dpo/dgsurvey/survey/wording"
)

// Deliberate exceptions to the rules below, each with its reason. Both are
// empty today: "N/A" is 「不適用」, not "N/A", in Chinese. An acronym or a
// product name (say "API" or "Excel") that is the same in both languages
// would be listed here.
var (
	// sameInBothLanguages may have identical English and Chinese.
	sameInBothLanguages = map[string]string{}
	// noHan may have Chinese without a Han character.
	noHan = map[string]string{}
)

// TestEveryKeyInBothLanguages: every shared label has an English and a
// Chinese text, the Chinese is Chinese (it has a Han character) and not a
// copy of the English, and the English has none.
func TestEveryKeyInBothLanguages(t *testing.T) {
	keys := wording.Keys()
	if len(keys) < 26 {
		t.Fatalf("only %d shared labels; the pages and the workbooks share at least 26", len(keys))
	}
	for _, k := range keys {
		en, zh, ok := wording.Pair(k)
		switch {
		case !ok:
			t.Errorf("%s: listed by Keys but Pair does not find it", k)
		case strings.TrimSpace(en) == "" || strings.TrimSpace(zh) == "":
			t.Errorf("%s: a language is empty (en %q, zh %q)", k, en, zh)
		case en == zh && sameInBothLanguages[k] == "":
			t.Errorf("%s: the Chinese is the English %q (list it in sameInBothLanguages if deliberate)", k, en)
		case !hasHan(zh) && noHan[k] == "":
			t.Errorf("%s: the Chinese %q has no Han character (list it in noHan if deliberate)", k, zh)
		case hasHan(en):
			t.Errorf("%s: the English %q has Han characters", k, en)
		}
		if got := wording.Label(k, survey.LangEN); got != en {
			t.Errorf("Label(%s, en) = %q, want %q", k, got, en)
		}
		if got := wording.Label(k, survey.LangZH); got != zh {
			t.Errorf("Label(%s, zh) = %q, want %q: the package's Chinese tag differs from survey.LangZH", k, got, zh)
		}
		if !wording.Has(k) {
			t.Errorf("Has(%s) = false", k)
		}
	}
	for k := range sameInBothLanguages {
		if !wording.Has(k) {
			t.Errorf("sameInBothLanguages lists %s, which is not a key", k)
		}
	}
	for k := range noHan {
		if !wording.Has(k) {
			t.Errorf("noHan lists %s, which is not a key", k)
		}
	}
}

// TestStatesAndStatuses: the keys of statuses and round states are their
// prefix and the value survey stores, so callers can build them.
func TestStatesAndStatuses(t *testing.T) {
	for want, got := range map[string]string{
		wording.StatusNotStarted: "status." + survey.StatusNotStarted,
		wording.StatusInProgress: "status." + survey.StatusInProgress,
		wording.StatusSubmitted:  "status." + survey.StatusSubmitted,
		wording.StateDraft:       "state." + survey.RoundDraft,
		wording.StateOpen:        "state." + survey.RoundOpen,
		wording.StateClosed:      "state." + survey.RoundClosed,
	} {
		if got != want {
			t.Errorf("key %q, but survey's value makes %q", want, got)
		}
	}
}

func TestMissingKeyShowsItself(t *testing.T) {
	for _, lang := range []string{survey.LangEN, survey.LangZH, ""} {
		if got := wording.Label("no.such.key", lang); got != "no.such.key" {
			t.Errorf("Label(no.such.key, %q) = %q, want the key", lang, got)
		}
	}
	if wording.Has("no.such.key") {
		t.Error(`Has("no.such.key") = true`)
	}
	if _, _, ok := wording.Pair("no.such.key"); ok {
		t.Error("Pair found no.such.key")
	}
	if got := wording.Label(wording.Bureau, "fr"); got != "Bureau" {
		t.Errorf("Label(bureau, fr) = %q, want the English", got)
	}
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}
