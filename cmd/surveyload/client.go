package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"
)

// apiClient talks to surveyd's JSON API over keep-alive connections.
type apiClient struct {
	base string
	http *http.Client
	rec  *recorder // nil: requests are not measured (seeding)
}

func newAPIClient(base string, conns int, rec *recorder) *apiClient {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConns = conns * 2
	tr.MaxIdleConnsPerHost = conns * 2
	tr.MaxConnsPerHost = 0
	return &apiClient{base: base, http: &http.Client{Transport: tr, Timeout: 30 * time.Second}, rec: rec}
}

// apiError is an answer other than the expected status.
type apiError struct {
	Status int
	Body   string
}

func (e *apiError) Error() string {
	if e.Status == statusNetwork {
		return "no answer: " + e.Body
	}
	return fmt.Sprintf("status %d: %s", e.Status, e.Body)
}

// errCancelled marks a request cut off by the end of the run; it is neither
// a success nor an error of the server.
var errCancelled = errors.New("cancelled at the end of the run")

// do sends method path with body (JSON-encoded when not nil) and decodes a
// response with status want into out (when not nil). op names the measured
// operation ("" for unmeasured).
func (c *apiClient) do(ctx context.Context, op, token, method, path string, body, out any, want int) error {
	var rd io.Reader
	if body != nil {
		data, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	start := time.Now()
	resp, err := c.http.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return errCancelled
		}
		c.fail(op, statusNetwork)
		return &apiError{Status: statusNetwork, Body: err.Error()}
	}
	data, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	elapsed := time.Since(start)
	if err != nil {
		if ctx.Err() != nil {
			return errCancelled
		}
		c.fail(op, statusNetwork)
		return &apiError{Status: statusNetwork, Body: err.Error()}
	}
	if resp.StatusCode != want {
		c.fail(op, resp.StatusCode)
		return &apiError{Status: resp.StatusCode, Body: truncate(string(data), 300)}
	}
	if c.rec != nil && op != "" {
		c.rec.ok(op, elapsed)
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			return fmt.Errorf("%s %s: decoding the answer: %w", method, path, err)
		}
	}
	return nil
}

func (c *apiClient) fail(op string, status int) {
	if c.rec != nil && op != "" {
		c.rec.fail(op, status)
	}
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// statusOf returns the HTTP status of an apiError, -1 for anything else.
func statusOf(err error) int {
	var ae *apiError
	if errors.As(err, &ae) {
		return ae.Status
	}
	return -1
}
