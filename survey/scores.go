package survey

// Scores is the scoring result of one response. Score and Level
// are nil where nothing in scope was answered with a level.
type Scores struct {
	Overall ScoreValue    `json:"overall" bson:"overall"`
	Domains []DomainScore `json:"domains" bson:"domains"`
	Areas   []AreaScore   `json:"areas" bson:"areas"`
	// Noncompliant lists, in questionnaire order, the mandatory questions
	// answered below ComplianceLevel (a baseline obligation not met).
	Noncompliant []string `json:"noncompliant" bson:"noncompliant"`
}

// ScoreValue is a score rounded to two decimals and its level.
type ScoreValue struct {
	Score *float64 `json:"score" bson:"score"`
	Level *int     `json:"level" bson:"level"`
}

// DomainScore is the score of one domain.
type DomainScore struct {
	ID         string `json:"id" bson:"id"`
	ScoreValue `bson:",inline"`
}

// AreaScore is the score of one capability area against its target.
type AreaScore struct {
	ID         string `json:"id" bson:"id"`
	Domain     string `json:"domain" bson:"domain"`
	ScoreValue `bson:",inline"`
	Target     int      `json:"target" bson:"target"`
	Gap        *float64 `json:"gap" bson:"gap"`
	// AllNA says every question of the area was answered N/A, which is why
	// Score, Level and Gap are nil (reports say so instead of "no data").
	AllNA bool `json:"all_na" bson:"all_na"`
	// Answered counts the area's questions answered with a level or N/A;
	// Total is the number of questions in the area.
	Answered int `json:"answered" bson:"answered"`
	Total    int `json:"total" bson:"total"`
	// Noncompliant lists the area's mandatory questions answered below
	// ComplianceLevel, in questionnaire order.
	Noncompliant []string `json:"noncompliant" bson:"noncompliant"`
}
