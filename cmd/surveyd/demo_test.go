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
			BelowTarget []string `json:"below_target"`
			Change      *float64 `json:"change"`
		} `json:"topics"`
	}
	if err := json.NewDecoder(res.Body).Decode(&body); err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("topics: %d %v", res.StatusCode, err)
	}
	res.Body.Close()
	if body.Previous == "" || len(body.Topics) < 15 || len(body.Topics[0].BelowTarget) == 0 || body.Topics[0].Change == nil {
		t.Fatalf("demo ranking is not informative: %+v", body)
	}
	if err := s.stop(); err != nil {
		t.Fatal(err)
	}
	err = run(context.Background(), []string{"-demo"}, &syncBuffer{}, &syncBuffer{}, func(k string) string { return env[k] })
	if err == nil || !strings.Contains(err.Error(), "empty store") {
		t.Fatalf("-demo on a seeded store: %v", err)
	}
}
