package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/dpo/dgsurvey/handlers"
	"github.com/dpo/dgsurvey/survey"
	"github.com/dpo/dgsurvey/survey/assess"
	"github.com/dpo/dgsurvey/survey/mongostore"
	"github.com/dpo/dgsurvey/survey/mongostore/storetest"
	"github.com/dpo/dgsurvey/survey/questionnaires"
)

var storeServer *storetest.Server

func TestMain(m *testing.M) { os.Exit(storetest.Run(m, &storeServer)) }

// TestRunAgainstTheService runs the tool, small, against the real handlers
// on the real store: every department submits, every answer is one PATCH,
// nothing fails, and the store ceiling and the ratio are printed.
func TestRunAgainstTheService(t *testing.T) {
	ctx := context.Background()
	cfg := storeServer.Config(t)
	metrics := handlers.NewMetrics()
	cfg.ObserveCommand = metrics.ObserveStoreCommand
	st, err := mongostore.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = st.Database().Drop(context.Background())
		_ = st.Close(context.Background())
	})
	bank, err := survey.LoadQuestionnaires(questionnaires.FS())
	if err != nil {
		t.Fatal(err)
	}
	svc := assess.New(st, assess.Config{Questionnaires: bank, ObserveReport: metrics.ObserveReport})
	ts := httptest.NewServer(handlers.New(svc, handlers.Config{Metrics: metrics}))
	defer ts.Close()
	ms := httptest.NewServer(metrics.Handler()) // surveyd serves it on metrics.listen
	defer ms.Close()
	cred, token, err := survey.NewCredential(survey.RoleAdmin, "", "load test", time.Now().UTC().Truncate(time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	if err := st.CreateCredential(ctx, cred); err != nil {
		t.Fatal(err)
	}

	var out bytes.Buffer
	args := []string{"-url", ts.URL, "-metrics-url", ms.URL + "/metrics", "-admin-token", token, "-departments", "3", "-clients", "2", "-duration", "60s",
		"-round", "load-test", "-store-uri", storeServer.URI, "-store-db", cfg.Database}
	if storeServer.Embedded == nil {
		args = append(args, "-allow-remote") // SURVEY_TEST_MONGODB_URI may name another host
	}
	if err := run(ctx, args, &out, io.Discard, env(nil)); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	text := out.String()
	t.Log("\n" + text)
	// The round is created without a version, so it uses the latest bank.
	latest := 0
	perDept := 0
	for _, q := range bank {
		if q.ID == "dg-capability" && q.Version > latest {
			latest, perDept = q.Version, q.QuestionCount()
		}
	}
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`3 departments, 3 submitted`),
		regexp.MustCompile(`(?m)^questionnaire\s+3\s.*\s-$`),
		regexp.MustCompile(`(?m)^get\s+3\s.*\s-$`),
		regexp.MustCompile(fmt.Sprintf(`(?m)^patch\s+%d\s.*\s-$`, 3*perDept)), // 3 departments × every question of the latest bank, no errors
		regexp.MustCompile(`(?m)^submit\s+3\s.*\s-$`),
		regexp.MustCompile(fmt.Sprintf(`store ceiling: %d autosaves in .* errors 0`, 3*perDept)),
		regexp.MustCompile(`PATCH/s ÷ store ceiling/s = `),
		regexp.MustCompile(`(?m)^\s+update\s`), // surveyd's own metrics were read
	} {
		if !want.MatchString(text) {
			t.Errorf("output lacks %s", want)
		}
	}
	names, err := st.Database().ListCollectionNames(ctx, map[string]any{})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		if strings.HasPrefix(n, "loadtest_") {
			t.Errorf("scratch collection %s left behind", n)
		}
	}
}
