package main

import (
	"os"
	"testing"
)

// TestReportsMarkingConfig: reports.marking defaults to the classification,
// takes another one, and an explicit empty value prints none.
func TestReportsMarkingConfig(t *testing.T) {
	tests := []struct{ name, file, want string }{
		{"default", "", "RESTRICTED 限閱文件"},
		{"another marking", "reports:\n  marking: \"CONFIDENTIAL 機密\"\n", "CONFIDENTIAL 機密"},
		{"none", "reports:\n  marking: \"\"\n", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := t.TempDir() + "/c.yaml"
			if err := os.WriteFile(path, []byte(tc.file), 0o600); err != nil {
				t.Fatal(err)
			}
			cfg, err := loadConfig(path, true, func(string) string { return "" })
			if err != nil {
				t.Fatal(err)
			}
			if cfg.Reports.Marking != tc.want {
				t.Errorf("reports.marking = %q, want %q", cfg.Reports.Marking, tc.want)
			}
		})
	}
}
