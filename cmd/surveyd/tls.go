package main

import (
	"crypto/tls"
	"fmt"
	"net/http"
)

// hstsValue tells browsers to use HTTPS only for this host for a year. It
// is sent only when surveyd serves TLS itself: behind a proxy that ends
// TLS, the proxy sends it (docs/OPERATIONS.md).
const hstsValue = "max-age=31536000"

// loadTLS reads http.tls_cert and http.tls_key (nil, nil when unset: plain
// HTTP), so that a wrong file fails the start naming the key.
func loadTLS(cfg config) (*tls.Config, error) {
	if cfg.HTTP.TLSCert == "" {
		return nil, nil
	}
	cert, err := tls.LoadX509KeyPair(cfg.HTTP.TLSCert, cfg.HTTP.TLSKey)
	if err != nil {
		return nil, fmt.Errorf("config: http.tls_cert / http.tls_key: %w", err)
	}
	return &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}, nil
}

// withHSTS adds Strict-Transport-Security to every response when on.
func withHSTS(on bool, h http.Handler) http.Handler {
	if !on {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Strict-Transport-Security", hstsValue)
		h.ServeHTTP(w, r)
	})
}
