package embedded_test

import (
	"context"
	"log/slog"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/dpo/dgsurvey/survey/mongostore/embedded"
)

type logBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestStopLogsNoEndSessionsWarning: a clean stop (the driver disconnects,
// sending endSessions, which FerretDB 1.24 lacks) logs no warning, while
// another failed command is still logged at WARN.
func TestStopLogsNoEndSessionsWarning(t *testing.T) {
	dir, err := os.MkdirTemp("", "svq")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	var logs logBuffer
	e, err := embedded.New(dir, slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelInfo})))
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Start(); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	client, err := mongo.Connect(options.Client().ApplyURI(e.URI()).SetTimeout(10 * time.Second))
	if err != nil {
		t.Fatal(err)
	}
	db := client.Database("q")
	if _, err := db.Collection("c").InsertOne(ctx, bson.D{{Key: "_id", Value: 1}}); err != nil {
		t.Fatal(err)
	}
	if err := db.RunCommand(ctx, bson.D{{Key: "noSuchThing", Value: 1}}).Err(); err == nil {
		t.Fatal("an unknown command succeeded")
	}
	if err := client.Disconnect(ctx); err != nil {
		t.Fatal(err)
	}
	e.Stop()
	out := logs.String()
	if strings.Contains(out, "endSessions") {
		t.Fatalf("the stop logged FerretDB's endSessions warning:\n%s", out)
	}
	if !strings.Contains(out, "noSuchThing") || strings.Count(out, "level=WARN") != 2 {
		t.Fatalf("another failed command is no longer logged (header and message at WARN):\n%s", out)
	}
}
