package assess

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"

	"github.com/dpo/dgsurvey/survey"
)

// The questionnaire registry: one place where the use cases look a
// questionnaire up, merging the built-in banks (embedded in the binary,
// published from the start) with the versions administrators upload into
// the store (drafts until published). A built-in id and version can never
// be uploaded, so the two never disagree.

// QuestionnaireSummary is a questionnaire version in a listing.
type QuestionnaireSummary struct {
	survey.QuestionnaireSummary
	State  string `json:"state"`
	Origin string `json:"origin"`
}

// builtIn finds a built-in version (0: the latest).
func (s *Service) builtIn(id string, version int) *survey.Questionnaire {
	var found *survey.Questionnaire
	for _, q := range s.cfg.Questionnaires {
		if q.ID != id || (version != 0 && q.Version != version) {
			continue
		}
		if found == nil || q.Version > found.Version {
			found = q
		}
	}
	return found
}

// versions lists every version the registry knows, built-in and stored
// (stored ones without their content), by id and version.
func (s *Service) versions(ctx context.Context) ([]survey.QuestionnaireVersion, error) {
	stored, err := s.store.QuestionnaireVersions(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]survey.QuestionnaireVersion, 0, len(s.cfg.Questionnaires)+len(stored))
	seen := map[string]bool{}
	for _, q := range s.cfg.Questionnaires {
		out = append(out, *survey.BuiltInVersion(q))
		seen[survey.QuestionnaireKey(q.ID, q.Version)] = true
	}
	for _, v := range stored {
		if !seen[survey.QuestionnaireKey(v.ID, v.Number)] {
			out = append(out, v)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].ID != out[j].ID {
			return out[i].ID < out[j].ID
		}
		return out[i].Number < out[j].Number
	})
	return out, nil
}

// lookup finds one version with its content; version 0 is the latest
// published one. Unknown versions are not_found.
func (s *Service) lookup(ctx context.Context, id string, version int) (*survey.QuestionnaireVersion, error) {
	if version == 0 {
		all, err := s.versions(ctx)
		if err != nil {
			return nil, err
		}
		for i := len(all) - 1; i >= 0; i-- {
			if all[i].ID == id && all[i].Published() {
				version = all[i].Number
				break
			}
		}
		if version == 0 {
			return nil, survey.Errorf(survey.ENOTFOUND, "questionnaire %s not found", id)
		}
	}
	if q := s.builtIn(id, version); q != nil {
		return survey.BuiltInVersion(q), nil
	}
	return s.store.QuestionnaireVersion(ctx, id, version)
}

// visibleVersion is lookup for p: drafts are an administrator's business
// (not_found to everyone else).
func (s *Service) visibleVersion(ctx context.Context, p survey.Principal, id string, version int) (*survey.QuestionnaireVersion, error) {
	v, err := s.lookup(ctx, id, version)
	if err != nil {
		return nil, err
	}
	if !v.Published() && p.Role != survey.RoleAdmin {
		return nil, survey.Errorf(survey.ENOTFOUND, "questionnaire %s version %d not found", id, version)
	}
	return v, nil
}

// Questionnaires lists the questionnaire versions p may see: published
// ones for everybody, drafts too for administrators.
func (s *Service) Questionnaires(ctx context.Context, p survey.Principal) ([]QuestionnaireSummary, error) {
	all, err := s.versions(ctx)
	if err != nil {
		return nil, err
	}
	out := []QuestionnaireSummary{}
	for _, v := range all {
		if v.Published() || p.Role == survey.RoleAdmin {
			out = append(out, QuestionnaireSummary{
				QuestionnaireSummary: survey.QuestionnaireSummary{ID: v.ID, Version: v.Number, Title: v.Title, Questions: v.Questions},
				State:                v.State, Origin: v.Origin})
		}
	}
	return out, nil
}

// PublishedQuestionnaires lists the versions rounds may use.
func (s *Service) PublishedQuestionnaires(ctx context.Context) ([]QuestionnaireSummary, error) {
	list, err := s.Questionnaires(ctx, survey.Principal{})
	return list, err
}

// Questionnaire finds a questionnaire p may see; version 0 means the latest
// published one. Unknown ones are not_found.
func (s *Service) Questionnaire(ctx context.Context, p survey.Principal, id string, version int) (*survey.Questionnaire, error) {
	if version < 0 {
		return nil, survey.Invalid("invalid version", survey.Fault("version", survey.RuleMin, "1"))
	}
	v, err := s.visibleVersion(ctx, p, id, version)
	if err != nil {
		return nil, err
	}
	return v.Questionnaire, nil
}

// QuestionnaireVersion is one version with its state and content (admin):
// what the preview shows.
func (s *Service) QuestionnaireVersion(ctx context.Context, p survey.Principal, id string, version int) (*survey.QuestionnaireVersion, error) {
	if err := requireRole(p, survey.RoleAdmin); err != nil {
		return nil, err
	}
	if version < 1 {
		return nil, survey.Invalid("invalid version", survey.Fault("version", survey.RuleMin, "1"))
	}
	return s.lookup(ctx, id, version)
}

// parseUpload checks an uploaded file with the loader of the built-in
// banks: malformed (400) when it is not one YAML document, invalid (422)
// listing every problem with its path and line otherwise.
func parseUpload(data []byte) (*survey.Questionnaire, error) {
	q, err := survey.ParseQuestionnaire("upload.yaml", data)
	if err == nil {
		return q, nil
	}
	return nil, loadFault(err)
}

// loadFault turns a loader error into the API's error: each problem a
// field error whose field is its path (or "file"), with the rule
// questionnaire_file and the line as parameter.
func loadFault(err error) error {
	var le *survey.LoadError
	if !errors.As(err, &le) {
		return err
	}
	if le.Malformed {
		return survey.Errorf(survey.EMALFORMED, "%s", truncate(le.Error(), 200))
	}
	var fields []survey.FieldError
	for _, pr := range le.AllProblems() {
		field := pr.Path
		if field == "" {
			field = "file"
		}
		param := ""
		if pr.Line > 0 {
			param = strconv.Itoa(pr.Line)
		}
		fields = append(fields, survey.FieldError{Field: field, Rule: survey.RuleQuestionnaireFile, Param: param, Message: pr.Reason})
	}
	return survey.Invalid(fmt.Sprintf("the questionnaire file breaks %d rule(s)", len(fields)), fields...)
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// lineageFault is loadFault for a CheckLineage error of the file data,
// with the line of the problem.
func lineageFault(err error, data []byte) error {
	var le *survey.LoadError
	if errors.As(err, &le) && le.Line == 0 {
		le.Line = survey.LineOf(data, le.Path)
	}
	return loadFault(err)
}

// checkAgainstPrevious checks q (read from data) against the version
// before it when the registry has that one (any state).
func (s *Service) checkAgainstPrevious(ctx context.Context, q *survey.Questionnaire, data []byte) error {
	if q.Version <= 1 {
		return nil
	}
	prev, err := s.lookup(ctx, q.ID, q.Version-1)
	if survey.ErrorCode(err) == survey.ENOTFOUND {
		return nil
	}
	if err != nil {
		return err
	}
	if err := survey.CheckLineage(prev.Questionnaire, q); err != nil {
		return lineageFault(err, data)
	}
	return nil
}

// UploadQuestionnaire checks a questionnaire file and stores it as a draft
// version (admin), audited. An id and version that exist are a conflict
// (409): replace a draft instead; a published version never changes.
func (s *Service) UploadQuestionnaire(ctx context.Context, p survey.Principal, data []byte) (*survey.QuestionnaireVersion, error) {
	if err := requireRole(p, survey.RoleAdmin); err != nil {
		return nil, err
	}
	q, err := parseUpload(data)
	if err != nil {
		return nil, err
	}
	if existing, err := s.lookup(ctx, q.ID, q.Version); err == nil {
		if existing.Published() {
			return nil, survey.Errorf(survey.ECONFLICT, "questionnaire %s version %d is published and never changes; upload a new version", q.ID, q.Version)
		}
		return nil, survey.Errorf(survey.ECONFLICT, "questionnaire %s version %d exists as a draft; replace the draft instead", q.ID, q.Version)
	} else if survey.ErrorCode(err) != survey.ENOTFOUND {
		return nil, err
	}
	if err := s.checkAgainstPrevious(ctx, q, data); err != nil {
		return nil, err
	}
	v := survey.NewDraftVersion(q, data, p.Actor(), s.now())
	if err := s.store.CreateQuestionnaireVersion(ctx, v); err != nil {
		return nil, err
	}
	s.audit(ctx, p, "questionnaire.upload", "", "", map[string]any{"questionnaire": q.ID, "version": q.Version, "sha256": v.SHA256})
	return v, nil
}

// ReplaceQuestionnaire gives a draft version a new file (admin), audited; a
// published one is a conflict (409), a stale revision 412.
func (s *Service) ReplaceQuestionnaire(ctx context.Context, p survey.Principal, id string, version int, data []byte, pre Precondition) (*survey.QuestionnaireVersion, error) {
	if err := requireRole(p, survey.RoleAdmin); err != nil {
		return nil, err
	}
	if s.builtIn(id, version) != nil {
		return nil, survey.Errorf(survey.ECONFLICT, "questionnaire %s version %d is built in and never changes; upload a new version", id, version)
	}
	if _, err := s.store.QuestionnaireVersion(ctx, id, version); err != nil {
		return nil, err
	}
	q, err := parseUpload(data)
	if err != nil {
		return nil, err
	}
	if err := s.checkAgainstPrevious(ctx, q, data); err != nil {
		return nil, err
	}
	v, err := s.store.UpdateQuestionnaireVersion(ctx, id, version, func(v *survey.QuestionnaireVersion) error {
		if err := pre.checkVersion("questionnaire version", v.Revision); err != nil {
			return err
		}
		return v.Replace(q, data, p.Actor(), s.now())
	})
	if err != nil {
		return nil, err
	}
	s.audit(ctx, p, "questionnaire.replace", "", "", map[string]any{"questionnaire": id, "version": version, "sha256": v.SHA256})
	return v, nil
}

// PublishQuestionnaire makes a draft usable by rounds (admin), audited.
// A version continuing an earlier one is checked against it: its lineage
// must name items of the previous version, which must exist and be
// published (422 otherwise), so trends and pre-fill can follow it.
func (s *Service) PublishQuestionnaire(ctx context.Context, p survey.Principal, id string, version int, pre Precondition) (*survey.QuestionnaireVersion, error) {
	if err := requireRole(p, survey.RoleAdmin); err != nil {
		return nil, err
	}
	if s.builtIn(id, version) != nil {
		return nil, survey.Errorf(survey.ECONFLICT, "questionnaire %s version %d is built in and already published", id, version)
	}
	draft, err := s.store.QuestionnaireVersion(ctx, id, version)
	if err != nil {
		return nil, err
	}
	if draft.Published() {
		return nil, survey.Errorf(survey.ECONFLICT, "questionnaire %s version %d is already published", id, version)
	}
	if version > 1 {
		prev, err := s.lookup(ctx, id, version-1)
		switch {
		case survey.ErrorCode(err) == survey.ENOTFOUND:
			if draft.Questionnaire.ExplicitLineage() {
				return nil, survey.Invalid("the lineage names a version that does not exist",
					survey.FieldError{Field: "lineage", Rule: survey.RuleUnknown, Param: "questionnaire",
						Message: fmt.Sprintf("the lineage continues %s version %d, which does not exist; upload and publish it first", id, version-1)})
			}
		case err != nil:
			return nil, err
		case !prev.Published():
			return nil, survey.Invalid("the previous version is a draft",
				survey.FieldError{Field: "lineage", Rule: survey.RuleDraft, Param: strconv.Itoa(version - 1),
					Message: fmt.Sprintf("version %d, which this one continues, is a draft; publish it first", version-1)})
		default:
			if err := survey.CheckLineage(prev.Questionnaire, draft.Questionnaire); err != nil {
				return nil, lineageFault(err, []byte(draft.Source))
			}
		}
	}
	v, err := s.store.UpdateQuestionnaireVersion(ctx, id, version, func(v *survey.QuestionnaireVersion) error {
		if err := pre.checkVersion("questionnaire version", v.Revision); err != nil {
			return err
		}
		if v.Revision != draft.Revision {
			// Replaced since it was checked above: publish only what was checked.
			return survey.Errorf(survey.ECONFLICT, "questionnaire %s version %d was replaced meanwhile; check it again", id, version)
		}
		return v.Publish(p.Actor(), s.now())
	})
	if err != nil {
		return nil, err
	}
	s.audit(ctx, p, "questionnaire.publish", "", "", map[string]any{"questionnaire": id, "version": version, "sha256": v.SHA256})
	return v, nil
}

// DiffQuestionnaires compares two versions of a questionnaire (admin),
// drafts included so a draft is checked before it is published. to's
// lineage is read as naming items of from, which holds when to is the
// version after from.
func (s *Service) DiffQuestionnaires(ctx context.Context, p survey.Principal, id string, from, to int) (*survey.QuestionnaireDiff, error) {
	if err := requireRole(p, survey.RoleAdmin); err != nil {
		return nil, err
	}
	var fields []survey.FieldError
	if from < 1 {
		fields = append(fields, survey.Fault("from", survey.RuleMin, "1"))
	}
	if to < 1 {
		fields = append(fields, survey.Fault("to", survey.RuleMin, "1"))
	}
	if len(fields) > 0 {
		return nil, survey.Invalid("invalid versions", fields...)
	}
	a, err := s.lookup(ctx, id, from)
	if err != nil {
		return nil, err
	}
	b, err := s.lookup(ctx, id, to)
	if err != nil {
		return nil, err
	}
	d := survey.Diff(a.Questionnaire, b.Questionnaire)
	return &d, nil
}

// versionPath is the chain of questionnaires from older to newer (the
// rounds' own copies at the ends, the registry's published versions in
// between), for lineage across several versions; ok is false when they
// are different questionnaires or a version in between is missing or
// unpublished. A store failure is an error, never "no path", so that no
// caller caches a transient failure as a fact.
func (s *Service) versionPath(ctx context.Context, older, newer *survey.Questionnaire) ([]*survey.Questionnaire, bool, error) {
	if older.ID != newer.ID || older.Version > newer.Version {
		return nil, false, nil
	}
	path := []*survey.Questionnaire{older}
	for v := older.Version + 1; v < newer.Version; v++ {
		mid, err := s.lookup(ctx, older.ID, v)
		if survey.ErrorCode(err) == survey.ENOTFOUND {
			return nil, false, nil
		}
		if err != nil {
			return nil, false, err
		}
		if !mid.Published() {
			return nil, false, nil
		}
		path = append(path, mid.Questionnaire)
	}
	return append(path, newer), true, nil
}
