// Package storetest starts the embedded store once per test package and
// hands each test a fresh database on it, so tests run against the real
// store over the wire. With SURVEY_TEST_MONGODB_URI set, the same tests run
// against that MongoDB instead.
package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/dpo/dgsurvey/survey/mongostore"
	"github.com/dpo/dgsurvey/survey/mongostore/embedded"
)

// Server is a store server shared by the tests of one package.
type Server struct {
	URI      string
	Embedded *embedded.Server // nil when testing against an external MongoDB
	dir      string
}

// Start starts the embedded store in a temporary directory (short, because
// Unix socket paths are limited), or uses SURVEY_TEST_MONGODB_URI.
func Start() (*Server, error) {
	if uri := os.Getenv("SURVEY_TEST_MONGODB_URI"); uri != "" {
		return &Server{URI: uri}, nil
	}
	dir, err := os.MkdirTemp("", "svst")
	if err != nil {
		return nil, err
	}
	e, err := embedded.New(dir, nil)
	if err != nil {
		return nil, err
	}
	if err := e.Start(); err != nil {
		return nil, err
	}
	return &Server{URI: e.URI(), Embedded: e, dir: dir}, nil
}

// Stop stops the server and removes its files.
func (s *Server) Stop() {
	if s.Embedded != nil {
		s.Embedded.Stop()
		os.RemoveAll(s.dir)
	}
}

// Run is a TestMain body: start the server, run the tests, stop it.
func Run(m *testing.M, srv **Server) int {
	s, err := Start()
	if err != nil {
		fmt.Fprintln(os.Stderr, "storetest:", err)
		return 1
	}
	*srv = s
	defer s.Stop()
	return m.Run()
}

// Config returns a store configuration for a fresh, uniquely named database.
// On the embedded server it also prepares that database as surveyd does
// after starting the server: the store's collections are created and their
// look-ups by _id indexed (embedded.IndexIDLookups).
func (s *Server) Config(t testing.TB) mongostore.Config {
	t.Helper()
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	cfg := mongostore.Config{
		URI:      s.URI,
		Database: "t_" + hex.EncodeToString(b),
		Timeout:  10 * time.Second,
		Embedded: s.Embedded != nil,
	}
	if s.Embedded != nil {
		if err := indexIDLookups(cfg); err != nil {
			t.Fatalf("storetest: indexing look-ups by _id: %v", err)
		}
	}
	return cfg
}

// indexIDLookups runs embedded.IndexIDLookups on the store's collections of
// the database cfg names, over a connection of its own.
func indexIDLookups(cfg mongostore.Config) error {
	ctx, cancel := context.WithTimeout(context.Background(), cfg.Timeout)
	defer cancel()
	client, err := mongo.Connect(options.Client().ApplyURI(cfg.URI).SetTimeout(cfg.Timeout))
	if err != nil {
		return err
	}
	defer client.Disconnect(context.WithoutCancel(ctx))
	return embedded.IndexIDLookups(ctx, client.Database(cfg.Database), cfg.URI, mongostore.IDLookupCollections()...)
}

// NewStore opens a store on a fresh database, dropped when the test ends.
func (s *Server) NewStore(t testing.TB) *mongostore.Store {
	t.Helper()
	st, err := mongostore.Open(context.Background(), s.Config(t))
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = st.Database().Drop(ctx)
		_ = st.Close(ctx)
	})
	return st
}
