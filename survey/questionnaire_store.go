package survey

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"
)

// States of a questionnaire version.
const (
	QuestionnaireDraft     = "draft"
	QuestionnairePublished = "published"
)

// Origins of a questionnaire version.
const (
	OriginBuiltIn  = "built-in" // embedded in the binary
	OriginUploaded = "uploaded" // uploaded by an administrator and kept in the store
)

// QuestionnaireVersion is one version of a questionnaire as the registry
// knows it: the checked questionnaire, the file it came from, and whether
// rounds may use it yet. A draft can be replaced by a new file; once
// published it never changes (and a built-in version is published from the
// start).
type QuestionnaireVersion struct {
	ID     string `json:"id" bson:"id"`
	Number int    `json:"version" bson:"version"`
	State  string `json:"state" bson:"state"`
	Origin string `json:"origin" bson:"origin"`
	Title  Text   `json:"title" bson:"title"`
	SHA256 string `json:"sha256,omitempty" bson:"sha256"`
	Source string `json:"-" bson:"source"`
	// Revision is +1 on every change of the draft (If-Match).
	Revision    int        `json:"revision" bson:"revision"`
	UploadedAt  *time.Time `json:"uploaded_at,omitempty" bson:"uploaded_at,omitempty"`
	UploadedBy  string     `json:"uploaded_by,omitempty" bson:"uploaded_by,omitempty"`
	PublishedAt *time.Time `json:"published_at,omitempty" bson:"published_at,omitempty"`
	PublishedBy string     `json:"published_by,omitempty" bson:"published_by,omitempty"`
	Questions   int        `json:"questions" bson:"questions"`
	// Questionnaire is the checked content.
	Questionnaire *Questionnaire `json:"-" bson:"questionnaire"`
}

// QuestionnaireKey is the store key of a questionnaire version.
func QuestionnaireKey(id string, version int) string { return fmt.Sprintf("%s/%d", id, version) }

// NewDraftVersion is the draft made of a checked questionnaire and the file
// it was read from, uploaded by actor at now.
func NewDraftVersion(q *Questionnaire, source []byte, actor string, now time.Time) *QuestionnaireVersion {
	sum := sha256.Sum256(source)
	return &QuestionnaireVersion{
		ID: q.ID, Number: q.Version, State: QuestionnaireDraft, Origin: OriginUploaded, Title: q.Title,
		SHA256: hex.EncodeToString(sum[:]), Source: string(source), Revision: 1,
		UploadedAt: &now, UploadedBy: actor, Questions: q.QuestionCount(), Questionnaire: q,
	}
}

// BuiltInVersion is the registry's view of a questionnaire embedded in the
// binary: published, never changed.
func BuiltInVersion(q *Questionnaire) *QuestionnaireVersion {
	return &QuestionnaireVersion{ID: q.ID, Number: q.Version, State: QuestionnairePublished, Origin: OriginBuiltIn,
		Title: q.Title, Questions: q.QuestionCount(), Questionnaire: q}
}

// Published reports whether rounds may use the version.
func (v *QuestionnaireVersion) Published() bool { return v.State == QuestionnairePublished }

// Replace gives a draft a new file (a copy the caller owns): refused (409)
// once the version is published, and when the file is of another id or
// version.
func (v *QuestionnaireVersion) Replace(q *Questionnaire, source []byte, actor string, now time.Time) error {
	if v.Published() {
		return Errorf(ECONFLICT, "questionnaire %s version %d is published and never changes; upload a new version", v.ID, v.Number)
	}
	if q.ID != v.ID || q.Version != v.Number {
		return Invalid("the file is another questionnaire version",
			FieldError{Field: "id", Rule: RuleOneOf, Param: QuestionnaireKey(v.ID, v.Number),
				Message: fmt.Sprintf("the file is %s version %d; this draft is %s version %d", q.ID, q.Version, v.ID, v.Number)})
	}
	next := NewDraftVersion(q, source, actor, now)
	next.Revision = v.Revision + 1
	*v = *next
	return nil
}

// Publish makes a draft usable by rounds (a copy the caller owns); a
// published version is refused (409).
func (v *QuestionnaireVersion) Publish(actor string, now time.Time) error {
	if v.Published() {
		return Errorf(ECONFLICT, "questionnaire %s version %d is already published", v.ID, v.Number)
	}
	v.State = QuestionnairePublished
	v.PublishedAt, v.PublishedBy = &now, actor
	v.Revision++
	return nil
}

// ExplicitLineage reports whether q names a lineage anywhere (a list, even
// an empty one): it then claims to continue a previous version, which must
// exist for the claim to mean anything.
func (q *Questionnaire) ExplicitLineage() bool {
	for _, d := range q.Domains {
		for _, a := range d.Areas {
			if len(a.Lineage) > 0 {
				return true
			}
			for _, qu := range a.Questions {
				if len(qu.Lineage) > 0 {
					return true
				}
			}
		}
	}
	return false
}
