package main

import (
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

func getStatus(t *testing.T, url string, header ...string) (int, string) {
	t.Helper()
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(body)
}

// metricsURL is where the running surveyd serves its metrics, from its log.
func (s *started) metricsURL(t *testing.T) string {
	t.Helper()
	re := regexp.MustCompile(`msg="serving metrics" addr=(\S+)`)
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if m := re.FindStringSubmatch(s.stderr.String()); m != nil {
			return "http://" + m[1] + "/metrics"
		}
	}
	t.Fatalf("no metrics listener logged:\n%s", s.stderr.String())
	return ""
}

// TestMetricsOnItsOwnListener: /metrics is served on metrics.listen only,
// never on the main listener (where a reverse proxy on the same host would
// make it public), and counts the main listener's requests.
func TestMetricsOnItsOwnListener(t *testing.T) {
	s := start(t, testEnv(t))
	defer s.stop()
	if code, _ := getStatus(t, s.url+"/healthz"); code != http.StatusOK {
		t.Fatalf("/healthz %d", code)
	}
	if code, body := getStatus(t, s.url+"/metrics"); code != http.StatusNotFound || strings.Contains(body, "surveyd_") {
		t.Fatalf("/metrics on the main listener: %d %.200s", code, body)
	}
	murl := s.metricsURL(t)
	code, body := getStatus(t, murl)
	if code != http.StatusOK || !strings.Contains(body, `surveyd_http_request_duration_seconds_count{method="GET",route="/healthz",status="200"} 1`) {
		t.Fatalf("metrics listener: %d\n%.2000s", code, body)
	}
	if code, _ := getStatus(t, strings.TrimSuffix(murl, "/metrics")+"/api/v1/rounds"); code != http.StatusNotFound {
		t.Fatalf("the metrics listener serves the API: %d", code)
	}
}

// TestHeadersCapped: a request with 70 KiB of headers gets 431 from the
// real server, on a fresh connection and on a reused one; 60 KiB is served.
func TestHeadersCapped(t *testing.T) {
	s := start(t, testEnv(t))
	defer s.stop()
	if code, _ := getStatus(t, s.url+"/healthz", "X-Padding", strings.Repeat("a", 60<<10)); code != http.StatusOK {
		t.Fatalf("60 KiB of headers: %d, want 200", code)
	}
	if code, _ := getStatus(t, s.url+"/healthz", "X-Padding", strings.Repeat("a", 70<<10)); code != http.StatusRequestHeaderFieldsTooLarge {
		t.Fatalf("70 KiB of headers: %d, want 431", code)
	}
	http.DefaultClient.CloseIdleConnections()
	if code, _ := getStatus(t, s.url+"/healthz", "X-Padding", strings.Repeat("a", 70<<10)); code != http.StatusRequestHeaderFieldsTooLarge {
		t.Fatalf("70 KiB of headers on a fresh connection: %d, want 431", code)
	}
}
