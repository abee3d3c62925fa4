package handlers_test

import (
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// tmpfsDir mounts a tmpfs of size bytes on a fresh directory, or skips the
// test saying why (it needs root; CI runs as root).
func tmpfsDir(t *testing.T, size int) string {
	t.Helper()
	if os.Getenv("SURVEY_TEST_MONGODB_URI") != "" {
		t.Skip("the disk is filled under the embedded store")
	}
	if os.Geteuid() != 0 {
		t.Skip("mounting a small tmpfs to fill needs root (CI runs as root)")
	}
	dir, err := os.MkdirTemp("", "svdf")
	if err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", fmt.Sprintf("size=%d", size), "tmpfs", dir).CombinedOutput(); err != nil {
		os.Remove(dir)
		t.Skipf("cannot mount a tmpfs here: %v: %s", err, strings.TrimSpace(string(out)))
	}
	t.Cleanup(func() {
		_ = exec.Command("umount", "-l", dir).Run()
		os.Remove(dir)
	})
	return dir
}

// fillDisk writes a file until the file system is full and returns it.
func fillDisk(t *testing.T, dir string) string {
	t.Helper()
	path := filepath.Join(dir, "ballast")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	chunk := make([]byte, 64<<10)
	for {
		if _, err := f.Write(chunk); err != nil {
			if !errors.Is(err, syscall.ENOSPC) {
				t.Fatal(err)
			}
			break
		}
	}
	for n := len(chunk) / 2; n > 0; n /= 2 { // the last few blocks too
		for {
			if _, err := f.Write(chunk[:n]); err != nil {
				break
			}
		}
	}
	return path
}

// TestDiskFull: with the embedded store's disk full, a write answers 503
// unavailable (not 500), /readyz answers 503, and once space returns both
// recover without a restart; every write acknowledged before is there and
// the refused one changed nothing.
func TestDiskFull(t *testing.T) {
	dir := tmpfsDir(t, 16<<20)
	fh := faultHarnessIn(t, dir)
	h := fh.harness
	h.department("ABC")
	resp := h.credential("respondent", "ABC")
	h.round("r1", "small", true)
	base := "/api/v1/rounds/r1/responses/ABC"
	comment := strings.Repeat("written before the disk filled. ", 100)
	h.must(http.StatusOK, "PATCH", base, resp, map[string]any{"answers": map[string]any{"cs-iam-1": map[string]any{"level": 2, "comment": comment}}})
	h.must(http.StatusOK, "GET", "/readyz", "", nil)

	ballast := fillDisk(t, dir)
	before := h.rawResponse("r1", "ABC")
	rec := h.request("PATCH", base, resp, map[string]any{"answers": map[string]any{"cs-iam-2": map[string]any{"level": 4, "comment": comment}}})
	checkUnavailable(t, "a write on a full disk", rec)
	if got := h.rawResponse("r1", "ABC"); got != before {
		t.Fatalf("the refused write changed the response:\n%s\nwas\n%s", got, before)
	}
	checkUnavailable(t, "/readyz on a full disk", h.request("GET", "/readyz", "", nil))

	if err := os.Remove(ballast); err != nil {
		t.Fatal(err)
	}
	h.must(http.StatusOK, "GET", "/readyz", "", nil)
	h.must(http.StatusOK, "PATCH", base, resp, map[string]any{"answers": map[string]any{"cs-iam-2": map[string]any{"level": 4, "comment": "after"}}})
	got := h.must(http.StatusOK, "GET", base, resp, nil)
	answers := got["answers"].(map[string]any)
	first, _ := answers["cs-iam-1"].(map[string]any)
	second, _ := answers["cs-iam-2"].(map[string]any)
	if first == nil || first["level"] != float64(2) || first["comment"] != comment || second == nil || second["level"] != float64(4) {
		t.Fatalf("answers after recovery: %v", answers)
	}
}
