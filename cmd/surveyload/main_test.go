package main

import (
	"io"
	"strings"
	"testing"
	"time"
)

func env(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

func TestConfigRefusesRemoteTargets(t *testing.T) {
	now := time.Unix(1700000000, 0)
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		wantErr string
	}{
		{"defaults with a token from the environment", nil, map[string]string{"SURVEY_ADMIN_TOKEN": "t"}, ""},
		{"no token", nil, nil, "admin token is required"},
		{"localhost", []string{"-admin-token", "t", "-url", "http://localhost:18080"}, nil, ""},
		{"IPv6 loopback", []string{"-admin-token", "t", "-url", "http://[::1]:8080/"}, nil, ""},
		{"remote host", []string{"-admin-token", "t", "-url", "https://survey.example.gov.hk"}, nil, "-allow-remote"},
		{"remote host allowed", []string{"-admin-token", "t", "-url", "https://survey.example.gov.hk", "-allow-remote"}, nil, ""},
		{"remote store", []string{"-admin-token", "t", "-store-uri", "mongodb://db1.example:27017,127.0.0.1/"}, nil, "-allow-remote"},
		{"local store", []string{"-admin-token", "t", "-store-uri", "mongodb://127.0.0.1:27017/?replicaSet=rs0"}, nil, ""},
		{"srv store is remote", []string{"-admin-token", "t", "-store-uri", "mongodb+srv://cluster.example/"}, nil, "-allow-remote"},
		{"not http", []string{"-admin-token", "t", "-url", "ftp://127.0.0.1"}, nil, "not an http(s) URL"},
		{"no clients", []string{"-admin-token", "t", "-clients", "0"}, nil, "-clients"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := parseConfig(tt.args, env(tt.env), io.Discard, now)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("error %v, want one mentioning %q (config %+v)", err, tt.wantErr, cfg)
			}
		})
	}
}

func TestConfigDefaults(t *testing.T) {
	cfg, err := parseConfig(nil, env(map[string]string{"SURVEY_ADMIN_TOKEN": "t", "SURVEY_DATA_DIR": "/srv/survey"}), io.Discard, time.Unix(1700000000, 0))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.URL != "http://127.0.0.1:8080" || cfg.Departments != 50 || cfg.Clients != 8 || cfg.Duration != time.Minute ||
		cfg.Round != "load-1700000000" || cfg.Questionnaire != "dg-capability" || cfg.StoreDB != "dgsurvey" {
		t.Errorf("defaults: %+v", cfg)
	}
	if cfg.StoreURI != "mongodb://%2Fsrv%2Fsurvey%2Fmongodb.sock/" || !embeddedStore(cfg.StoreURI) {
		t.Errorf("store URI %q, want the embedded store's socket under SURVEY_DATA_DIR", cfg.StoreURI)
	}
}

func TestPercentile(t *testing.T) {
	var lat []time.Duration
	for i := 1; i <= 100; i++ {
		lat = append(lat, time.Duration(i)*time.Millisecond)
	}
	for _, tt := range []struct {
		p    float64
		want time.Duration
	}{{0.5, 50 * time.Millisecond}, {0.9, 90 * time.Millisecond}, {0.99, 99 * time.Millisecond}, {1, 100 * time.Millisecond}} {
		if got := percentile(lat, tt.p); got != tt.want {
			t.Errorf("p%.0f = %s, want %s", tt.p*100, got, tt.want)
		}
	}
	if percentile(nil, 0.5) != 0 {
		t.Error("no samples: want 0")
	}
	if got := percentile([]time.Duration{7}, 0.99); got != 7 {
		t.Errorf("one sample: %s", got)
	}
}

func TestSummaryCountsErrorsByStatus(t *testing.T) {
	rec := newRecorder()
	rec.ok(opPatch, 10*time.Millisecond)
	rec.ok(opPatch, 30*time.Millisecond)
	rec.fail(opPatch, 409)
	rec.fail(opPatch, statusNetwork)
	rec.ok(opGet, 5*time.Millisecond)
	rows := rec.summarize(2 * time.Second)
	patch, overall := rows[2], rows[len(rows)-1]
	if patch.Op != opPatch || patch.OK != 2 || patch.Errors != 2 || patch.PerSecond != 1 || patch.Max != 30*time.Millisecond {
		t.Errorf("patch row: %+v", patch)
	}
	if got := formatErrors(patch.ErrorsByStatus); got != "net×1 409×1" {
		t.Errorf("errors: %q", got)
	}
	if overall.OK != 3 || overall.Errors != 2 {
		t.Errorf("overall row: %+v", overall)
	}
}

func TestParseHistograms(t *testing.T) {
	text := `# HELP surveyd_store_command_duration_seconds Store commands.
# TYPE surveyd_store_command_duration_seconds histogram
surveyd_store_command_duration_seconds_bucket{command="find",outcome="ok",le="0.001"} 3
surveyd_store_command_duration_seconds_sum{command="find",outcome="ok"} 0.25
surveyd_store_command_duration_seconds_count{command="find",outcome="ok"} 10
go_goroutines 12
`
	got := parseHistograms(strings.NewReader(text))
	s, ok := got[`surveyd_store_command_duration_seconds|command="find",outcome="ok"`]
	if !ok || s.count != 10 || s.sum != 0.25 || len(got) != 1 {
		t.Fatalf("got %+v", got)
	}
	if label(`command="find",outcome="ok"`, "outcome") != "ok" {
		t.Error("label")
	}
}

func TestPlannedAnswersAreValid(t *testing.T) {
	for d := range 20 {
		for i := range 60 {
			a := planAnswer(1, d, i, i%3 == 0)
			switch {
			case a.NA && (a.NAReason == "" || a.Level != nil || i%3 != 0):
				t.Fatalf("dept %d question %d: bad N/A %+v", d, i, a)
			case !a.NA && (a.Level == nil || *a.Level < 0 || *a.Level > 5 || a.Comment == ""):
				t.Fatalf("dept %d question %d: bad answer %+v", d, i, a)
			}
			if b := planAnswer(1, d, i, i%3 == 0); b.Comment != a.Comment || b.NA != a.NA {
				t.Fatal("answers are not deterministic")
			}
		}
	}
}
