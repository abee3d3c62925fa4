package main

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"time"
)

// department is one seeded department and its respondent's token.
type department struct {
	Code  string
	Token string
}

// roundInfo is what the run needs of the created round.
type roundInfo struct {
	ID                   string `json:"id"`
	QuestionnaireID      string `json:"questionnaire"`
	QuestionnaireVersion int    `json:"questionnaire_version"`
}

// deptCode is the code of the i-th (0-based) load department.
func deptCode(i int) string { return fmt.Sprintf("LOAD-%04d", i+1) }

// seed creates (or reuses) the departments, issues a respondent credential
// for each, and creates and opens the round. It uses up to workers
// concurrent requests and is not measured.
func seed(ctx context.Context, c *apiClient, cfg config, workers int, now time.Time) ([]department, roundInfo, error) {
	depts := make([]department, cfg.Departments)
	errs := make(chan error, cfg.Departments)
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range min(workers, cfg.Departments) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				d, err := seedDepartment(ctx, c, cfg, deptCode(i))
				if err != nil {
					errs <- err
					continue
				}
				depts[i] = d
			}
		}()
	}
	for i := range cfg.Departments {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return nil, roundInfo{}, err
	}

	var round roundInfo
	err := c.do(ctx, "", cfg.AdminToken, "POST", "/api/v1/rounds", map[string]any{
		"id": cfg.Round, "title_en": "Load test " + cfg.Round, "title_zh": "負載測試 " + cfg.Round,
		"questionnaire": cfg.Questionnaire,
		"opens_at":      now.Add(-time.Hour).UTC().Format(time.RFC3339),
		"closes_at":     now.Add(7 * 24 * time.Hour).UTC().Format(time.RFC3339),
	}, &round, http.StatusCreated)
	if err != nil {
		return nil, round, fmt.Errorf("creating round %s: %w", cfg.Round, err)
	}
	if err := c.do(ctx, "", cfg.AdminToken, "PATCH", "/api/v1/rounds/"+cfg.Round, map[string]any{"state": "open"}, nil, http.StatusOK); err != nil {
		return nil, round, fmt.Errorf("opening round %s: %w", cfg.Round, err)
	}
	return depts, round, nil
}

// seedDepartment creates the department (an existing one from an earlier
// run is reused) and issues a fresh respondent credential for it.
func seedDepartment(ctx context.Context, c *apiClient, cfg config, code string) (department, error) {
	err := c.do(ctx, "", cfg.AdminToken, "POST", "/api/v1/departments", map[string]any{
		"code": code, "name_en": "Load Test Department " + code[5:], "name_zh": "負載測試部門 " + code[5:],
		"bureau": fmt.Sprintf("Load Test Bureau %d", (len(code)+int(code[len(code)-1]))%5+1),
	}, nil, http.StatusCreated)
	if err != nil && statusOf(err) != http.StatusConflict {
		if statusOf(err) == http.StatusUnauthorized || statusOf(err) == http.StatusForbidden {
			return department{}, fmt.Errorf("the admin token was refused (%w)", err)
		}
		return department{}, fmt.Errorf("creating department %s: %w", code, err)
	}
	var issued struct {
		Token string `json:"token"`
	}
	err = c.do(ctx, "", cfg.AdminToken, "POST", "/api/v1/credentials", map[string]any{
		"role": "respondent", "department": code, "label": "surveyload " + cfg.Round,
	}, &issued, http.StatusCreated)
	if err != nil {
		return department{}, fmt.Errorf("issuing a credential for %s: %w", code, err)
	}
	return department{Code: code, Token: issued.Token}, nil
}
