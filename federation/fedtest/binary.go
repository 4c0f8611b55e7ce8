package fedtest

import (
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/holon-network/holon/cmd/holon/holontest"
)

// build is the holon binary shared by the tests of one test binary.
var build struct {
	once sync.Once
	dir  string
	bin  string
	err  error
}

// Binary returns the holon binary, built on first use for the whole test
// binary run.
func Binary(t testing.TB) string {
	t.Helper()
	build.once.Do(func() {
		build.dir, build.err = os.MkdirTemp("", "holon-fedtest-")
		if build.err != nil {
			return
		}
		build.bin = filepath.Join(build.dir, "holon")
		build.err = holontest.BuildTo(build.bin)
	})
	if build.err != nil {
		t.Fatalf("build holon: %v", build.err)
	}
	return build.bin
}

// Main runs the tests of m and then removes the binary Binary built:
//
//	func TestMain(m *testing.M) { os.Exit(fedtest.Main(m)) }
func Main(m *testing.M) int {
	code := m.Run()
	if build.dir != "" {
		_ = os.RemoveAll(build.dir)
	}
	return code
}
