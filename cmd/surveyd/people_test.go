package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPeopleConfig: a bad mail, sign-in link, single sign-on or reminder
// setting stops start-up with a message naming the key; the environment
// sets the SMTP server and sender.
func TestPeopleConfig(t *testing.T) {
	cases := []struct {
		name, file, key string
	}{
		{"smtp without a port", "mail: {smtp: mail.example}", "mail.smtp"},
		{"bad sender", "mail: {smtp: 'mail.example:25', from: 'a@b.example\r\nBcc: x@y.example'}", "mail.from"},
		{"unknown starttls", "mail: {starttls: sometimes}", "mail.starttls"},
		{"link ttl too long", "auth: {link_ttl: 48h}", "auth.link_ttl"},
		{"issuer not a URL", "auth: {oidc: {issuer: 'login', client_id: x}}", "auth.oidc.issuer"},
		{"issuer without client", "auth: {oidc: {issuer: 'https://login.example'}}", "auth.oidc.client_id"},
		{"redirect elsewhere", "auth: {oidc: {issuer: 'https://login.example', client_id: x, redirect_url: 'https://evil.example/cb'}}", "auth.oidc.redirect_url"},
		{"zero days", "reminders: {days_before: [7, 0]}", "reminders.days_before"},
		{"repeated days", "reminders: {days_before: [7, 7]}", "reminders.days_before"},
		{"too frequent", "reminders: {every: 1s}", "reminders.every"},
		{"missing CA file", "mail: {ca_file: /nonexistent/ca.pem}", "mail.ca_file"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "config.yaml")
			if err := os.WriteFile(path, []byte(tc.file), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := loadConfig(path, true, func(string) string { return "" })
			if err == nil || !strings.Contains(err.Error(), tc.key) {
				t.Fatalf("error %v, want one naming %s", err, tc.key)
			}
		})
	}
	env := map[string]string{"SURVEY_MAIL_SMTP": "127.0.0.1:2525", "SURVEY_MAIL_FROM": "survey@dpo.example"}
	cfg, err := loadConfig("/nonexistent/config.yaml", false, func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Mail.SMTP != "127.0.0.1:2525" || cfg.Mail.From != "survey@dpo.example" || cfg.oidc("http://x") != nil {
		t.Errorf("config from the environment: %+v", cfg.Mail)
	}
	if got := len(cfg.Reminders.DaysBefore); got != 3 {
		t.Errorf("default reminders: %v", cfg.Reminders.DaysBefore)
	}
}
