package assess

import (
	"context"

	"github.com/dpo/dgsurvey/survey"
)

// areaLineage maps every area of now to the areas of before it continues:
// through lineage when now is the same or a later version of the same
// questionnaire, backwards when it is an earlier one, and by area id
// between different questionnaires (or when a version in between is
// missing).
func (s *Service) areaLineage(ctx context.Context, before, now *survey.Questionnaire) map[string][]string {
	// A store failure reading a version in between leaves areas matched by
	// id for this request only (nothing here is cached).
	if path, ok, _ := s.versionPath(ctx, before, now); ok {
		return survey.AreaLineage(path...)
	}
	if path, ok, _ := s.versionPath(ctx, now, before); ok {
		return survey.ReverseLineage(survey.AreaLineage(path...))
	}
	byID := map[string][]string{}
	for _, d := range now.Domains {
		for _, a := range d.Areas {
			byID[a.ID] = []string{a.ID}
		}
	}
	return byID
}
