package mongostore_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/dpo/dgsurvey/survey"
)

// TestRevokeNeverLostToTouch: revoking a credential while its use is being
// recorded never leaves it unrevoked. The embedded store applies an update
// by reading the document and writing it back whole, so a touch that read
// the record before the revocation used to write revoked=false back over
// it (5 of 70 timed attempts in the field).
func TestRevokeNeverLostToTouch(t *testing.T) {
	st := srv.NewStore(t)
	ctx := context.Background()
	const rounds = 200
	for i := range rounds {
		now := time.Now().UTC().Truncate(time.Millisecond)
		cred, _, err := survey.NewCredential(survey.RoleRespondent, "ABC", "race", now)
		if err != nil {
			t.Fatal(err)
		}
		if err := st.CreateCredential(ctx, cred); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		start := make(chan struct{})
		errs := make(chan error, 5)
		for k := range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				errs <- st.TouchCredential(ctx, cred.Hash, now.Add(time.Duration(k+1)*time.Second))
			}()
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			_, err := st.RevokeCredential(ctx, cred.ID, now)
			errs <- err
		}()
		close(start)
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatalf("attempt %d: %v", i, err)
			}
		}
		got, err := st.CredentialByHash(ctx, cred.Hash)
		if err != nil {
			t.Fatal(err)
		}
		if !got.Revoked || got.RevokedAt == nil {
			t.Fatalf("attempt %d of %d: the revocation was lost to a concurrent touch: %+v", i+1, rounds, got)
		}
		if got.LastUsedAt == nil || !got.LastUsedAt.Equal(now.Add(4*time.Second)) {
			t.Fatalf("attempt %d: last_used_at %v, want the latest touch %v", i+1, got.LastUsedAt, now.Add(4*time.Second))
		}
	}
}

// TestSessionTouchNeverResurrects: a touch racing a logout never brings
// the session back, and a touch racing a sweep of another, expired session
// leaves the live one in place.
func TestSessionTouchNeverResurrects(t *testing.T) {
	st := srv.NewStore(t)
	ctx := context.Background()
	for i := range 50 {
		now := time.Now().UTC().Truncate(time.Millisecond)
		live := &survey.Session{Hash: "live" + time.Now().Format("150405.000000000"), CredentialHash: "c", CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Hour)}
		gone := &survey.Session{Hash: "gone" + time.Now().Format("150405.000000000"), CredentialHash: "c", CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Hour)}
		for _, s := range []*survey.Session{live, gone} {
			if err := st.CreateSession(ctx, s); err != nil {
				t.Fatal(err)
			}
		}
		var wg sync.WaitGroup
		start := make(chan struct{})
		for k := range 3 {
			wg.Add(2)
			go func() {
				defer wg.Done()
				<-start
				_ = st.TouchSession(ctx, gone.Hash, now.Add(time.Duration(k)*time.Second))
			}()
			go func() {
				defer wg.Done()
				<-start
				_ = st.TouchSession(ctx, live.Hash, now.Add(time.Duration(k)*time.Second))
			}()
		}
		wg.Add(1)
		go func() { defer wg.Done(); <-start; _ = st.DeleteSession(ctx, gone.Hash) }()
		close(start)
		wg.Wait()
		if _, err := st.Session(ctx, gone.Hash); survey.ErrorCode(err) != survey.ENOTFOUND {
			t.Fatalf("attempt %d: a logged-out session came back: %v", i+1, err)
		}
		if _, err := st.Session(ctx, live.Hash); err != nil {
			t.Fatalf("attempt %d: live session: %v", i+1, err)
		}
	}
}

// TestDeleteExpiredSessions: the sweep removes sessions past their absolute
// expiry or idle too long, and only those.
func TestDeleteExpiredSessions(t *testing.T) {
	st := srv.NewStore(t)
	ctx := context.Background()
	now := time.Now().UTC().Truncate(time.Millisecond)
	sessions := map[string]*survey.Session{
		"fresh":   {Hash: "fresh", LastSeenAt: now, ExpiresAt: now.Add(time.Hour)},
		"idle":    {Hash: "idle", LastSeenAt: now.Add(-time.Hour), ExpiresAt: now.Add(time.Hour)},
		"expired": {Hash: "expired", LastSeenAt: now, ExpiresAt: now.Add(-time.Second)},
	}
	for _, s := range sessions {
		s.CreatedAt = now.Add(-2 * time.Hour)
		if err := st.CreateSession(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	n, err := st.DeleteExpiredSessions(ctx, now, now.Add(-30*time.Minute))
	if err != nil || n != 2 {
		t.Fatalf("deleted %d, %v; want 2", n, err)
	}
	if _, err := st.Session(ctx, "fresh"); err != nil {
		t.Fatalf("fresh session: %v", err)
	}
	for _, h := range []string{"idle", "expired"} {
		if _, err := st.Session(ctx, h); survey.ErrorCode(err) != survey.ENOTFOUND {
			t.Fatalf("%s session: %v, want not found", h, err)
		}
	}
}
