package main

import (
	"testing"
	"time"

	"github.com/dpo/dgsurvey/survey"
)

// TestDemoDatesAtOfficeTimes: the demo's rounds open at 09:00 and close at
// 18:00 Hong Kong time, and every demo answer and submission falls inside
// its round's window, before now, at an office hour: last year's round
// never shows submissions dated after its deadline.
func TestDemoDatesAtOfficeTimes(t *testing.T) {
	for _, now := range []time.Time{
		time.Date(2026, 12, 1, 20, 10, 50, 0, time.UTC), // 04:10 in Hong Kong, the review's case
		time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC),
		time.Date(2027, 1, 31, 15, 59, 0, 0, time.UTC),
	} {
		t.Run(now.Format(time.RFC3339), func(t *testing.T) {
			previous := &survey.Round{State: survey.RoundClosed, OpensAt: officeTime(now.AddDate(-1, -1, 0), 9), ClosesAt: officeTime(now.AddDate(-1, 1, 0), 18)}
			current := &survey.Round{State: survey.RoundOpen, OpensAt: officeTime(now.AddDate(0, 0, -30), 9), ClosesAt: officeTime(now.AddDate(0, 0, 30), 18)}
			for _, r := range []*survey.Round{previous, current} {
				if h := r.OpensAt.In(hongKong).Hour(); h != 9 {
					t.Errorf("opens at %02d:00 Hong Kong time", h)
				}
				if h := r.ClosesAt.In(hongKong).Hour(); h != 18 {
					t.Errorf("closes at %02d:00 Hong Kong time", h)
				}
				for j := range 10 {
					at := answeredAt(r, j, now)
					submitted := at.Add(30 * time.Minute)
					if at.Before(r.OpensAt) || submitted.After(r.ClosesAt) || submitted.After(now) {
						t.Errorf("%s round, department %d: answered %s, submitted %s; window %s to %s, now %s",
							r.State, j, at, submitted, r.OpensAt, r.ClosesAt, now)
					}
					if h := at.In(hongKong).Hour(); r.State == survey.RoundClosed && (h < 9 || h > 17) {
						t.Errorf("department %d answered at %02d:xx Hong Kong time", j, h)
					}
				}
			}
		})
	}
}
