package embedded

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"slices"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	_ "modernc.org/sqlite" // the SQLite driver FerretDB already uses
)

// IndexIDLookups makes look-ups by _id in the given collections of the
// embedded server use an index instead of a scan of the whole collection.
// db is a database reached through the server's URI, uri (see Server.URI).
//
// FerretDB 1.24's SQLite backend finds, updates and deletes a document by
// `_ferretdb_sjson->'$._id' = ?`, but the _id index it creates is on
// `_ferretdb_sjson->"_id"`; SQLite uses an expression index only for the
// identical expression, so each such command parses every document of the
// collection (measured: the autosave cost grew with the number of stored
// responses). This creates the collections if needed and adds an index on
// the expression the backend queries, directly in the database's SQLite
// file next to the embedded server's socket (uri). SQLite keeps the extra
// index up to date; dropping a collection drops it. It is idempotent and
// only an optimisation: on another store version it may find nothing to do.
func IndexIDLookups(ctx context.Context, db *mongo.Database, uri string, collections ...string) error {
	file, err := sqliteFile(uri, db.Name())
	if err != nil {
		return err
	}
	existing, err := db.ListCollectionNames(ctx, bson.D{})
	if err != nil {
		return err
	}
	for _, name := range collections {
		if slices.Contains(existing, name) {
			continue
		}
		err := db.CreateCollection(ctx, name)
		var ce mongo.CommandError
		if err != nil && !(errors.As(err, &ce) && ce.Code == 48) { // 48: NamespaceExists (created meanwhile)
			return fmt.Errorf("creating collection %s: %w", name, err)
		}
	}
	sdb, err := sql.Open("sqlite", "file:"+file+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return err
	}
	defer sdb.Close()
	for _, name := range collections {
		var table string
		err := sdb.QueryRowContext(ctx, `SELECT table_name FROM _ferretdb_collections WHERE name = ?`, name).Scan(&table)
		if err != nil {
			return fmt.Errorf("finding the table of collection %s: %w", name, err)
		}
		q := fmt.Sprintf(`CREATE INDEX IF NOT EXISTS %q ON %q (_ferretdb_sjson->'$._id')`, table+"__id_lookup", table)
		if _, err := sdb.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("indexing collection %s: %w", name, err)
		}
	}
	return nil
}

// sqliteFile is the SQLite file of database on the embedded server
// whose socket uri names: <data_dir>/sqlite/<database>.sqlite.
func sqliteFile(uri, database string) (string, error) {
	host, ok := strings.CutPrefix(uri, "mongodb://")
	if i := strings.IndexAny(host, "/?"); i >= 0 {
		host = host[:i]
	}
	socket, err := url.PathUnescape(host)
	if !ok || err != nil || filepath.Base(socket) != SocketName {
		return "", fmt.Errorf("%q is not the embedded store's socket", uri)
	}
	return filepath.Join(filepath.Dir(socket), "sqlite", database+".sqlite"), nil
}
