package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// questionnaireView is what a respondent needs of the questionnaire.
type questionnaireView struct {
	Domains []struct {
		Areas []struct {
			Questions []struct {
				ID         string    `json:"id"`
				NAAllowed  bool      `json:"na_allowed"`
				NARequires *struct{} `json:"na_requires"`
			} `json:"questions"`
		} `json:"areas"`
	} `json:"domains"`
}

type questionRef struct {
	ID        string
	NAAllowed bool
}

func (q *questionnaireView) questions() []questionRef {
	var out []questionRef
	for _, d := range q.Domains {
		for _, a := range d.Areas {
			for _, qu := range a.Questions {
				// A conditional N/A (na_requires) is not planned: it could be refused at submit.
				out = append(out, questionRef{qu.ID, qu.NAAllowed && qu.NARequires == nil})
			}
		}
	}
	return out
}

// responseView is what a respondent needs of its response: the revs.
type responseView struct {
	Status  string `json:"status"`
	Answers map[string]struct {
		Rev int `json:"rev"`
	} `json:"answers"`
}

// runResult is the outcome of the respondent run.
type runResult struct {
	Elapsed   time.Duration
	Submitted int
	Started   int
}

// runRespondents runs cfg.Clients respondents over the departments until
// all have submitted or ctx ends; each respondent takes the next department
// not yet started.
func runRespondents(ctx context.Context, c *apiClient, cfg config, round roundInfo, depts []department, log *slog.Logger) runResult {
	jobs := make(chan int, len(depts))
	for i := range depts {
		jobs <- i
	}
	close(jobs)
	var submitted, started atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for range cfg.Clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				if ctx.Err() != nil {
					return
				}
				started.Add(1)
				err := respond(ctx, c, cfg, round, i, depts[i])
				switch {
				case err == nil:
					submitted.Add(1)
				case errors.Is(err, errCancelled) || ctx.Err() != nil:
					return
				default:
					log.Warn("respondent gave up on a department", slog.String("department", depts[i].Code), slog.Any("error", err))
				}
			}
		}()
	}
	wg.Wait()
	return runResult{Elapsed: time.Since(start), Submitted: int(submitted.Load()), Started: int(started.Load())}
}

// respond is one department's session: load the questionnaire and the
// response, autosave each answer (one question per PATCH, with base_rev),
// then submit. A 409 on a PATCH reloads the response and carries on.
func respond(ctx context.Context, c *apiClient, cfg config, round roundInfo, idx int, d department) error {
	var q questionnaireView
	qpath := fmt.Sprintf("/api/v1/questionnaires/%s?version=%d", round.QuestionnaireID, round.QuestionnaireVersion)
	if err := c.do(ctx, opQuestionnaire, d.Token, "GET", qpath, nil, &q, http.StatusOK); err != nil {
		return err
	}
	rpath := "/api/v1/rounds/" + round.ID + "/responses/" + d.Code
	var r responseView
	if err := c.do(ctx, opGet, d.Token, "GET", rpath, nil, &r, http.StatusOK); err != nil {
		return err
	}
	for i, qu := range q.questions() {
		a := planAnswer(cfg.Seed, idx, i, qu.NAAllowed)
		body := map[string]any{"answers": map[string]any{qu.ID: a.patchItem(r.Answers[qu.ID].Rev)}}
		// The whole response comes back; a browser would use it, the tool
		// only needs the status (every question is saved once).
		err := c.do(ctx, opPatch, d.Token, "PATCH", rpath, body, nil, http.StatusOK)
		switch statusOf(err) {
		case -1:
			if err != nil {
				return err
			}
		case http.StatusConflict, http.StatusPreconditionFailed:
			r = responseView{}
			if err := c.do(ctx, opGet, d.Token, "GET", rpath, nil, &r, http.StatusOK); err != nil {
				return err
			}
		case http.StatusTooManyRequests, http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound:
			return err
		}
	}
	return c.do(ctx, opSubmit, d.Token, "POST", rpath+"/submit", nil, nil, http.StatusOK)
}
