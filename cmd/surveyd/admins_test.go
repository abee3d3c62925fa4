package main

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// tokenWorks reports whether token is accepted by a running surveyd.
func tokenWorks(t *testing.T, base, token string) bool {
	t.Helper()
	code, _ := getStatus(t, base+"/api/v1/credentials", "Authorization", "Bearer "+token)
	return code == http.StatusOK
}

// TestNewAdminTokenSaysWhoStaysValid: -new-admin-token says how many
// other admin credentials stay valid; with -revoke-other-admins it revokes
// every one of them (audited), says how many, and only the new token
// works afterwards.
func TestNewAdminTokenSaysWhoStaysValid(t *testing.T) {
	env := testEnv(t)
	getenv := func(k string) string { return env[k] }
	s := start(t, env)
	first := regexp.MustCompile(`admin token: (\S+)`).FindStringSubmatch(s.stdout.String())[1]
	if err := s.stop(); err != nil {
		t.Fatal(err)
	}
	tokenRe := regexp.MustCompile(`(?m)^admin token: (\S{43})$`)

	out := &syncBuffer{}
	if err := run(context.Background(), []string{"-new-admin-token"}, out, &syncBuffer{}, getenv); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "1 other admin credential(s) stay valid") || !strings.Contains(out.String(), "-revoke-other-admins") {
		t.Fatalf("-new-admin-token did not say the old admin stays valid:\n%s", out.String())
	}
	second := tokenRe.FindStringSubmatch(out.String())[1]

	out = &syncBuffer{}
	if err := run(context.Background(), []string{"-new-admin-token", "-revoke-other-admins"}, out, &syncBuffer{}, getenv); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "revoked 2 other admin credential(s)") {
		t.Fatalf("-revoke-other-admins output:\n%s", out.String())
	}
	third := tokenRe.FindStringSubmatch(out.String())[1]

	s = start(t, env)
	defer s.stop()
	if tokenWorks(t, s.url, first) || tokenWorks(t, s.url, second) {
		t.Fatal("a revoked admin token still works")
	}
	if !tokenWorks(t, s.url, third) {
		t.Fatal("the new admin token does not work")
	}
	_, body := getStatus(t, s.url+"/api/v1/audit", "Authorization", "Bearer "+third)
	if n := strings.Count(body, `"credential.revoke"`); n != 2 {
		t.Fatalf("%d revocations audited, want 2: %.1000s", n, body)
	}

	if err := run(context.Background(), []string{"-revoke-other-admins"}, &syncBuffer{}, &syncBuffer{}, getenv); err == nil || !strings.Contains(err.Error(), "goes with -new-admin-token") {
		t.Fatalf("-revoke-other-admins alone: %v", err)
	}
}
