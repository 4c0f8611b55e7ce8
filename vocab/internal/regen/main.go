// Command regen regenerates vocab/streams from the OWL2 specifications in
// vocab/ with go-fed's astool (declared as a tool in go.mod).
//
// It is run by `go generate ./vocab/...`, which starts it in the vocab folder.
// astool never deletes stale files and exits with status 0 after some errors,
// so regen empties the destination first and checks that astool finished.
package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// specs are astool's inputs, in order of derivation: a vocabulary may only
// refer to the ones before it. The first three ship with astool; schema.org's
// and Mobilizon's terms come before Holon's, which uses MonetaryAmount.
var specs = []string{
	"activitystreams.jsonld",
	"security-v1.jsonld",
	"toot.jsonld",
	"schema.jsonld",
	"mobilizon.jsonld",
	"holon.jsonld",
}

const (
	// importPrefix and destination together give the generated packages their
	// import path: github.com/holon-network/holon/vocab/streams/...
	importPrefix = "github.com/holon-network/holon/vocab"
	destination  = "./streams" // astool wants a relative path starting with ./
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "regen:", err)
		os.Exit(1)
	}
}

func run() error {
	for _, s := range specs {
		if _, err := os.Stat(s); err != nil {
			return fmt.Errorf("run me from the vocab folder (go generate ./vocab/...): %w", err)
		}
	}
	start := time.Now()
	if err := os.RemoveAll(destination); err != nil {
		return err
	}

	args := []string{"tool", "astool"}
	for _, s := range specs {
		args = append(args, "-spec", s)
	}
	args = append(args, "-path", importPrefix, destination)

	var out bytes.Buffer
	cmd := exec.Command(goCommand(), args...)
	cmd.Stdout = io.MultiWriter(&out, os.Stdout)
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("astool: %w", err)
	}
	if !strings.Contains(out.String(), "Done!") {
		return errors.New("astool did not finish (see its output above)")
	}

	files, lines, err := count(destination)
	if err != nil {
		return err
	}
	fmt.Printf("regen: %d files, %d lines in %s\n", files, lines, time.Since(start).Round(10*time.Millisecond))
	return nil
}

// goCommand is the go command that runs go generate, so that the tool
// version matches go.mod.
func goCommand() string {
	if root := os.Getenv("GOROOT"); root != "" {
		p := filepath.Join(root, "bin", "go")
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return "go"
}

func count(dir string) (files, lines int, err error) {
	err = filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		files++
		lines += bytes.Count(b, []byte("\n"))
		return nil
	})
	return files, lines, err
}
