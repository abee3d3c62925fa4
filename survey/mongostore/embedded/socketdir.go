package embedded

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// maxSocketPath is the longest socket path used: Linux allows 107 bytes
// (sun_path is 108 with its terminating NUL), macOS 103.
const maxSocketPath = 100

// shortSocketDir is the private directory for the socket of the data
// directory abs when abs is too deep for one: under $XDG_RUNTIME_DIR (a
// per-user directory) when set, else the temporary directory, named after
// a hash of abs so that each data directory has its own and a restart
// finds the same one.
func shortSocketDir(abs string) string {
	base := os.Getenv("XDG_RUNTIME_DIR")
	if base == "" || !filepath.IsAbs(base) {
		base = os.TempDir()
	}
	sum := sha256.Sum256([]byte(abs))
	return filepath.Join(base, "surveyd-"+hex.EncodeToString(sum[:8]))
}

// preparePrivateDir makes dir (mode 0700, ours, not a symbolic link: in a
// shared temporary directory someone else could have made it first) and
// links dir/sqlite to the data directory's sqlite directory, so that
// whatever finds the store's files from its socket (IndexIDLookups) finds
// them there too.
func preparePrivateDir(dir, sqliteDir string) error {
	if err := os.Mkdir(dir, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("embedded store: making the socket directory %s: %w", dir, err)
	}
	info, err := os.Lstat(dir)
	if err != nil {
		return fmt.Errorf("embedded store: socket directory %s: %w", dir, err)
	}
	st, ok := info.Sys().(*syscall.Stat_t)
	if !info.IsDir() || info.Mode().Perm() != 0o700 || (ok && int(st.Uid) != os.Getuid()) {
		return fmt.Errorf("embedded store: socket directory %s is not a private directory of this user (remove it)", dir)
	}
	link := filepath.Join(dir, "sqlite")
	if target, err := os.Readlink(link); err == nil && target == sqliteDir {
		return nil
	}
	_ = os.Remove(link)
	if err := os.Symlink(sqliteDir, link); err != nil {
		return fmt.Errorf("embedded store: linking %s to %s: %w", link, sqliteDir, err)
	}
	return nil
}
