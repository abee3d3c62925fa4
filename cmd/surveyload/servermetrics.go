package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
)

// sample is the count and sum of one histogram series.
type sample struct{ count, sum float64 }

// scrape reads surveyd's metrics at url (its own listener, metrics.listen)
// and returns the count and sum of every series of the store-command and
// HTTP-request histograms, keyed by "<metric>|<labels>". It returns nil
// when url is empty or cannot be read.
func scrape(ctx context.Context, c *apiClient, url string) map[string]sample {
	if url == "" {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, "GET", url, nil)
	if err != nil {
		return nil
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil
	}
	return parseHistograms(resp.Body)
}

// parseHistograms extracts _count and _sum of the surveyd histograms from
// the Prometheus text format.
func parseHistograms(r io.Reader) map[string]sample {
	out := map[string]sample{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if v, ok := strings.CutPrefix(line, processCPU+" "); ok {
			// The process's CPU time (user + system), for CPU per autosave.
			if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil {
				out[processCPU+"|"] = sample{count: 1, sum: f}
			}
			continue
		}
		if !strings.HasPrefix(line, "surveyd_") {
			continue
		}
		nameLabels, value, ok := strings.Cut(line, " ")
		if !ok {
			continue
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(value), 64)
		if err != nil {
			continue
		}
		name, labels, _ := strings.Cut(nameLabels, "{")
		labels = strings.TrimSuffix(labels, "}")
		switch {
		case strings.HasSuffix(name, "_count"):
			key := strings.TrimSuffix(name, "_count") + "|" + labels
			s := out[key]
			s.count = v
			out[key] = s
		case strings.HasSuffix(name, "_sum"):
			key := strings.TrimSuffix(name, "_sum") + "|" + labels
			s := out[key]
			s.sum = v
			out[key] = s
		}
	}
	return out
}

// processCPU is the Prometheus process collector's CPU time counter.
const processCPU = "process_cpu_seconds_total"

// label returns the value of one label in a "k=\"v\",..." string.
func label(labels, key string) string {
	for _, kv := range strings.Split(labels, ",") {
		k, v, ok := strings.Cut(kv, "=")
		if ok && k == key {
			return strings.Trim(v, `"`)
		}
	}
	return ""
}

// printServerSide writes what surveyd measured itself during the run: its
// time per PATCH and, per store command, how many ran per PATCH-run and
// their mean duration. patches is the client's count of successful PATCHes.
func printServerSide(w io.Writer, before, after map[string]sample, patches int) {
	if before == nil || after == nil {
		fmt.Fprintln(w, "server side: surveyd's metrics (-metrics-url) not readable from here; skipped")
		return
	}
	delta := func(key string) sample {
		return sample{after[key].count - before[key].count, after[key].sum - before[key].sum}
	}
	fmt.Fprintln(w, "server side, during the respondent run (surveyd's own /metrics):")
	for key := range after {
		metric, labels, _ := strings.Cut(key, "|")
		if metric == "surveyd_http_request_duration_seconds" && label(labels, "method") == "PATCH" &&
			strings.HasSuffix(label(labels, "route"), "/responses/:dept") {
			if d := delta(key); d.count > 0 {
				fmt.Fprintf(w, "  PATCH handled (status %s): %.0f, mean %.2f ms inside surveyd\n", label(labels, "status"), d.count, 1000*d.sum/d.count)
			}
		}
	}
	if cpu := delta(processCPU + "|"); cpu.sum > 0 && patches > 0 {
		// Everything surveyd did (its embedded store included) during the
		// run, over the PATCHes: an upper bound of an autosave's CPU, since
		// the run's few GETs and submits are in it too.
		fmt.Fprintf(w, "  server CPU: %.2f s over %d PATCHes = %.2f ms per autosave (all of surveyd's CPU during the run)\n",
			cpu.sum, patches, 1000*cpu.sum/float64(patches))
	}
	type row struct {
		cmd   string
		count float64
		mean  float64
		total float64
	}
	byCmd := map[string]*row{}
	for key := range after {
		metric, labels, _ := strings.Cut(key, "|")
		if metric != "surveyd_store_command_duration_seconds" {
			continue
		}
		d := delta(key)
		if d.count <= 0 {
			continue
		}
		cmd := label(labels, "command")
		r := byCmd[cmd]
		if r == nil {
			r = &row{cmd: cmd}
			byCmd[cmd] = r
		}
		r.count += d.count
		r.total += d.sum
	}
	rows := make([]*row, 0, len(byCmd))
	for _, r := range byCmd {
		r.mean = r.total / r.count
		rows = append(rows, r)
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].total > rows[j].total })
	fmt.Fprintf(w, "  %-16s %8s %10s %9s %10s\n", "store command", "count", "per PATCH", "mean ms", "total s")
	for _, r := range rows {
		per := 0.0
		if patches > 0 {
			per = r.count / float64(patches)
		}
		fmt.Fprintf(w, "  %-16s %8.0f %10.2f %9.2f %10.2f\n", r.cmd, r.count, per, 1000*r.mean, r.total)
	}
}
