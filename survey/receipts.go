package survey

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"sort"
)

// receiptAnswer is one answer as the receipt's canonical bytes hold it;
// the field order is part of the format.
type receiptAnswer struct {
	Question string `json:"question"`
	Level    *int   `json:"level"`
	NA       bool   `json:"na"`
	NAReason string `json:"na_reason"`
	Comment  string `json:"comment"`
	Evidence string `json:"evidence"`
}

// AnswersCanonical is the canonical form of r's answers that a receipt's
// hash covers: a JSON array (UTF-8, no white space between tokens) with one
// object per answered question, sorted by question id, each with exactly
// the keys question, level (a number, or null for N/A), na, na_reason,
// comment and evidence in that order; strings are escaped as RFC 8259
// requires and nothing more (<, > and & are not escaped). Revisions, times
// and who changed what are left out: the hash says what was submitted, so
// anyone holding the answers can recompute it.
func AnswersCanonical(r *Response) []byte {
	ids := make([]string, 0, len(r.Answers))
	for id, a := range r.Answers {
		if a != nil {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	list := make([]receiptAnswer, 0, len(ids))
	for _, id := range ids {
		a := r.Answers[id]
		list = append(list, receiptAnswer{Question: id, Level: a.Level, NA: a.NA, NAReason: a.NAReason, Comment: a.Comment, Evidence: a.Evidence})
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(list) // a slice of plain structs always encodes
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

// AnswersDigest is the hex SHA-256 of AnswersCanonical(r).
func AnswersDigest(r *Response) string {
	sum := sha256.Sum256(AnswersCanonical(r))
	return hex.EncodeToString(sum[:])
}
