package survey

// Text is a string in both service languages. Every user-facing string of a
// questionnaire carries both, so a page or report never falls back silently.
type Text struct {
	EN string `json:"en" yaml:"en"`
	ZH string `json:"zh" yaml:"zh"`
}

// In returns the text in lang ("zh" for Traditional Chinese, anything else English).
func (t Text) In(lang string) string {
	if lang == LangZH {
		return t.ZH
	}
	return t.EN
}

// Languages the service speaks.
const (
	LangEN = "en"
	LangZH = "zh"
)

// MaxLevel is the top of the maturity scale; levels run 0..MaxLevel.
const MaxLevel = 5

// Questionnaire is an immutable, versioned question bank: domains, capability
// areas and questions. A round keeps its own copy, so later edits of the bank
// never change what a round asked.
type Questionnaire struct {
	ID          string `json:"id" yaml:"id"`
	Version     int    `json:"version" yaml:"version"`
	Title       Text   `json:"title" yaml:"title"`
	Description Text   `json:"description" yaml:"description"`
	Levels      []Text `json:"levels" yaml:"levels"`
	// RatingRule says how to pick a level (version 2 on).
	RatingRule Text `json:"rating_rule,omitzero" yaml:"rating_rule,omitempty" bson:"rating_rule,omitempty"`
	// Themes are the seminar themes the areas feed (version 2 on).
	Themes  []Theme  `json:"themes,omitempty" yaml:"themes,omitempty" bson:"themes,omitempty"`
	Domains []Domain `json:"domains" yaml:"domains"`
}

// Domain is one of the assessed domains (e.g. cybersecurity).
type Domain struct {
	ID    string `json:"id" yaml:"id"`
	Title Text   `json:"title" yaml:"title"`
	Areas []Area `json:"areas" yaml:"areas"`
}

// Area is a capability area within a domain; it is the unit of scoring,
// benchmarking and seminar topics.
type Area struct {
	ID     string  `json:"id" yaml:"id"`
	Title  Text    `json:"title" yaml:"title"`
	Weight float64 `json:"weight" yaml:"weight"`
	// Target overrides the configured default target level when set.
	Target *int `json:"target,omitempty" yaml:"target,omitempty"`
	Topic  Text `json:"topic" yaml:"topic"`
	// ShortTitle is the area's name on chart labels (version 2 on).
	ShortTitle Text `json:"short_title,omitzero" yaml:"short_title,omitempty" bson:"short_title,omitempty"`
	// Theme is the id of the seminar theme the area feeds (version 2 on).
	Theme string `json:"theme,omitempty" yaml:"theme,omitempty" bson:"theme,omitempty"`
	// Lineage lists the previous version's areas this one continues; nil
	// means "the area of the same id", empty means new.
	Lineage   []string   `json:"lineage" yaml:"lineage" bson:"lineage"`
	Questions []Question `json:"questions" yaml:"questions"`
}

// Question is one practice rated on the maturity scale.
type Question struct {
	ID   string `json:"id" yaml:"id"`
	Text Text   `json:"text" yaml:"text"`
	// Help says what evidence shows the practice.
	Help      Text    `json:"help" yaml:"help"`
	Weight    float64 `json:"weight" yaml:"weight"`
	NAAllowed bool    `json:"na_allowed" yaml:"na_allowed"`
	// Reference is a plain string in version 1 files and {en, zh} from
	// version 2 on; it is always encoded as {"en", "zh"}.
	Reference Reference `json:"reference" yaml:"reference"`
	// Mandatory marks a baseline obligation (IT security policy, PDPO): a
	// level below ComplianceLevel is non-compliant.
	Mandatory bool `json:"mandatory,omitempty" yaml:"mandatory,omitempty" bson:"mandatory,omitempty"`
	// Central says the practice may be provided centrally or by the parent
	// bureau; the help text says how to rate it.
	Central bool `json:"central,omitempty" yaml:"central,omitempty" bson:"central,omitempty"`
	// NARequires makes N/A valid only when another answer is high enough.
	NARequires *NARequires `json:"na_requires,omitempty" yaml:"na_requires,omitempty" bson:"na_requires,omitempty"`
	// Lineage lists the previous version's questions this one continues;
	// nil means "the question of the same id", empty means new.
	Lineage []string `json:"lineage" yaml:"lineage" bson:"lineage"`
	Tags    Tags     `json:"tags,omitzero" yaml:"tags,omitempty" bson:"tags,omitempty"`
	// Levels holds the six behavioural descriptors, index = level.
	Levels []Text `json:"levels" yaml:"levels"`
}

// QuestionRef locates a question inside its questionnaire.
type QuestionRef struct {
	Question *Question
	Area     *Area
	Domain   *Domain
}

// Index maps every question id to its place in the questionnaire.
func (q *Questionnaire) Index() map[string]QuestionRef {
	idx := make(map[string]QuestionRef)
	for d := range q.Domains {
		dom := &q.Domains[d]
		for a := range dom.Areas {
			area := &dom.Areas[a]
			for i := range area.Questions {
				idx[area.Questions[i].ID] = QuestionRef{Question: &area.Questions[i], Area: area, Domain: dom}
			}
		}
	}
	return idx
}

// QuestionCount is the number of questions in the questionnaire.
func (q *Questionnaire) QuestionCount() int {
	n := 0
	for _, d := range q.Domains {
		for _, a := range d.Areas {
			n += len(a.Questions)
		}
	}
	return n
}

// QuestionIDs lists every question id in questionnaire order.
func (q *Questionnaire) QuestionIDs() []string {
	ids := make([]string, 0, q.QuestionCount())
	for _, d := range q.Domains {
		for _, a := range d.Areas {
			for _, qu := range a.Questions {
				ids = append(ids, qu.ID)
			}
		}
	}
	return ids
}

// QuestionnaireSummary is the short form of a questionnaire used in listings.
type QuestionnaireSummary struct {
	ID        string `json:"id"`
	Version   int    `json:"version"`
	Title     Text   `json:"title"`
	Questions int    `json:"questions"`
}

// Summary returns the listing form of q.
func (q *Questionnaire) Summary() QuestionnaireSummary {
	return QuestionnaireSummary{ID: q.ID, Version: q.Version, Title: q.Title, Questions: q.QuestionCount()}
}
