package main

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/holon-network/holon/config"
	"github.com/holon-network/holon/core"
)

// Exit codes of the binary.
const (
	exitFailure = 1 // the command failed
	exitUsage   = 2 // the command line or the configuration is wrong
)

// usageError is a mistake on the command line.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// configError is a configuration that cannot be loaded or is invalid.
type configError struct {
	path string
	err  error
}

func (e configError) Error() string { return e.err.Error() }
func (e configError) Unwrap() error { return e.err }

// reportError prints err for a person, on stderr, and returns the exit code.
func reportError(stderr io.Writer, cmd *cobra.Command, err error) int {
	var (
		uerr usageError
		cerr configError
	)
	switch {
	case errors.As(err, &cerr):
		fmt.Fprint(stderr, describeConfigError(cerr))
		return exitUsage
	case errors.As(err, &uerr):
		fmt.Fprintf(stderr, "holon: %v\nRun '%s --help' for usage.\n", uerr.err, cmd.CommandPath())
		return exitUsage
	case strings.HasPrefix(err.Error(), "unknown command"), strings.HasPrefix(err.Error(), "required flag"):
		fmt.Fprintf(stderr, "holon: %v\nRun '%s --help' for usage.\n", err, cmd.CommandPath())
		return exitUsage
	}
	fmt.Fprintln(stderr, "holon: "+describe(err))
	return exitFailure
}

// describe writes err on one line, followed by one line per invalid field
// when it is a domain error that lists them.
func describe(err error) string {
	msg := err.Error()
	if e, ok := core.As(err); ok && len(e.Fields) > 1 {
		var b strings.Builder
		b.WriteString(msg)
		for _, f := range e.Fields {
			fmt.Fprintf(&b, "\n  - %s: %s", f.Field, f.Detail)
		}
		return b.String()
	}
	return msg
}

// describeConfigError lists every problem of a configuration, one a line.
func describeConfigError(e configError) string {
	source := "built-in defaults and HOLON_* environment variables"
	if e.path != "" {
		source = e.path + " and HOLON_* environment variables"
	}
	var problems []string
	var verr *config.ValidationError
	if errors.As(e.err, &verr) {
		problems = verr.Problems
	} else {
		problems = strings.Split(e.err.Error(), "\n")
	}
	var b strings.Builder
	fmt.Fprintf(&b, "holon: invalid configuration (from %s):\n", source)
	for _, p := range problems {
		fmt.Fprintf(&b, "  - %s\n", p)
	}
	return b.String()
}
