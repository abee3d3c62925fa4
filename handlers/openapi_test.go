package handlers_test

import (
	"net/http"
	"regexp"
	"sort"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// TestOpenAPIMatchesRoutes: every registered route is documented and every
// documented operation is routed.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	h := newHarness(t)
	rec := h.request("GET", "/api/v1/openapi.yaml", "", nil)
	if rec.Code != http.StatusOK {
		t.Fatalf("openapi.yaml: %d", rec.Code)
	}
	var doc struct {
		Paths map[string]map[string]any `yaml:"paths"`
	}
	if err := yaml.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
		t.Fatalf("openapi.yaml is not YAML: %v", err)
	}
	param := regexp.MustCompile(`\{([^}]+)\}`)
	documented := map[string]bool{}
	for path, ops := range doc.Paths {
		ginPath := param.ReplaceAllString(path, ":$1")
		for method := range ops {
			switch method {
			case "get", "post", "put", "patch", "delete":
				documented[strings.ToUpper(method)+" "+ginPath] = true
			}
		}
	}
	routed := map[string]bool{}
	for _, r := range h.srv.Routes() {
		if !strings.HasPrefix(r.Path, "/api/") && r.Path != "/healthz" && r.Path != "/readyz" && r.Path != "/metrics" {
			continue // web pages are not part of the API description
		}
		routed[r.Method+" "+r.Path] = true
	}
	var missing, extra []string
	for k := range routed {
		if !documented[k] {
			missing = append(missing, k)
		}
	}
	for k := range documented {
		if !routed[k] {
			extra = append(extra, k)
		}
	}
	sort.Strings(missing)
	sort.Strings(extra)
	if len(missing) > 0 || len(extra) > 0 {
		t.Fatalf("routes not in openapi.yaml: %v\ndocumented but not routed: %v", missing, extra)
	}
}
