package handlers_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/dpo/dgsurvey/survey"
)

// TestRevokeWhileInUse: a credential revoked through the API while four
// clients use it stays revoked: in the store (so after a restart) and on
// this instance once its credential cache lifetime has passed. On the
// embedded store a touch of last_used_at that overlapped the revocation
// used to write revoked=false back (12 of 30 attempts in the field).
func TestRevokeWhileInUse(t *testing.T) {
	const ttl = 50 * time.Millisecond
	h := newHarness(t, func(c *handlersConfig) {
		c.CredentialCacheTTL, c.FailedAuthPerMinute = ttl, 1_000_000
	})
	h.department("ABC")
	for attempt := range 30 {
		out := h.must(http.StatusCreated, "POST", "/api/v1/credentials", h.admin,
			map[string]any{"role": "respondent", "department": "ABC", "label": "racer"})
		token, id := out["token"].(string), out["id"].(string)
		stop := make(chan struct{})
		var wg sync.WaitGroup
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					select {
					case <-stop:
						return
					default:
					}
					h.request("GET", "/api/v1/rounds", token, nil)
					// Let the cache entry lapse now and then, so uses reach
					// the store (and touch the record) while the revoke runs.
					time.Sleep(ttl / 2)
				}
			}()
		}
		time.Sleep(time.Duration(attempt%5) * ttl / 5)
		h.must(http.StatusNoContent, "DELETE", "/api/v1/credentials/"+id, h.admin, nil)
		time.Sleep(ttl)
		close(stop)
		wg.Wait()
		cred, err := h.store.CredentialByHash(context.Background(), survey.HashToken(token))
		if err != nil {
			t.Fatal(err)
		}
		if !cred.Revoked {
			t.Fatalf("attempt %d: the stored credential is not revoked after a 204", attempt+1)
		}
		time.Sleep(2 * ttl)
		if rec := h.request("GET", "/api/v1/rounds", token, nil); rec.Code != http.StatusUnauthorized {
			t.Fatalf("attempt %d: the revoked token got %d, want 401", attempt+1, rec.Code)
		}
		restarted := newServer(h.store, h.config)
		req := httptest.NewRequest("GET", "/api/v1/rounds", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		rec := httptest.NewRecorder()
		restarted.ServeHTTP(rec, req)
		if rec.Code != http.StatusUnauthorized {
			t.Fatalf("attempt %d: after a restart the revoked token got %d, want 401", attempt+1, rec.Code)
		}
	}
}
