package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/netip"
	"os"
	"strings"
	"time"

	"github.com/dpo/dgsurvey/handlers"
	"github.com/dpo/dgsurvey/survey/assess"
	"gopkg.in/yaml.v3"
)

// config is the service configuration: config.yaml documents every key.
type config struct {
	Listen   string `yaml:"listen"`
	DataDir  string `yaml:"data_dir"`
	BaseURL  string `yaml:"base_url"`
	Timezone string `yaml:"timezone"`
	Log      struct {
		Format string `yaml:"format"`
		Level  string `yaml:"level"`
	} `yaml:"log"`
	MongoDB struct {
		URI      string        `yaml:"uri"`
		Database string        `yaml:"database"`
		Timeout  time.Duration `yaml:"timeout"`
	} `yaml:"mongodb"`
	HTTP struct {
		MaxBodyBytes    int64         `yaml:"max_body_bytes"`
		ReadTimeout     time.Duration `yaml:"read_timeout"`
		WriteTimeout    time.Duration `yaml:"write_timeout"`
		IdleTimeout     time.Duration `yaml:"idle_timeout"`
		ShutdownTimeout time.Duration `yaml:"shutdown_timeout"`
		TrustedProxies  []string      `yaml:"trusted_proxies"`
		TLSCert         string        `yaml:"tls_cert"`
		TLSKey          string        `yaml:"tls_key"`
	} `yaml:"http"`
	Auth struct {
		FailedPerMinute    int           `yaml:"failed_per_minute"`
		CredentialCacheTTL time.Duration `yaml:"credential_cache_ttl"`
		SessionIdle        time.Duration `yaml:"session_idle"`
		SessionAbsolute    time.Duration `yaml:"session_absolute"`
		CookieSecure       bool          `yaml:"cookie_secure"`
		LinkTTL            time.Duration `yaml:"link_ttl"`
		OIDC               oidcConfig    `yaml:"oidc"`
	} `yaml:"auth"`
	Scoring struct {
		TargetLevel int `yaml:"target_level"`
	} `yaml:"scoring"`
	Privacy struct {
		MinGroup     int `yaml:"min_group"`
		QuartilesMin int `yaml:"quartiles_min"`
	} `yaml:"privacy"`
	Metrics struct {
		Listen string   `yaml:"listen"`
		Allow  []string `yaml:"allow"`
	} `yaml:"metrics"`
	Reports struct {
		// Marking is the classification printed on every page of every
		// workbook; an explicit "" prints none.
		Marking string `yaml:"marking"`
	} `yaml:"reports"`
	// Mail, Reminders and Auth.LinkTTL: people and e-mail (people.go).
	Mail      mailConfig      `yaml:"mail"`
	Reminders remindersConfig `yaml:"reminders"`

	// Parsed once by resolve, from the fields above.
	location       *time.Location
	metricsNets    []netip.Prefix
	trustedProxies []netip.Prefix
}

// defaultConfig is what runs when no file and no variables say otherwise.
func defaultConfig() config {
	var c config
	c.Listen = "127.0.0.1:8080"
	c.DataDir = "./data"
	c.Timezone = "Asia/Hong_Kong"
	c.Log.Format = "text"
	c.Log.Level = "info"
	c.MongoDB.Database = "dgsurvey"
	c.MongoDB.Timeout = 5 * time.Second
	c.HTTP.MaxBodyBytes = handlers.DefaultMaxBodyBytes
	c.HTTP.ReadTimeout = 15 * time.Second
	c.HTTP.WriteTimeout = 60 * time.Second
	c.HTTP.IdleTimeout = 120 * time.Second
	c.HTTP.ShutdownTimeout = 20 * time.Second
	c.Auth.FailedPerMinute = assess.DefaultFailedAuthPerMinute
	c.Auth.CredentialCacheTTL = assess.DefaultCredentialCacheTTL
	c.Auth.SessionIdle = assess.DefaultSessionIdle
	c.Auth.SessionAbsolute = assess.DefaultSessionAbsolute
	c.Scoring.TargetLevel = assess.DefaultTargetLevel
	c.Privacy.MinGroup = assess.DefaultMinGroup
	c.Privacy.QuartilesMin = assess.DefaultQuartilesMin
	c.Reports.Marking = assess.DefaultReportMarking
	c.Metrics.Listen = "127.0.0.1:9464"
	c.Metrics.Allow = []string{"127.0.0.0/8", "::1/128"}
	c.Auth.LinkTTL = assess.DefaultLinkTTL
	c.Mail.StartTLS = "opportunistic"
	c.Mail.From = "self-assessment@localhost.example"
	c.Reminders.DaysBefore = assess.DefaultReminderDays
	c.Reminders.Every = 10 * time.Minute
	return c
}

// loadConfig reads path over the defaults (a missing file is fine only when
// it is the default path), then applies SURVEY_* environment variables, then
// checks every value, naming the key at fault.
func loadConfig(path string, explicit bool, getenv func(string) string) (config, error) {
	c := defaultConfig()
	data, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist) && !explicit:
	case err != nil:
		return c, fmt.Errorf("config: %w", err)
	default:
		dec := yaml.NewDecoder(bytes.NewReader(data))
		dec.KnownFields(true)
		if err := dec.Decode(&c); err != nil && !errors.Is(err, io.EOF) {
			return c, fmt.Errorf("config %s: %w", path, err)
		}
	}
	for key, dst := range map[string]*string{
		"SURVEY_LISTEN":           &c.Listen,
		"SURVEY_DATA_DIR":         &c.DataDir,
		"SURVEY_MONGODB_URI":      &c.MongoDB.URI,
		"SURVEY_MONGODB_DATABASE": &c.MongoDB.Database,
		"SURVEY_BASE_URL":         &c.BaseURL,
		"SURVEY_METRICS_LISTEN":   &c.Metrics.Listen,
		"SURVEY_MAIL_SMTP":        &c.Mail.SMTP,
		"SURVEY_MAIL_FROM":        &c.Mail.From,
	} {
		if v := getenv(key); v != "" {
			*dst = v
		}
	}
	return c, c.resolve()
}

// resolve checks every value, naming the key at fault, and keeps the
// parsed forms (time zone, networks) so nothing parses them again.
func (c *config) resolve() error {
	bad := func(key, why string) error { return fmt.Errorf("config: %s: %s", key, why) }
	if _, _, err := net.SplitHostPort(c.Listen); err != nil {
		return bad("listen", fmt.Sprintf("%q is not host:port", c.Listen))
	}
	if c.Metrics.Listen != "" {
		_, port, err := net.SplitHostPort(c.Metrics.Listen)
		if err != nil {
			return bad("metrics.listen", fmt.Sprintf("%q is not host:port (empty turns the metrics listener off)", c.Metrics.Listen))
		}
		if c.Metrics.Listen == c.Listen && port != "0" {
			return bad("metrics.listen", "must differ from listen: metrics are never served on the main listener")
		}
	}
	if c.MongoDB.URI == "" && strings.TrimSpace(c.DataDir) == "" {
		return bad("data_dir", "is required when mongodb.uri is empty (the embedded store keeps its files there)")
	}
	if c.MongoDB.URI != "" && !strings.HasPrefix(c.MongoDB.URI, "mongodb://") && !strings.HasPrefix(c.MongoDB.URI, "mongodb+srv://") {
		return bad("mongodb.uri", "must start with mongodb:// or mongodb+srv://")
	}
	if c.MongoDB.Database == "" || strings.ContainsAny(c.MongoDB.Database, `/\. "$`) {
		return bad("mongodb.database", "must be a plain database name")
	}
	loc, err := time.LoadLocation(c.Timezone)
	if err != nil {
		return bad("timezone", fmt.Sprintf("unknown time zone %q", c.Timezone))
	}
	c.location = loc
	if c.Log.Format != "text" && c.Log.Format != "json" {
		return bad("log.format", "must be text or json")
	}
	switch c.Log.Level {
	case "debug", "info", "warn", "error":
	default:
		return bad("log.level", "must be debug, info, warn or error")
	}
	for key, d := range map[string]time.Duration{
		"mongodb.timeout": c.MongoDB.Timeout, "http.read_timeout": c.HTTP.ReadTimeout,
		"http.write_timeout": c.HTTP.WriteTimeout, "http.idle_timeout": c.HTTP.IdleTimeout,
		"http.shutdown_timeout": c.HTTP.ShutdownTimeout, "auth.credential_cache_ttl": c.Auth.CredentialCacheTTL,
		"auth.session_idle": c.Auth.SessionIdle, "auth.session_absolute": c.Auth.SessionAbsolute,
	} {
		if d <= 0 {
			return bad(key, "must be a positive duration such as 5s")
		}
	}
	if c.HTTP.MaxBodyBytes < 1024 {
		return bad("http.max_body_bytes", "must be at least 1024")
	}
	if c.Auth.FailedPerMinute < 1 {
		return bad("auth.failed_per_minute", "must be at least 1")
	}
	if c.Scoring.TargetLevel < 1 || c.Scoring.TargetLevel > 5 {
		return bad("scoring.target_level", "must be between 1 and 5")
	}
	if c.metricsNets, err = parsePrefixes(c.Metrics.Allow); err != nil {
		return bad("metrics.allow", err.Error())
	}
	if c.trustedProxies, err = parsePrefixes(c.HTTP.TrustedProxies); err != nil {
		return bad("http.trusted_proxies", err.Error())
	}
	if c.Privacy.QuartilesMin < c.Privacy.MinGroup {
		return bad("privacy.quartiles_min", "must be at least privacy.min_group")
	}
	if (c.HTTP.TLSCert == "") != (c.HTTP.TLSKey == "") {
		return bad("http.tls_cert", "http.tls_cert and http.tls_key go together (both files, or neither for plain HTTP)")
	}
	if err := c.resolvePeople(); err != nil {
		return err
	}
	if c.Privacy.MinGroup < 3 {
		// With fewer, a department can work out another's score from the
		// mean and its own.
		return bad("privacy.min_group", "must be at least 3")
	}
	return nil
}

// parsePrefixes parses a list of CIDR prefixes or single addresses.
func parsePrefixes(values []string) ([]netip.Prefix, error) {
	out := make([]netip.Prefix, 0, len(values))
	for _, v := range values {
		if p, err := netip.ParsePrefix(v); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(v)
		if err != nil {
			return nil, fmt.Errorf("%q is neither a network (10.0.0.0/8) nor an address", v)
		}
		out = append(out, netip.PrefixFrom(a, a.BitLen()))
	}
	return out, nil
}
