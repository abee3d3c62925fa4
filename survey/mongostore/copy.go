package mongostore

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// CollectionCount is one collection copied and its number of documents.
type CollectionCount struct {
	Name      string
	Documents int64
}

// copyBatch is how many documents go in one insert.
const copyBatch = 500

// CopyDatabase copies every collection of database from the store at
// srcURI to the one at dstURI (surveyd -copy-to), document by document,
// then creates the indexes the service needs there (as Open does) and
// checks that each collection holds as many documents as the source. It
// refuses a target whose database already holds any document: a copy
// never merges into, or overwrites, another store. The source should not
// change meanwhile (surveyd copies from a snapshot of the embedded store).
func CopyDatabase(ctx context.Context, srcURI, dstURI, database string, timeout time.Duration) ([]CollectionCount, error) {
	connect := func(uri string) (*mongo.Client, error) {
		return mongo.Connect(options.Client().ApplyURI(uri).SetTimeout(timeout).SetServerSelectionTimeout(timeout).SetAppName("surveyd-copy"))
	}
	src, err := connect(srcURI)
	if err != nil {
		return nil, fmt.Errorf("source: %w", err)
	}
	defer src.Disconnect(context.WithoutCancel(ctx))
	dst, err := connect(dstURI)
	if err != nil {
		return nil, fmt.Errorf("target: %w", err)
	}
	defer dst.Disconnect(context.WithoutCancel(ctx))
	sdb, ddb := src.Database(database), dst.Database(database)

	existing, err := ddb.ListCollectionNames(ctx, bson.D{})
	if err != nil {
		return nil, fmt.Errorf("target: %w", err)
	}
	for _, name := range existing {
		n, err := ddb.Collection(name).EstimatedDocumentCount(ctx)
		if err != nil {
			return nil, fmt.Errorf("target: %w", err)
		}
		if n > 0 {
			return nil, fmt.Errorf("target database %s is not empty (collection %s holds %d documents): refusing to copy into it", database, name, n)
		}
	}
	names, err := sdb.ListCollectionNames(ctx, bson.D{})
	if err != nil {
		return nil, fmt.Errorf("source: %w", err)
	}
	slices.Sort(names)
	var out []CollectionCount
	for _, name := range names {
		if strings.HasPrefix(name, "system.") || strings.HasPrefix(name, "loadtest_") {
			continue // the server's own, and the load tool's scratch
		}
		n, err := copyCollection(ctx, sdb.Collection(name), ddb.Collection(name))
		if err != nil {
			return out, fmt.Errorf("copying %s (after %d documents): %w", name, n, err)
		}
		out = append(out, CollectionCount{Name: name, Documents: n})
	}
	// The indexes the service needs, as surveyd's start creates them.
	st := &Store{client: dst, db: ddb, timeout: timeout}
	if err := st.ensureIndexes(ctx); err != nil {
		return out, err
	}
	for _, c := range out {
		got, err := ddb.Collection(c.Name).CountDocuments(ctx, bson.D{})
		if err != nil {
			return out, fmt.Errorf("counting %s in the target: %w", c.Name, err)
		}
		if got != c.Documents {
			return out, fmt.Errorf("%s: the target holds %d documents, the source %d", c.Name, got, c.Documents)
		}
	}
	return out, nil
}

// copyCollection copies every document of from into to, in batches, and
// returns how many it copied.
func copyCollection(ctx context.Context, from, to *mongo.Collection) (int64, error) {
	cur, err := from.Find(ctx, bson.D{}, options.Find().SetBatchSize(copyBatch))
	if err != nil {
		return 0, err
	}
	defer cur.Close(context.WithoutCancel(ctx))
	var n int64
	batch := make([]any, 0, copyBatch)
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		if _, err := to.InsertMany(ctx, batch, options.InsertMany().SetOrdered(true)); err != nil {
			return err
		}
		n += int64(len(batch))
		batch = batch[:0]
		return nil
	}
	for cur.Next(ctx) {
		batch = append(batch, slices.Clone(cur.Current))
		if len(batch) == copyBatch {
			if err := flush(); err != nil {
				return n, err
			}
		}
	}
	if err := cur.Err(); err != nil {
		return n, err
	}
	return n, flush()
}

// CollectionCounts counts the documents of every collection of the store's
// database, by name.
func (s *Store) CollectionCounts(ctx context.Context) ([]CollectionCount, error) {
	names, err := s.db.ListCollectionNames(ctx, bson.D{})
	if err != nil {
		return nil, mapErr(err)
	}
	slices.Sort(names)
	out := make([]CollectionCount, 0, len(names))
	for _, name := range names {
		n, err := s.db.Collection(name).CountDocuments(ctx, bson.D{})
		if err != nil {
			return nil, mapErr(err)
		}
		out = append(out, CollectionCount{Name: name, Documents: n})
	}
	return out, nil
}
