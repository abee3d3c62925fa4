package handlers

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/dpo/dgsurvey/survey"
)

// topicRanking is the seminar planner's ranking of a round, filtered.
type topicRanking struct {
	Round    string            `json:"round"`
	Previous string            `json:"previous_round,omitempty"`
	Domain   string            `json:"domain,omitempty"`
	Bureau   string            `json:"bureau,omitempty"`
	Topics   []survey.TopicRow `json:"topics"`
}

// rankTopics computes the ranking of a round with the request's filters
// (?domain=, ?bureau=). The previous round is found among the rounds that
// closed before this one opened; only those candidates' snapshots are read,
// newest first, until one has submissions.
func (s *Server) rankTopics(c *gin.Context, res *roundResults, f survey.TopicFilter) (topicRanking, error) {
	if f.Domain != "" {
		known := false
		for _, d := range res.q.Domains {
			known = known || d.ID == f.Domain
		}
		if !known {
			return topicRanking{}, survey.Invalid("invalid filter", survey.FieldError{Field: "domain", Message: "is not a domain of this round's questionnaire"})
		}
	}
	rounds, err := s.store.Rounds(c)
	if err != nil {
		return topicRanking{}, err
	}
	loaded := map[string][]survey.DepartmentScores{}
	var loadErr error
	prev := survey.PreviousRound(res.round, rounds, func(id string) bool {
		if loadErr != nil {
			return false
		}
		scores, err := s.submittedScores(c, id)
		if err != nil {
			loadErr = err
			return false
		}
		loaded[id] = scores
		return len(scores) > 0
	})
	if loadErr != nil {
		return topicRanking{}, loadErr
	}
	out := topicRanking{Round: res.round.ID, Domain: f.Domain, Bureau: f.Bureau}
	var previous []survey.TopicInput
	if prev != nil {
		out.Previous = prev.ID
		previous = topicInputs(loaded[prev.ID], res.depts)
	}
	out.Topics = survey.RankTopics(res.q, topicInputs(res.scores, res.depts), previous, f)
	return out, nil
}

// topicInputs attaches each department's bureau (as it is now) to its scores.
func topicInputs(scores []survey.DepartmentScores, depts map[string]survey.Department) []survey.TopicInput {
	out := make([]survey.TopicInput, 0, len(scores))
	for _, ds := range scores {
		out = append(out, survey.TopicInput{Department: ds.Department, Bureau: depts[ds.Department].Bureau, Scores: ds.Scores})
	}
	return out
}

type topicsQuery struct {
	Domain string `form:"domain" json:"domain" validate:"omitempty,itemid"`
	Bureau string `form:"bureau" json:"bureau" validate:"max=200"`
	Lang   string `form:"lang" json:"lang" validate:"omitempty,oneof=en zh"`
}

// topicsRequest reads the filters and loads the round's results.
func (s *Server) topicsRequest(c *gin.Context) (*roundResults, topicsQuery, topicRanking, error) {
	var q topicsQuery
	if err := c.ShouldBindQuery(&q); err != nil {
		return nil, q, topicRanking{}, malformed("invalid query parameters")
	}
	if err := s.validate.Struct(q); err != nil {
		return nil, q, topicRanking{}, validationError(err)
	}
	res, err := s.loadResults(c, c.Param("round"))
	if err != nil {
		return nil, q, topicRanking{}, err
	}
	ranking, err := s.rankTopics(c, res, survey.TopicFilter{Domain: q.Domain, Bureau: q.Bureau})
	return res, q, ranking, err
}

func (s *Server) topics(c *gin.Context) {
	_, _, ranking, err := s.topicsRequest(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, ranking)
}
