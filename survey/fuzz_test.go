package survey

import (
	"math"
	"os"
	"strings"
	"testing"
)

// minimalQuestionnaire is the smallest valid questionnaire, in flow style so
// that the fuzzer's mutations hit structure rather than bulk.
const minimalQuestionnaire = `id: q
version: 1
title: {en: T, zh: T}
description: {en: D, zh: D}
levels: [{en: a, zh: a}, {en: b, zh: b}, {en: c, zh: c}, {en: d, zh: d}, {en: e, zh: e}, {en: f, zh: f}]
domains:
- id: d
  title: {en: D, zh: D}
  areas:
  - id: a
    title: {en: A, zh: A}
    weight: 1
    topic: {en: T, zh: T}
    questions:
    - id: q-1
      text: {en: Q, zh: Q}
      help: {en: H, zh: H}
      weight: 1
      na_allowed: true
      reference: ISO
      levels: [{en: a, zh: a}, {en: b, zh: b}, {en: c, zh: c}, {en: d, zh: d}, {en: e, zh: e}, {en: f, zh: f}]
`

// FuzzQuestionnaire: the loader never panics on any bytes, and whatever it
// accepts is a questionnaire the rest of the service can rely on: it passes
// Validate again, every id matches its pattern and is unique, both languages
// are present, weights are finite and positive, and every question has six
// level descriptors. Seeds: f.Add below and testdata/fuzz/FuzzQuestionnaire.
func FuzzQuestionnaire(f *testing.F) {
	small, err := os.ReadFile("surveytest/small.yaml")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(small)
	// The minimal seed must be accepted, or the fuzzer would never reach the
	// invariants of accepted files.
	if _, err := ParseQuestionnaire("minimal.yaml", []byte(minimalQuestionnaire)); err != nil {
		f.Fatalf("the minimal seed is rejected: %v", err)
	}
	f.Add([]byte(minimalQuestionnaire))
	for _, mutate := range []func(string) string{
		func(s string) string { return strings.Replace(s, "id: q-1", "id: $where", 1) },
		func(s string) string { return strings.Replace(s, "id: q-1", "id: q.1", 1) },
		func(s string) string { return strings.Replace(s, "id: q-1", "id: a", 1) }, // duplicate id
		func(s string) string { return strings.Replace(s, "weight: 1", "weight: .nan", 1) },
		func(s string) string { return strings.Replace(s, "weight: 1", "weight: -.inf", 1) },
		func(s string) string { return strings.Replace(s, "weight: 1", "weight: 0", 1) },
		func(s string) string { return strings.Replace(s, "version: 1", "version: -1", 1) },
		func(s string) string { return strings.Replace(s, "zh: Q}", "zh: ' '}", 1) },
		func(s string) string { return strings.Replace(s, ", {en: f, zh: f}]\ndomains", "]\ndomains", 1) },
		func(s string) string { return s + "---\nid: second\n" },
		func(s string) string { return s + "colour: blue\n" },
		func(s string) string {
			return strings.Replace(s, "    weight: 1\n", "    weight: 1\n    target: 9\n", 1)
		},
		func(s string) string {
			return strings.Replace(s, "title: {en: T, zh: T}", "title: &t {en: T, zh: T}", 1) + "x: *t\n"
		},
	} {
		f.Add([]byte(mutate(minimalQuestionnaire)))
	}
	f.Add([]byte("a: &a [*a, *a]\n"))
	f.Add([]byte("{"))
	f.Add([]byte{})

	f.Fuzz(func(t *testing.T, data []byte) {
		q, err := ParseQuestionnaire("fuzz.yaml", data)
		if err != nil {
			if q != nil {
				t.Fatal("a rejected file also returned a questionnaire")
			}
			if !strings.HasPrefix(err.Error(), "fuzz.yaml: ") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		checkAcceptedQuestionnaire(t, q)
	})
}

// checkAcceptedQuestionnaire asserts the invariants every loaded
// questionnaire holds.
func checkAcceptedQuestionnaire(t *testing.T, q *Questionnaire) {
	t.Helper()
	if err := q.Validate(); err != nil {
		t.Fatalf("accepted questionnaire fails Validate: %v", err)
	}
	if q.Version < 1 {
		t.Fatalf("version %d accepted", q.Version)
	}
	if len(q.Levels) != MaxLevel+1 {
		t.Fatalf("%d scale levels accepted", len(q.Levels))
	}
	seen := map[string]bool{}
	id := func(kind, v string) {
		t.Helper()
		if !ValidItemID(v) || strings.ContainsAny(v, ".$") {
			t.Fatalf("%s id %q accepted", kind, v)
		}
		if seen[v] {
			t.Fatalf("duplicate id %q accepted", v)
		}
		seen[v] = true
	}
	text := func(what string, x Text) {
		t.Helper()
		if strings.TrimSpace(x.EN) == "" || strings.TrimSpace(x.ZH) == "" {
			t.Fatalf("%s missing a language: %+v", what, x)
		}
	}
	weight := func(what string, w float64) {
		t.Helper()
		if !(w > 0) || math.IsInf(w, 0) || math.IsNaN(w) {
			t.Fatalf("%s weight %v accepted", what, w)
		}
	}
	id("questionnaire", q.ID)
	text("title", q.Title)
	if len(q.Domains) == 0 {
		t.Fatal("no domains accepted")
	}
	for _, d := range q.Domains {
		id("domain", d.ID)
		text("domain title", d.Title)
		if len(d.Areas) == 0 {
			t.Fatalf("domain %s without areas accepted", d.ID)
		}
		for _, a := range d.Areas {
			id("area", a.ID)
			text("area topic", a.Topic)
			weight("area "+a.ID, a.Weight)
			if a.Target != nil && (*a.Target < 0 || *a.Target > MaxLevel) {
				t.Fatalf("area %s target %d accepted", a.ID, *a.Target)
			}
			if len(a.Questions) == 0 {
				t.Fatalf("area %s without questions accepted", a.ID)
			}
			for _, qu := range a.Questions {
				id("question", qu.ID)
				text("question text", qu.Text)
				weight("question "+qu.ID, qu.Weight)
				if len(qu.Levels) != MaxLevel+1 {
					t.Fatalf("question %s with %d levels accepted", qu.ID, len(qu.Levels))
				}
				for _, l := range qu.Levels {
					text("level of "+qu.ID, l)
				}
			}
		}
	}
	if n := len(q.Index()); n != q.QuestionCount() || n != len(q.QuestionIDs()) {
		t.Fatalf("index has %d questions, count %d", n, q.QuestionCount())
	}
}
