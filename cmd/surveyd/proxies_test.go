package main

import (
	"os"
	"strings"
	"testing"
)

// TestTrustedProxiesConfig: http.trusted_proxies takes networks and
// addresses, and a bad entry stops start-up naming the key.
func TestTrustedProxiesConfig(t *testing.T) {
	tests := []struct {
		name, file string
		want       int
		err        bool
	}{
		{"default trusts none", "", 0, false},
		{"network and address", "http:\n  trusted_proxies: [\"10.0.0.0/8\", \"192.0.2.7\"]\n", 2, false},
		{"not an address", "http:\n  trusted_proxies: [\"proxy.example\"]\n", 0, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := t.TempDir() + "/c.yaml"
			if err := os.WriteFile(path, []byte(tc.file), 0o600); err != nil {
				t.Fatal(err)
			}
			cfg, err := loadConfig(path, true, func(string) string { return "" })
			if tc.err {
				if err == nil || !strings.Contains(err.Error(), "http.trusted_proxies") {
					t.Fatalf("error %v does not name http.trusted_proxies", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got, err := parsePrefixes(cfg.HTTP.TrustedProxies)
			if err != nil || len(got) != tc.want {
				t.Fatalf("%v, %v; want %d prefixes", got, err, tc.want)
			}
		})
	}
}
