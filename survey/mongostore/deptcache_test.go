package mongostore_test

import (
	"context"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/dpo/dgsurvey/survey"
	"github.com/dpo/dgsurvey/survey/mongostore"
)

// TestDepartmentListFollowsWrites: the department list (cached on the
// embedded store) shows every create and update at once, also when reads
// run while the writes do, and always equals what the store holds.
func TestDepartmentListFollowsWrites(t *testing.T) {
	ctx := context.Background()
	cfg := srv.Config(t)
	st, err := mongostore.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = st.Database().Drop(context.Background())
		_ = st.Close(context.Background())
	})
	direct := cfg
	direct.Embedded = false
	plain, err := mongostore.Open(ctx, direct)
	if err != nil {
		t.Fatal(err)
	}
	defer plain.Close(ctx)
	now := time.Now().UTC().Truncate(time.Millisecond)
	check := func(what string) {
		t.Helper()
		got, err := st.Departments(ctx)
		if err != nil {
			t.Fatal(err)
		}
		want, err := plain.Departments(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%s: list %+v, store %+v", what, got, want)
		}
	}
	check("empty")
	var readers sync.WaitGroup
	stop := make(chan struct{})
	for range 3 {
		readers.Add(1)
		go func() {
			defer readers.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				if _, err := st.Departments(ctx); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	for i := range 6 {
		code := fmt.Sprintf("D%d", i)
		if err := st.CreateDepartment(ctx, &survey.Department{Code: code, NameEN: "n", NameZH: "名", Active: true, CreatedAt: now, UpdatedAt: now}); err != nil {
			t.Fatal(err)
		}
		check("after creating " + code)
		_, err := st.UpdateDepartment(ctx, code, func(d *survey.Department) error {
			d.Active, d.UpdatedAt, d.Version = false, now.Add(time.Second), d.Version+1
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		check("after updating " + code)
	}
	close(stop)
	readers.Wait()
	check("at the end")
}
