package mongostore_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/dpo/dgsurvey/survey"
)

func TestSeminarsRoundTripAndConcurrentAttendance(t *testing.T) {
	st := srv.NewStore(t)
	ctx := context.Background()
	now := time.Now().UTC().Truncate(time.Millisecond)
	sem := &survey.Seminar{ID: survey.SeminarID("r1", "2026-06-01", "cyber", nil), TitleEN: "Cyber", TitleZH: "網絡", Date: "2026-06-01",
		Theme: "cyber", Areas: []string{"cs-iam"}, Round: "r1", Attendance: []string{}, Version: 1, CreatedAt: now, UpdatedAt: now}
	if err := st.CreateSeminar(ctx, sem); err != nil {
		t.Fatal(err)
	}
	if err := st.CreateSeminar(ctx, sem); survey.ErrorCode(err) != survey.ECONFLICT {
		t.Fatalf("the same plan twice: %v, want conflict", err)
	}
	// Twenty planners each add a department at once: none is lost.
	codes := []string{}
	var wg sync.WaitGroup
	for i := range 20 {
		code := string(rune('A'+i)) + "X"
		codes = append(codes, code)
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := st.UpdateSeminar(ctx, sem.ID, func(s *survey.Seminar) error {
				next, _, err := s.SetAttendance(append(slices.Clone(s.Attendance), code), nil, "t", now)
				*s = next
				return err
			})
			if err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	got, err := st.Seminar(ctx, sem.ID)
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(codes)
	if !slices.Equal(got.Attendance, codes) || got.Version != 21 {
		t.Fatalf("attendance %v version %d, want %v and 21", got.Attendance, got.Version, codes)
	}
	list, err := st.Seminars(ctx)
	if err != nil || len(list) != 1 || list[0].ID != sem.ID {
		t.Fatalf("list %+v, %v", list, err)
	}
	if _, err := st.Seminar(ctx, "nope"); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Fatalf("missing seminar: %v", err)
	}
}

// TestClaimAttempt: each sending attempt of a queued message is taken
// once, whichever queue (instance) asks first; a sent message is never
// claimed again.
func TestClaimAttempt(t *testing.T) {
	st := srv.NewStore(t)
	ctx := context.Background()
	m := &survey.Message{ID: "m1", Kind: "reminder", To: "a@b.example", Status: survey.MailQueued, Created: time.Now().UTC()}
	if err := st.AppendMessage(ctx, m); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		done int
		want bool
	}{{0, true}, {0, false}, {1, true}, {3, false}}
	for _, s := range steps {
		if got, err := st.ClaimAttempt(ctx, m.ID, s.done); err != nil || got != s.want {
			t.Fatalf("claim after %d attempts: %v %v, want %v", s.done, got, err, s.want)
		}
	}
	m.Status, m.Attempts = survey.MailSent, 2
	if err := st.UpdateMessage(ctx, m); err != nil {
		t.Fatal(err)
	}
	if got, _ := st.ClaimAttempt(ctx, m.ID, 2); got {
		t.Fatal("a sent message was claimed again")
	}
}
