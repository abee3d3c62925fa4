package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"path/filepath"
	"strings"
	"time"

	"github.com/dpo/dgsurvey/survey/mongostore/embedded"
)

// config is what one load run does, from flags and environment.
type config struct {
	URL           string
	MetricsURL    string
	AdminToken    string
	AllowRemote   bool
	Departments   int
	Clients       int
	Round         string
	Questionnaire string
	Duration      time.Duration
	Seed          int64
	StoreURI      string
	DataDir       string
	StoreDB       string
	NoCeiling     bool
	CPUProfile    string
}

const usageText = `surveyload drives a running surveyd the way departments do on a round's
last day, and measures the store's own ceiling for the same writes.

It seeds -departments departments (LOAD-0001, LOAD-0002, ...) with a
respondent credential each, creates and opens a round on the questionnaire,
then runs -clients concurrent respondents. Each takes the next department not
yet done and does the real flow: GET the questionnaire, GET the response,
autosave every answer one PATCH at a time (with base_rev and a short
comment), submit. The run ends when every department has submitted or
-duration has passed.

It then connects to the store directly (the embedded store's Unix socket under
-data-dir, or -store-uri) and, with the same concurrency, performs what one
autosave does in the store - read the response document, replace it
conditionally on its version, insert an audit event - on scratch collections
(loadtest_responses, loadtest_audit) that it drops afterwards.

It prints per operation: count, throughput, latency p50/p90/p99/max and
errors by HTTP status; the store ceiling in autosaves/s; and the ratio
PATCH/s / ceiling/s.

Only loopback targets are accepted unless -allow-remote is given: this tool
creates departments, credentials and a round.

Usage: surveyload [flags]

Flags:
`

// parseConfig reads flags (args without the program name) over the
// environment (SURVEY_ADMIN_TOKEN, SURVEY_DATA_DIR, SURVEY_MONGODB_DATABASE).
func parseConfig(args []string, getenv func(string) string, stderr io.Writer, now time.Time) (config, error) {
	var c config
	fs := flag.NewFlagSet("surveyload", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), usageText)
		fs.PrintDefaults()
	}
	dataDir := getenv("SURVEY_DATA_DIR")
	if dataDir == "" {
		dataDir = "./data"
	}
	storeDB := getenv("SURVEY_MONGODB_DATABASE")
	if storeDB == "" {
		storeDB = "dgsurvey"
	}
	fs.StringVar(&c.URL, "url", "http://127.0.0.1:8080", "base URL of the running surveyd")
	fs.StringVar(&c.MetricsURL, "metrics-url", "http://127.0.0.1:9464/metrics", "surveyd's metrics (its metrics.listen address; never on -url); empty skips the server-side figures")
	fs.StringVar(&c.AdminToken, "admin-token", "", "admin bearer token (default: $SURVEY_ADMIN_TOKEN)")
	fs.BoolVar(&c.AllowRemote, "allow-remote", false, "allow a -url or -store-uri that is not on this machine (loopback or Unix socket)")
	fs.IntVar(&c.Departments, "departments", 50, "number of departments to seed and run (codes LOAD-0001...)")
	fs.IntVar(&c.Clients, "clients", 8, "concurrent respondents (and concurrent store workers for the ceiling)")
	fs.StringVar(&c.Round, "round", fmt.Sprintf("load-%d", now.Unix()), "id of the round to create and open")
	fs.StringVar(&c.Questionnaire, "questionnaire", "dg-capability", "questionnaire of the round")
	fs.DurationVar(&c.Duration, "duration", 60*time.Second, "maximum time for the respondent run, and again for the store ceiling")
	fs.Int64Var(&c.Seed, "seed", 1, "seed of the pseudo-random answers")
	fs.StringVar(&c.StoreURI, "store-uri", "", "MongoDB URI for the store ceiling (default: the embedded store's socket under -data-dir)")
	fs.StringVar(&c.DataDir, "data-dir", dataDir, "surveyd's data_dir, to find the embedded store's socket; $SURVEY_DATA_DIR sets the default")
	fs.StringVar(&c.StoreDB, "store-db", storeDB, "database for the store ceiling's scratch collections; $SURVEY_MONGODB_DATABASE sets the default")
	fs.BoolVar(&c.NoCeiling, "no-ceiling", false, "skip the store ceiling measurement")
	fs.StringVar(&c.CPUProfile, "cpuprofile", "", "write a CPU profile of this tool to the file")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	if c.AdminToken == "" {
		c.AdminToken = getenv("SURVEY_ADMIN_TOKEN")
	}
	return c, c.validate()
}

func (c *config) validate() error {
	switch {
	case c.AdminToken == "":
		return errors.New("an admin token is required: -admin-token or SURVEY_ADMIN_TOKEN")
	case c.Departments < 1 || c.Departments > 9999:
		return errors.New("-departments must be between 1 and 9999")
	case c.Clients < 1 || c.Clients > 1000:
		return errors.New("-clients must be between 1 and 1000")
	case c.Duration <= 0:
		return errors.New("-duration must be positive")
	}
	u, err := url.Parse(c.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("-url %q is not an http(s) URL", c.URL)
	}
	c.URL = strings.TrimRight(u.String(), "/")
	if !c.AllowRemote && !isLoopbackHost(u.Hostname()) {
		return fmt.Errorf("-url %s is not on this machine; this tool creates data and loads the server: pass -allow-remote if you mean it", c.URL)
	}
	if c.MetricsURL != "" {
		m, err := url.Parse(c.MetricsURL)
		if err != nil || (m.Scheme != "http" && m.Scheme != "https") || m.Host == "" {
			return fmt.Errorf("-metrics-url %q is not an http(s) URL", c.MetricsURL)
		}
		if !c.AllowRemote && !isLoopbackHost(m.Hostname()) {
			return fmt.Errorf("-metrics-url %s is not on this machine: pass -allow-remote if you mean it", c.MetricsURL)
		}
	}
	if c.StoreURI == "" && !c.NoCeiling {
		c.StoreURI = embeddedURI(c.DataDir)
	}
	if c.StoreURI != "" && !c.AllowRemote && !localStoreURI(c.StoreURI) {
		return fmt.Errorf("-store-uri names a host that is not on this machine: pass -allow-remote if you mean it")
	}
	return nil
}

// embeddedURI is the driver URI of the embedded store under dataDir, built
// exactly as surveyd builds it.
func embeddedURI(dataDir string) string {
	e, err := embedded.New(dataDir, nil)
	if err != nil {
		abs, _ := filepath.Abs(dataDir)
		return "mongodb://" + url.PathEscape(filepath.Join(abs, embedded.SocketName)) + "/"
	}
	return e.URI()
}

// isLoopbackHost reports whether host is this machine: "localhost" or a
// loopback address.
func isLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// localStoreURI reports whether every host of a mongodb:// URI is a Unix
// socket or a loopback address (mongodb+srv is always remote).
func localStoreURI(uri string) bool {
	rest, ok := strings.CutPrefix(uri, "mongodb://")
	if !ok {
		return false
	}
	if i := strings.IndexAny(rest, "/?"); i >= 0 {
		rest = rest[:i]
	}
	if i := strings.LastIndexByte(rest, '@'); i >= 0 {
		rest = rest[i+1:]
	}
	for _, h := range strings.Split(rest, ",") {
		if unescaped, err := url.PathUnescape(h); err == nil && strings.HasSuffix(unescaped, ".sock") {
			continue
		}
		host := h
		if hh, _, err := net.SplitHostPort(h); err == nil {
			host = hh
		}
		if !isLoopbackHost(strings.Trim(host, "[]")) {
			return false
		}
	}
	return true
}
