package main

import (
	"fmt"
	"io"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Operations measured, in table order.
const (
	opQuestionnaire = "questionnaire"
	opGet           = "get"
	opPatch         = "patch"
	opSubmit        = "submit"
)

var operations = []string{opQuestionnaire, opGet, opPatch, opSubmit}

// statusNetwork stands for a request that got no HTTP answer.
const statusNetwork = 0

// recorder collects latencies and failures per operation; safe for
// concurrent use.
type recorder struct {
	mu  sync.Mutex
	ops map[string]*opStats
}

type opStats struct {
	latencies []time.Duration // successful requests
	errors    map[int]int     // by HTTP status; statusNetwork for no answer
}

func newRecorder() *recorder { return &recorder{ops: map[string]*opStats{}} }

func (r *recorder) get(op string) *opStats {
	s := r.ops[op]
	if s == nil {
		s = &opStats{errors: map[int]int{}}
		r.ops[op] = s
	}
	return s
}

// ok records a successful request.
func (r *recorder) ok(op string, d time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := r.get(op)
	s.latencies = append(s.latencies, d)
}

// fail records a failed request by status (statusNetwork: no answer).
func (r *recorder) fail(op string, status int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.get(op).errors[status]++
}

// summary is one row of the results table.
type summary struct {
	Op                 string
	OK, Errors         int
	PerSecond          float64
	P50, P90, P99, Max time.Duration
	ErrorsByStatus     map[int]int
}

// summarize computes the rows for each operation and "overall", with rates
// over elapsed.
func (r *recorder) summarize(elapsed time.Duration) []summary {
	r.mu.Lock()
	defer r.mu.Unlock()
	var rows []summary
	var all []time.Duration
	allErrors := map[int]int{}
	for _, op := range operations {
		s := r.get(op)
		rows = append(rows, summarizeOne(op, s.latencies, s.errors, elapsed))
		all = append(all, s.latencies...)
		for k, v := range s.errors {
			allErrors[k] += v
		}
	}
	return append(rows, summarizeOne("overall", all, allErrors, elapsed))
}

func summarizeOne(op string, lat []time.Duration, errs map[int]int, elapsed time.Duration) summary {
	sorted := slices.Clone(lat)
	slices.Sort(sorted)
	s := summary{Op: op, OK: len(sorted), ErrorsByStatus: errs}
	for _, n := range errs {
		s.Errors += n
	}
	if elapsed > 0 {
		s.PerSecond = float64(len(sorted)) / elapsed.Seconds()
	}
	s.P50, s.P90, s.P99 = percentile(sorted, 0.50), percentile(sorted, 0.90), percentile(sorted, 0.99)
	if len(sorted) > 0 {
		s.Max = sorted[len(sorted)-1]
	}
	return s
}

// percentile is the nearest-rank percentile of sorted latencies (0 when
// there are none): the smallest value with at least p of the samples at or
// below it.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(math.Ceil(p * float64(len(sorted))))
	rank = min(max(rank, 1), len(sorted))
	return sorted[rank-1]
}

// formatErrors renders errors by status, e.g. "409×3 net×1", or "-".
func formatErrors(errs map[int]int) string {
	if len(errs) == 0 {
		return "-"
	}
	codes := make([]int, 0, len(errs))
	for k := range errs {
		codes = append(codes, k)
	}
	sort.Ints(codes)
	parts := make([]string, 0, len(codes))
	for _, k := range codes {
		name := strconv.Itoa(k)
		if k == statusNetwork {
			name = "net"
		}
		parts = append(parts, fmt.Sprintf("%s×%d", name, errs[k]))
	}
	return strings.Join(parts, " ")
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f", float64(d)/float64(time.Millisecond)) }

// printTable writes the rows as an aligned text table (latencies in ms).
func printTable(w io.Writer, rows []summary) {
	fmt.Fprintf(w, "%-14s %7s %9s %8s %8s %8s %8s  %s\n", "operation", "count", "per s", "p50 ms", "p90 ms", "p99 ms", "max ms", "errors")
	for _, r := range rows {
		fmt.Fprintf(w, "%-14s %7d %9.1f %8s %8s %8s %8s  %s\n", r.Op, r.OK, r.PerSecond, ms(r.P50), ms(r.P90), ms(r.P99), ms(r.Max), formatErrors(r.ErrorsByStatus))
	}
}
