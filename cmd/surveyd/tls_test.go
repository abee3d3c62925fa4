package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"
)

// writeTestCert writes a self-signed certificate for 127.0.0.1 and its key
// into dir, returning their paths and the certificate.
func writeTestCert(t *testing.T, dir string) (certFile, keyFile string, cert *x509.Certificate) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "surveyd test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage:    x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	if cert, err = x509.ParseCertificate(der); err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		t.Fatal(err)
	}
	return certFile, keyFile, cert
}

// TestTLSServedDirectly: with http.tls_cert and http.tls_key surveyd
// serves HTTPS on its real listener, says so, sends HSTS on every
// response, and does not answer plain HTTP there; without them it serves
// plain HTTP without HSTS.
func TestTLSServedDirectly(t *testing.T) {
	env := testEnv(t)
	certFile, keyFile, cert := writeTestCert(t, t.TempDir())
	config := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(config, []byte("http:\n  tls_cert: "+certFile+"\n  tls_key: "+keyFile+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	out, errOut := &syncBuffer{}, &syncBuffer{}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-config", config}, out, errOut, func(k string) string { return env[k] })
	}()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("run: %v", err)
		}
	}()
	listening := regexp.MustCompile(`listening on https://(\S+)`)
	var addr string
	for deadline := time.Now().Add(60 * time.Second); addr == ""; time.Sleep(20 * time.Millisecond) {
		if m := listening.FindStringSubmatch(out.String()); m != nil {
			addr = m[1]
		}
		if time.Now().After(deadline) {
			t.Fatalf("surveyd did not listen on https:\n%s\n%s", out.String(), errOut.String())
		}
	}
	roots := x509.NewCertPool()
	roots.AddCert(cert)
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots}}, Timeout: 10 * time.Second}
	for _, path := range []string{"/healthz", "/login", "/api/v1/rounds"} {
		res, err := client.Get("https://" + addr + path)
		if err != nil {
			t.Fatalf("GET %s over TLS: %v", path, err)
		}
		res.Body.Close()
		if got := res.Header.Get("Strict-Transport-Security"); got != hstsValue {
			t.Errorf("GET %s: %d, Strict-Transport-Security %q, want %q", path, res.StatusCode, got, hstsValue)
		}
	}
	if res, err := http.Get("http://" + addr + "/healthz"); err == nil {
		res.Body.Close()
		if res.StatusCode == http.StatusOK {
			t.Fatal("plain HTTP served on the TLS listener")
		}
	}

	plain := start(t, testEnv(t))
	defer plain.stop()
	res, err := http.Get(plain.url + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if got := res.Header.Get("Strict-Transport-Security"); got != "" {
		t.Fatalf("plain HTTP sends Strict-Transport-Security %q", got)
	}
}

// TestTLSConfigChecked: one of the two files alone, or an unreadable pair,
// stops the start naming the keys.
func TestTLSConfigChecked(t *testing.T) {
	dir := t.TempDir()
	cases := map[string]string{
		"cert alone":   "http:\n  tls_cert: x.pem\n",
		"missing file": "http:\n  tls_cert: " + dir + "/none.pem\n  tls_key: " + dir + "/none.key\n",
	}
	for name, yaml := range cases {
		t.Run(name, func(t *testing.T) {
			config := filepath.Join(t.TempDir(), "config.yaml")
			if err := os.WriteFile(config, []byte(yaml), 0o600); err != nil {
				t.Fatal(err)
			}
			env := testEnv(t)
			err := run(context.Background(), []string{"-config", config}, &syncBuffer{}, &syncBuffer{}, func(k string) string { return env[k] })
			if err == nil || !regexp.MustCompile(`http\.tls_(cert|key)`).MatchString(err.Error()) {
				t.Fatalf("run: %v, want an error naming http.tls_cert/http.tls_key", err)
			}
		})
	}
}
