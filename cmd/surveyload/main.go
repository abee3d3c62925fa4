// Command surveyload is the deadline-day load test of surveyd: it seeds
// departments and a round, runs concurrent respondents doing the real flow
// (questionnaire, response, one autosave per answer, submit), measures the
// store's own ceiling for the same writes, and prints the figures. Run
// "surveyload -h" for the flags.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"runtime"
	"runtime/pprof"
	"strings"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr, os.Getenv)
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "surveyload:", err)
		os.Exit(1)
	}
}

// run is the whole program; main only wires it to the process.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	cfg, err := parseConfig(args, getenv, stderr, time.Now())
	if err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	if cfg.CPUProfile != "" {
		f, err := os.Create(cfg.CPUProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}

	admin := newAPIClient(cfg.URL, cfg.Clients, nil)
	fmt.Fprintf(stdout, "seeding %d departments and round %s on %s ...\n", cfg.Departments, cfg.Round, cfg.URL)
	depts, round, err := seed(ctx, admin, cfg, cfg.Clients, time.Now())
	if err != nil {
		return err
	}
	var q questionnaireView
	qpath := fmt.Sprintf("/api/v1/questionnaires/%s?version=%d", round.QuestionnaireID, round.QuestionnaireVersion)
	if err := admin.do(ctx, "", cfg.AdminToken, "GET", qpath, nil, &q, http.StatusOK); err != nil {
		return fmt.Errorf("reading the questionnaire: %w", err)
	}
	questions := q.questions()

	rec := newRecorder()
	client := newAPIClient(cfg.URL, cfg.Clients, rec)
	before := scrape(ctx, admin, cfg.MetricsURL)
	runCtx, cancel := context.WithTimeout(ctx, cfg.Duration)
	res := runRespondents(runCtx, client, cfg, round, depts, log)
	cancel()
	after := scrape(ctx, admin, cfg.MetricsURL)
	if ctx.Err() != nil {
		return ctx.Err()
	}

	fmt.Fprintln(stdout)
	printMachine(stdout)
	fmt.Fprintf(stdout, "target:   %s, round %s (%s v%d, %d questions)\n", cfg.URL, round.ID, round.QuestionnaireID, round.QuestionnaireVersion, len(questions))
	fmt.Fprintf(stdout, "run:      %d clients, %d departments, %d submitted, %s (limit %s)\n\n",
		cfg.Clients, cfg.Departments, res.Submitted, res.Elapsed.Round(time.Millisecond), cfg.Duration)
	rows := rec.summarize(res.Elapsed)
	printTable(stdout, rows)
	patch := rows[2]
	fmt.Fprintln(stdout)
	printServerSide(stdout, before, after, patch.OK)

	if cfg.NoCeiling {
		return nil
	}
	fmt.Fprintf(stdout, "\nstore ceiling: %d workers doing an autosave's store work (read + conditional replace + audit insert) on %s ...\n", cfg.Clients, cfg.StoreDB+"."+scratchResponses)
	ceil, err := measureCeiling(ctx, cfg, questions)
	if err != nil {
		return fmt.Errorf("store ceiling (is -data-dir or -store-uri right?): %w", err)
	}
	fmt.Fprintf(stdout, "store ceiling: %d autosaves in %s = %.1f/s, p50 %s ms, p99 %s ms, errors %d\n",
		ceil.Ops, ceil.Elapsed.Round(time.Millisecond), ceil.perSecond(), ms(ceil.Lat.P50), ms(ceil.Lat.P99), ceil.Errors)
	if ceil.FirstError != nil {
		fmt.Fprintf(stdout, "store ceiling: first error: %v\n", ceil.FirstError)
	}
	if c := ceil.perSecond(); c > 0 {
		fmt.Fprintf(stdout, "PATCH/s ÷ store ceiling/s = %.1f / %.1f = %.0f%%\n", patch.PerSecond, c, 100*patch.PerSecond/c)
	}
	return nil
}

// printMachine says where the figures come from.
func printMachine(w io.Writer) {
	model := ""
	if data, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(data), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				model = strings.TrimSpace(v)
				break
			}
		}
	}
	fmt.Fprintf(w, "machine:  %d CPUs (GOMAXPROCS %d) %s, %s/%s, %s\n", runtime.NumCPU(), runtime.GOMAXPROCS(0), model, runtime.GOOS, runtime.GOARCH, runtime.Version())
}
