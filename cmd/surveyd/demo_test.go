package main

import (
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

func TestDemoSeedsAnEmptyStoreOnly(t *testing.T) {
	env := testEnv(t)
	s := start(t, env, "-demo")
	planner := regexp.MustCompile(`demo planner token: (\S+)`).FindStringSubmatch(s.stdout.String())
	round := regexp.MustCompile(`rounds \S+ \(closed\) and (\S+) \(open\)`).FindStringSubmatch(s.stdout.String())
	if planner == nil || round == nil {
		t.Fatalf("demo output:\n%s", s.stdout.String())
	}
	req, _ := http.NewRequest("GET", s.url+"/api/v1/rounds/"+round[1]+"/topics", nil)
	req.Header.Set("Authorization", "Bearer "+planner[1])
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var body struct {
		Previous string `json:"previous_round"`
		Topics   []struct {
			Area        string   `json:"area"`
			BelowTarget []string `json:"below_target"`
			Change      *float64 `json:"change"`
		} `json:"topics"`
	}
	if err := json.NewDecoder(res.Body).Decode(&body); err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("topics: %d %v", res.StatusCode, err)
	}
	res.Body.Close()
	if body.Previous == "" || len(body.Topics) < 15 || len(body.Topics[0].BelowTarget) == 0 {
		t.Fatalf("demo ranking is not informative: %+v", body)
	}
	// Last year's round is on the previous version, so the change is
	// computed across versions through lineage: areas that continue a
	// version 1 area have one, a new area has none.
	changes := map[string]*float64{}
	for _, tp := range body.Topics {
		changes[tp.Area] = tp.Change
	}
	for area, want := range map[string]bool{"cs-iam": true, "cs-infra": false} {
		c, ok := changes[area]
		if !ok {
			t.Errorf("no topic for %s", area)
		} else if (c != nil) != want {
			t.Errorf("%s: change %v, want a change: %v", area, c, want)
		}
	}
	if v := demoRoundVersion(t, s.url, planner[1], body.Previous); v != 1 {
		t.Errorf("the demo's earlier round is on version %d, want 1", v)
	}
	if v := demoRoundVersion(t, s.url, planner[1], round[1]); v < 2 {
		t.Errorf("the demo's current round is on version %d, want the latest", v)
	}
	if err := s.stop(); err != nil {
		t.Fatal(err)
	}
	err = run(context.Background(), []string{"-demo"}, &syncBuffer{}, &syncBuffer{}, func(k string) string { return env[k] })
	if err == nil || !strings.Contains(err.Error(), "empty store") {
		t.Fatalf("-demo on a seeded store: %v", err)
	}
}

func demoRoundVersion(t *testing.T, base, token, round string) int {
	t.Helper()
	req, _ := http.NewRequest("GET", base+"/api/v1/rounds/"+round, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var r struct {
		Version int `json:"questionnaire_version"`
	}
	if err := json.NewDecoder(res.Body).Decode(&r); err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("round %s: %d %v", round, res.StatusCode, err)
	}
	return r.Version
}
