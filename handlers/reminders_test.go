package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dpo/dgsurvey/survey/assess"
)

// TestRemindersOncePerOffset: two service instances sharing one store run
// the scheduler at the same moments; each department that has not
// submitted gets each reminder exactly once, at its own deadline's
// offsets: an extension moves the reminders still to come, and an offset
// already past when the deadline moved is skipped, not sent late.
func TestRemindersOncePerOffset(t *testing.T) {
	h := newHarness(t)
	for _, d := range []string{"ABC", "XYZ", "SUB"} {
		h.department(d)
	}
	h.round("r1", "small", true)
	h.invite("Ben Wong", "ben@abc.example", "respondent", "ABC", false)
	h.invite("Carmen Lee", "carmen@abc.example", "respondent", "ABC", true)
	h.invite("Xavier Yu", "xavier@xyz.example", "respondent", "XYZ", false)
	h.invite("Sam Sze", "sam@sub.example", "respondent", "SUB", false)
	subToken := h.credential("respondent", "SUB")
	h.must(http.StatusOK, "PATCH", "/api/v1/rounds/r1/responses/SUB", subToken, completeAnswers())
	h.must(http.StatusOK, "POST", "/api/v1/rounds/r1/responses/SUB/submit", subToken, nil)

	closes := time.Date(2026, 3, 31, 18, 0, 0, 0, time.FixedZone("HKT", 8*3600))
	day := 24 * time.Hour
	one, two := assess.New(h.store, h.config.Config), assess.New(h.store, h.config.Config)
	runBoth := func(at time.Time) map[string]int {
		t.Helper()
		h.clock.Set(at)
		var wg sync.WaitGroup
		var mu sync.Mutex
		sent := map[string]int{}
		for _, svc := range []*assess.Service{one, two} {
			wg.Go(func() {
				res, err := svc.RunDueReminders(context.Background())
				if err != nil {
					t.Error(err)
				}
				mu.Lock()
				defer mu.Unlock()
				for _, r := range res {
					sent[r.Department+"/"+strconv.Itoa(r.Offset)]++
				}
			})
		}
		wg.Wait()
		return sent
	}
	steps := []struct {
		name string
		at   time.Time
		want map[string]int
		then func()
	}{
		{"nothing is due three weeks out", closes.Add(-21 * day), map[string]int{}, nil},
		{"14 days before", closes.Add(-14*day + time.Hour), map[string]int{"ABC/14": 1, "XYZ/14": 1},
			func() {
				h.must(http.StatusOK, "PUT", "/api/v1/rounds/r1/departments/XYZ/extension", h.admin,
					map[string]any{"closes_at": closes.Add(10 * day).Format(time.RFC3339), "reason": "system migration"})
			}},
		{"again the same hour: nothing twice", closes.Add(-14*day + 2*time.Hour), map[string]int{}, nil},
		{"7 days before the round's deadline: ABC only", closes.Add(-7*day + time.Hour), map[string]int{"ABC/7": 1}, nil},
		{"2 days before: ABC only", closes.Add(-2*day + time.Hour), map[string]int{"ABC/2": 1}, nil},
		{"7 days before XYZ's extension", closes.Add(3*day + time.Hour), map[string]int{"XYZ/7": 1}, nil},
		{"2 days before XYZ's extension", closes.Add(8*day + time.Hour), map[string]int{"XYZ/2": 1}, nil},
		{"after XYZ's deadline", closes.Add(11 * day), map[string]int{}, nil},
	}
	for _, st := range steps {
		got := runBoth(st.at)
		if len(got) != len(st.want) {
			t.Errorf("%s: sent %v, want %v", st.name, got, st.want)
		}
		for k, n := range st.want {
			if got[k] != n {
				t.Errorf("%s: %s sent %d times, want %d (all: %v)", st.name, k, got[k], n, got)
			}
		}
		if st.then != nil {
			st.then()
		}
	}
	msgs, err := h.store.Messages(context.Background(), 1000)
	if err != nil {
		t.Fatal(err)
	}
	perUser := map[string]int{}
	for _, m := range msgs {
		if m.Kind == "reminder" {
			perUser[m.To]++
		}
	}
	want := map[string]int{"ben@abc.example": 3, "carmen@abc.example": 3, "xavier@xyz.example": 3}
	for addr, n := range want {
		if perUser[addr] != n {
			t.Errorf("%s got %d reminders, want %d", addr, perUser[addr], n)
		}
	}
	if perUser["sam@sub.example"] != 0 {
		t.Errorf("a submitted department was reminded")
	}
}

// TestSendRemindersNow: an administrator reminds one, several or all
// departments not submitted, from the API and from the reminders page;
// every sending is audited; a submitted or unknown department is 422.
func TestSendRemindersNow(t *testing.T) {
	h := newHarness(t)
	h.department("ABC")
	h.department("XYZ")
	h.round("r1", "small", true)
	h.invite("Ben Wong", "ben@abc.example", "respondent", "ABC", false)
	h.invite("Xavier Yu", "xavier@xyz.example", "respondent", "XYZ", false)

	out := h.must(http.StatusOK, "POST", "/api/v1/rounds/r1/reminders", h.admin, map[string]any{"departments": []string{"ABC"}})
	if rs := out["reminders"].([]any); len(rs) != 1 || rs[0].(map[string]any)["recipients"].(float64) != 1 {
		t.Fatalf("reminding ABC: %v", out)
	}
	out = h.must(http.StatusOK, "POST", "/api/v1/rounds/r1/reminders", h.admin, map[string]any{})
	if rs := out["reminders"].([]any); len(rs) != 2 {
		t.Fatalf("reminding all: %v", out)
	}
	rec := h.request("POST", "/api/v1/rounds/r1/reminders", h.admin, map[string]any{"departments": []string{"ABC", "NOPE"}})
	if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "departments.1") {
		t.Errorf("an unknown department: %d %s", rec.Code, rec.Body.String())
	}

	b := h.browser().signIn(h.admin)
	dash := b.page(http.StatusOK, "/admin/rounds/r1")
	if !strings.Contains(dash, `href="/admin/rounds/r1/reminders"`) {
		t.Error("the dashboard does not link the reminders page")
	}
	page := b.page(http.StatusOK, "/admin/rounds/r1/reminders")
	if !strings.Contains(page, `id="remind-ABC"`) || !strings.Contains(page, `id="remind-XYZ"`) {
		t.Fatalf("the reminders page does not list the departments:\n%.3000s", page)
	}
	res := b.submit(http.StatusOK, "/admin/rounds/r1/reminders", url.Values{"department": {"XYZ"}})
	if !strings.Contains(res.Body.String(), `id="reminders-sent"`) {
		t.Errorf("the page does not confirm the sending")
	}
	audit := h.must(http.StatusOK, "GET", "/api/v1/audit?round=r1", h.admin, nil)
	n := 0
	for _, e := range audit["events"].([]any) {
		if e.(map[string]any)["action"] == "reminder.send" {
			n++
		}
	}
	if n != 4 {
		t.Errorf("%d reminder sendings audited, want 4", n)
	}
}
