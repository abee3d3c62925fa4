package handlers

import (
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics is the service's Prometheus registry and instruments. It is made
// by the caller (one per process) so the store can report into it too.
type Metrics struct {
	registry *prometheus.Registry
	requests *prometheus.HistogramVec
	store    *prometheus.HistogramVec
	reports  *prometheus.HistogramVec
}

// NewMetrics creates a registry with the Go and process collectors and the
// service's own instruments.
func NewMetrics() *Metrics {
	reg := prometheus.NewRegistry()
	m := &Metrics{
		registry: reg,
		requests: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "surveyd_http_request_duration_seconds",
			Help:    "HTTP requests by route, method and status (count and latency).",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"route", "method", "status"}),
		store: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "surveyd_store_command_duration_seconds",
			Help:    "Store commands by name and outcome.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 5},
		}, []string{"command", "outcome"}),
		reports: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "surveyd_report_duration_seconds",
			Help:    "Workbooks generated, by kind and outcome.",
			Buckets: []float64{.01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
		}, []string{"kind", "outcome"}),
	}
	reg.MustRegister(m.requests, m.store, m.reports,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// ObserveStoreCommand records one store command; wire it to the store's
// command monitor.
func (m *Metrics) ObserveStoreCommand(command string, d time.Duration, ok bool) {
	outcome := "ok"
	if !ok {
		outcome = "error"
	}
	m.store.WithLabelValues(command, outcome).Observe(d.Seconds())
}

// ObserveReport records one workbook built; wire it to the use cases'
// report hook (assess.Config.ObserveReport).
func (m *Metrics) ObserveReport(kind string, took time.Duration, err error) {
	outcome := "ok"
	if err != nil {
		outcome = "error"
	}
	m.reports.WithLabelValues(kind, outcome).Observe(took.Seconds())
}

// instrument records every request under its route pattern (never the raw
// path, which would let clients create unbounded label values).
func (s *Server) instrument(c *gin.Context) {
	start := time.Now()
	c.Next()
	s.metrics.requests.WithLabelValues(routeLabel(c), c.Request.Method, strconv.Itoa(c.Writer.Status())).Observe(time.Since(start).Seconds())
}

// Handler serves the registry in the Prometheus text format. cmd/surveyd
// serves it on its own listener (metrics.listen), never on the main one,
// so a reverse proxy in front of the service can never expose it.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{})
}
