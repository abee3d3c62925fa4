package main

import (
	"encoding/json"
	"net/http"
	"regexp"
	"testing"
)

// demoGet decodes a GET of the demo server as the demo planner.
func demoGet(t *testing.T, url, token string, v any) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d", url, res.StatusCode)
	}
	if err := json.NewDecoder(res.Body).Decode(v); err != nil {
		t.Fatal(err)
	}
}

// TestDemoPlanner: the demo's ranking against the common baseline puts the
// weakest area first, its themes rank, and its seeded seminar has an effect
// by the current round.
func TestDemoPlanner(t *testing.T) {
	env := testEnv(t)
	s := start(t, env, "-demo")
	defer func() {
		if err := s.stop(); err != nil {
			t.Error(err)
		}
	}()
	out := s.stdout.String()
	planner := regexp.MustCompile(`demo planner token: (\S+)`).FindStringSubmatch(out)
	round := regexp.MustCompile(`rounds \S+ \(closed\) and (\S+) \(open\)`).FindStringSubmatch(out)
	seminar := regexp.MustCompile(`demo seminar: .* \((\S+)\), (\d+) departments attended`).FindStringSubmatch(out)
	if planner == nil || round == nil || seminar == nil || seminar[2] == "0" {
		t.Fatalf("demo output:\n%s", out)
	}
	var topics struct {
		Baseline int `json:"baseline"`
		Topics   []struct {
			Area      string   `json:"area"`
			TotalGap  float64  `json:"total_gap"`
			MeanScore *float64 `json:"mean_score"`
		} `json:"topics"`
	}
	demoGet(t, s.url+"/api/v1/rounds/"+round[1]+"/topics", planner[1], &topics)
	if topics.Baseline != 3 || len(topics.Topics) == 0 {
		t.Fatalf("topics %+v", topics)
	}
	weakest, lowest := topics.Topics[0], 6.0
	for _, tp := range topics.Topics {
		if tp.TotalGap > weakest.TotalGap {
			t.Errorf("%s has a larger gap (%v) than the first, %s (%v)", tp.Area, tp.TotalGap, weakest.Area, weakest.TotalGap)
		}
		if tp.MeanScore != nil && *tp.MeanScore < lowest {
			lowest = *tp.MeanScore
		}
	}
	if weakest.MeanScore == nil || *weakest.MeanScore != lowest {
		t.Errorf("the first area %s (mean %v) is not the weakest (lowest mean %v); topics %+v", weakest.Area, *weakest.MeanScore, lowest, topics.Topics)
	}
	var themes struct {
		Themes []struct {
			Theme string `json:"theme"`
		} `json:"themes"`
	}
	demoGet(t, s.url+"/api/v1/rounds/"+round[1]+"/themes", planner[1], &themes)
	if len(themes.Themes) < 5 {
		t.Errorf("themes %+v", themes)
	}
	var effect struct {
		Areas []struct {
			Attendees  struct{ N int }
			Others     struct{ N int }
			Difference *float64 `json:"difference"`
		} `json:"areas"`
	}
	demoGet(t, s.url+"/api/v1/seminars/"+seminar[1]+"/effect?round="+round[1], planner[1], &effect)
	shown := false
	for _, a := range effect.Areas {
		shown = shown || (a.Attendees.N > 0 && a.Others.N > 0 && a.Difference != nil && *a.Difference > 0)
	}
	if !shown {
		t.Errorf("the demo seminar shows no effect: %+v", effect)
	}
}
