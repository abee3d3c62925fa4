package mongostore_test

import (
	"bytes"
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/dpo/dgsurvey/survey"
)

// TestSecretCreatedOnce: a secret is not_found until one is stored; of many
// concurrent first calls exactly one value wins and every caller, and every
// later reader, gets that value.
func TestSecretCreatedOnce(t *testing.T) {
	st := srv.NewStore(t)
	ctx := context.Background()
	if _, err := st.Secret(ctx, "k", nil); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Fatalf("a missing secret: %v", err)
	}
	got := make([][]byte, 16)
	var wg sync.WaitGroup
	for i := range got {
		wg.Go(func() {
			v, err := st.Secret(ctx, "k", []byte(fmt.Sprintf("fresh-%02d-%s", i, bytes.Repeat([]byte("x"), 24))))
			if err != nil {
				t.Error(err)
			}
			got[i] = v
		})
	}
	wg.Wait()
	for i := range got {
		if !bytes.Equal(got[i], got[0]) || len(got[0]) == 0 {
			t.Fatalf("caller %d got %q, caller 0 %q", i, got[i], got[0])
		}
	}
	if v, err := st.Secret(ctx, "k", nil); err != nil || !bytes.Equal(v, got[0]) {
		t.Fatalf("read back %q, %v", v, err)
	}
	if v, err := st.Secret(ctx, "k", []byte("another")); err != nil || !bytes.Equal(v, got[0]) {
		t.Fatalf("a later create replaced it: %q, %v", v, err)
	}
}
