// Command holon runs a Holon instance and administers it.
//
//	holon serve [--config FILE]      run an instance (migrates the database first)
//	holon migrate [--config FILE]    apply migrations and exit
//	holon admin account create …     create an account
//	holon admin token create …       print a bearer token for the API
//	holon admin association create … found an association
//
// The configuration comes from the TOML file given by --config and from
// HOLON_<SECTION>_<KEY> environment variables (see config.example.toml);
// with neither, an instance runs on SQLite in ./holon.db and serves
// http://127.0.0.1:8080.
//
// Every command takes its input and output from the cobra command and its
// environment from run's arguments, never from the process directly, so the
// tests drive the commands in-process exactly as the binary does.
package main

import (
	"context"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		// After the first signal, let a second one end the process at once
		// rather than wait for a graceful shutdown.
		<-ctx.Done()
		stop()
	}()
	os.Exit(run(ctx, os.Args[1:], os.Environ(), os.Stdin, os.Stdout, os.Stderr))
}

// run executes the command line args with the environment environ and
// returns the process's exit code: 0 on success, exitUsage for a bad command
// line or configuration, exitFailure for anything else.
func run(ctx context.Context, args, environ []string, stdin io.Reader, stdout, stderr io.Writer) int {
	root := newRootCmd(environ)
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	cmd, err := root.ExecuteContextC(ctx)
	if err == nil {
		return 0
	}
	return reportError(stderr, cmd, err)
}
