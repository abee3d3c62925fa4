package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"time"

	"github.com/dpo/dgsurvey/survey"
	"github.com/dpo/dgsurvey/survey/questionnaires"
)

// demoStore is what seeding the demonstration data needs.
type demoStore interface {
	Departments(ctx context.Context) ([]survey.Department, error)
	Rounds(ctx context.Context) ([]survey.Round, error)
	CreateDepartment(ctx context.Context, d *survey.Department) error
	CreateRound(ctx context.Context, r *survey.Round, q *survey.Questionnaire) error
	CreateCredential(ctx context.Context, c *survey.Credential) error
	UpdateResponse(ctx context.Context, round, dept string, change func(*survey.Response) error) (*survey.Response, error)
	AppendAudit(ctx context.Context, e *survey.AuditEvent) error
	SubmittedScores(ctx context.Context, round string) ([]survey.Response, error)
	CreateSeminar(ctx context.Context, s *survey.Seminar) error
}

// demoDepartment is a fictional department and how mature it is: base is
// its typical level, and strong/weak name domains it is better or worse in.
type demoDepartment struct {
	code, nameEN, nameZH, bureau string
	base                         float64
	strong, weak                 string
}

// demoDepartments are fictional; every name says "(Demo)".
func demoDepartments() []demoDepartment {
	return []demoDepartment{
		{"DEMO-ARC", "Archives Service (Demo)", "檔案服務處（示範）", "Culture Bureau (Demo)", 2.2, "ds", "cs"},
		{"DEMO-LIB", "Public Libraries Department (Demo)", "公共圖書館署（示範）", "Culture Bureau (Demo)", 2.6, "ism", "ds"},
		{"DEMO-MUS", "Museums Office (Demo)", "博物館辦事處（示範）", "Culture Bureau (Demo)", 1.8, "", "cs"},
		{"DEMO-TAX", "Revenue Department (Demo)", "稅收署（示範）", "Finance Bureau (Demo)", 3.6, "cs", ""},
		{"DEMO-STA", "Statistics Office (Demo)", "統計辦事處（示範）", "Finance Bureau (Demo)", 3.2, "ds", "ism"},
		{"DEMO-PRO", "Procurement Office (Demo)", "採購辦事處（示範）", "Finance Bureau (Demo)", 2.9, "ism", "ds"},
		{"DEMO-HEA", "Community Health Department (Demo)", "社區衞生署（示範）", "Health Bureau (Demo)", 2.4, "ds", "ism"},
		{"DEMO-HOS", "Clinics Administration (Demo)", "診所管理處（示範）", "Health Bureau (Demo)", 3.0, "cs", "ds"},
		{"DEMO-LAB", "Laboratory Services (Demo)", "化驗服務處（示範）", "Health Bureau (Demo)", 2.1, "", "ism"},
		{"DEMO-TRN", "Transport Licensing Office (Demo)", "運輸發牌辦事處（示範）", "Transport Bureau (Demo)", 2.7, "ism", "cs"},
		{"DEMO-ROA", "Roads Department (Demo)", "道路署（示範）", "Transport Bureau (Demo)", 1.9, "", "ds"},
		{"DEMO-POR", "Ports Office (Demo)", "港口辦事處（示範）", "Transport Bureau (Demo)", 3.3, "cs", "ism"},
	}
}

// seedDemo fills an empty store with a clearly labelled demonstration:
// the departments above, a closed earlier round and an open current round
// with varied answers, and prints a planner and a respondent token. The
// current round uses q; the earlier round uses the version before q, as it
// would have in the year a new version is issued, so the planner's change
// and the trends show areas compared across versions through lineage (and
// new areas without a change).
func seedDemo(ctx context.Context, store demoStore, q *survey.Questionnaire, targets survey.Targets, stdout io.Writer, now time.Time) error {
	demo := demoDepartments()
	depts, err := store.Departments(ctx)
	if err != nil {
		return err
	}
	rounds, err := store.Rounds(ctx)
	if err != nil {
		return err
	}
	if len(depts) > 0 || len(rounds) > 0 {
		return fmt.Errorf("-demo seeds only an empty store, and this one already holds %d departments and %d rounds; use a fresh data_dir (e.g. SURVEY_DATA_DIR=./demo-data)", len(depts), len(rounds))
	}
	now = now.UTC().Truncate(time.Millisecond)
	year := now.Year()
	for _, d := range demo {
		if err := store.CreateDepartment(ctx, &survey.Department{Code: d.code, NameEN: d.nameEN, NameZH: d.nameZH, Bureau: d.bureau, Active: true, CreatedAt: now, UpdatedAt: now}); err != nil {
			return err
		}
	}
	prevQ := demoPreviousVersion(q)
	previous := &survey.Round{
		ID: fmt.Sprintf("demo-%d", year-1), Title: survey.Text{EN: fmt.Sprintf("%d assessment (Demo)", year-1), ZH: fmt.Sprintf("%d年度評估（示範）", year-1)},
		QuestionnaireID: prevQ.ID, QuestionnaireVersion: prevQ.Version, State: survey.RoundClosed,
		OpensAt: officeTime(now.AddDate(-1, -1, 0), 9), ClosesAt: officeTime(now.AddDate(-1, 1, 0), 18),
	}
	previous.CreatedAt, previous.UpdatedAt = previous.OpensAt.AddDate(0, 0, -7), previous.ClosesAt.AddDate(0, 0, 1)
	current := &survey.Round{
		ID: fmt.Sprintf("demo-%d", year), Title: survey.Text{EN: fmt.Sprintf("%d assessment (Demo)", year), ZH: fmt.Sprintf("%d年度評估（示範）", year)},
		QuestionnaireID: q.ID, QuestionnaireVersion: q.Version, State: survey.RoundOpen,
		OpensAt: officeTime(now.AddDate(0, 0, -30), 9), ClosesAt: officeTime(now.AddDate(0, 0, 30), 18),
	}
	current.CreatedAt, current.UpdatedAt = current.OpensAt.AddDate(0, 0, -7), current.OpensAt
	rng := rand.New(rand.NewPCG(2026, 11))
	var seminar *survey.Seminar
	var seminarBoost map[string]map[string]float64
	for i, r := range []*survey.Round{previous, current} {
		rq := q
		if i == 0 {
			rq = prevQ
		}
		if err := store.CreateRound(ctx, r, rq); err != nil {
			return err
		}
		if i == 1 {
			// A seminar planned from last year's results; those who came
			// improved more in its areas, so its effect shows.
			if seminar, seminarBoost, err = seedDemoSeminar(ctx, store, prevQ, targets, previous, now); err != nil {
				return err
			}
			seminarBoost = boostThroughLineage(seminarBoost, prevQ, q)
		}
		for j, d := range demo {
			// Last year: all but two submitted. This year: most submitted,
			// a few still answering, two not started, so every status shows.
			state := survey.StatusSubmitted
			switch {
			case i == 0 && j >= 10:
				continue
			case i == 1 && j >= 10:
				continue
			case i == 1 && j >= 7:
				state = survey.StatusInProgress
			}
			improvement := 0.0
			if i == 1 {
				improvement = 0.35
			}
			if err := seedResponse(ctx, store, rq, targets, r.ID, d, state, improvement, seminarBoost[d.code], rng, answeredAt(r, j, now)); err != nil {
				return err
			}
		}
	}
	plannerToken, err := demoCredential(ctx, store, survey.RolePlanner, "", "demo planner", now)
	if err != nil {
		return err
	}
	respondentToken, err := demoCredential(ctx, store, survey.RoleRespondent, "DEMO-LAB", "demo respondent (DEMO-LAB)", now)
	if err != nil {
		return err
	}
	if ev, err := survey.NewAuditEvent(now, "system", "demo.seed", "", "", map[string]any{"departments": len(demo)}); err == nil {
		_ = store.AppendAudit(ctx, ev)
	}
	fmt.Fprintf(stdout, "demo data seeded: %d fictional departments, rounds %s (closed) and %s (open)\n", len(demo), previous.ID, current.ID)
	printDemoSeminar(stdout, seminar, current.ID)
	fmt.Fprintf(stdout, "demo planner token: %s\n", plannerToken)
	fmt.Fprintf(stdout, "demo respondent token (DEMO-LAB, still answering): %s\n", respondentToken)
	return nil
}

// demoWeakestArea is weaker in every department of the demo (as service
// continuity often is), so the planner's fair ranking has a clear first
// area: the weakest one, whatever the other areas' targets.
const demoWeakestArea = "ism-continuity"

// hongKong is the demo's office time zone (fixed, so the demo needs no
// time zone database).
var hongKong = time.FixedZone("HKT", 8*3600)

// officeTime is t's day in Hong Kong at hour:00 (09:00 opening, 18:00
// deadline), so the demo's rounds open and close at office times.
func officeTime(t time.Time, hour int) time.Time {
	d := t.In(hongKong)
	return time.Date(d.Year(), d.Month(), d.Day(), hour, 0, 0, 0, hongKong).UTC()
}

// answeredAt is when the demo's department j answered (and submitted) in
// round r: on a working day before the deadline, at an office hour, and
// never after now, so no submission is dated after its round closed.
func answeredAt(r *survey.Round, j int, now time.Time) time.Time {
	at := officeTime(r.ClosesAt.AddDate(0, 0, -(3+2*j)), 10+j%7).Add(time.Duration(j*7%60) * time.Minute)
	if r.State == survey.RoundOpen {
		at = officeTime(now.AddDate(0, 0, -(1+j)), 10+j%7).Add(time.Duration(j*7%60) * time.Minute)
	}
	if at.Before(r.OpensAt) {
		at = r.OpensAt.Add(time.Duration(j+1) * time.Hour)
	}
	if latest := now.Add(-time.Hour); at.After(latest) {
		at = latest
	}
	return at
}

// seedResponse answers every question of q for d: around the department's
// base level, better or worse in its strong and weak domains, with noise;
// some N/A where allowed; submitted ones get their snapshot like a real
// submission, half an hour after the last answer.
func seedResponse(ctx context.Context, store demoStore, q *survey.Questionnaire, targets survey.Targets, round string, d demoDepartment, state string, improvement float64, areaBoost map[string]float64, rng *rand.Rand, now time.Time) error {
	patch := survey.Patch{}
	answered := 0
	for _, dom := range q.Domains {
		bias := 0.0
		switch dom.ID {
		case d.strong:
			bias = 0.8
		case d.weak:
			bias = -0.9
		}
		for _, area := range dom.Areas {
			areaBias := rng.NormFloat64() * 0.5
			if area.ID == demoWeakestArea {
				areaBias -= 1.2
			}
			for _, qu := range area.Questions {
				if state == survey.StatusInProgress && rng.IntN(3) == 0 {
					continue // still to answer
				}
				answered++
				if qu.NAAllowed && rng.IntN(5) == 0 && qu.NARequires == nil { // conditional N/A is left to real respondents
					patch[qu.ID] = &survey.AnswerInput{NA: survey.Of(true), NAReason: survey.Of("Not applicable to this department (demo)")}
					continue
				}
				level := int(math.Round(d.base + improvement + areaBoost[area.ID] + bias + areaBias + rng.NormFloat64()*0.6))
				level = max(0, min(survey.MaxLevel, level))
				patch[qu.ID] = &survey.AnswerInput{Level: survey.Of(level), Comment: survey.Of(demoComment(level))}
			}
		}
	}
	actor := "demo:" + d.code
	_, err := store.UpdateResponse(ctx, round, d.code, func(r *survey.Response) error {
		if _, err := patch.Apply(r, actor, now); err != nil {
			return err
		}
		r.Answered = r.CountAnswered(q)
		if state == survey.StatusSubmitted {
			snapshot := survey.Score(q, r, targets)
			r.Snapshot = &snapshot
			r.Status = survey.StatusSubmitted
			submitted := now.Add(30 * time.Minute)
			r.SubmittedAt, r.SubmittedBy = &submitted, actor
		}
		return nil
	})
	return err
}

func demoComment(level int) string {
	return [...]string{
		"Not in place yet (demo).",
		"Done by individual officers when needed (demo).",
		"Partly documented; not yet applied everywhere (demo).",
		"Documented procedure approved and followed (demo).",
		"Measured quarterly and reported to management (demo).",
		"Improved every year on our own measurements (demo).",
	}[level]
}

// demoPreviousVersion is the built-in version before q, or q itself when
// the bank holds none (or q is not a built-in questionnaire).
func demoPreviousVersion(q *survey.Questionnaire) *survey.Questionnaire {
	bank, err := survey.LoadQuestionnaires(questionnaires.FS())
	if err != nil {
		return q
	}
	for _, b := range bank {
		if b.ID == q.ID && b.Version == q.Version-1 {
			return b
		}
	}
	return q
}

func demoCredential(ctx context.Context, store demoStore, role, dept, label string, now time.Time) (string, error) {
	cred, token, err := survey.NewCredential(role, dept, label, now)
	if err != nil {
		return "", err
	}
	return token, store.CreateCredential(ctx, cred)
}
