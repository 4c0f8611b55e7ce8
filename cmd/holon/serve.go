package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"runtime"
	"runtime/debug"
	"sync"
	"time"

	"github.com/rs/zerolog"
	"github.com/spf13/cobra"

	"github.com/holon-network/holon/config"
)

// Limits of the HTTP server. Write covers the slowest page or API answer;
// read covers the largest body (config.MaxBodyBytes) on a slow link.
const (
	readHeaderTimeout = 10 * time.Second
	readTimeout       = 60 * time.Second
	writeTimeout      = 60 * time.Second
	idleTimeout       = 120 * time.Second
	maxHeaderBytes    = 64 << 10
)

func (c *cli) serveCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "serve",
		Short: "Run the instance (migrates the database first)",
		Long: `Run the instance: migrate the database, create an administrator account on
first start (its credentials are printed once, on standard output), then serve
HTTP until SIGINT or SIGTERM, which end the process gracefully.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := c.loadConfig()
			if err != nil {
				return err
			}
			logger := newLogger(cfg.Log, cmd.ErrOrStderr())
			return serve(cmd.Context(), cfg, logger, cmd.OutOrStdout())
		},
	}
}

// newLogger writes to w at the configured level, as JSON lines or, with
// format console, for people.
func newLogger(cfg config.Log, w io.Writer) zerolog.Logger {
	level, err := zerolog.ParseLevel(cfg.Level)
	if err != nil { // config.Validate accepts only known levels
		level = zerolog.InfoLevel
	}
	out := w
	if cfg.Format == config.LogFormatConsole {
		out = zerolog.ConsoleWriter{Out: w, NoColor: !isTerminal(w), TimeFormat: time.DateTime}
	}
	return zerolog.New(out).Level(level).With().Timestamp().Logger()
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}

// serve runs the instance until ctx ends, then shuts down gracefully within
// the configured timeout. Messages for the operator go to stdout; logs go
// to logger.
func serve(ctx context.Context, cfg config.Config, logger zerolog.Logger, stdout io.Writer) error {
	started := time.Now()
	in, err := wire(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer in.Close()
	applied, err := in.migrate(ctx)
	if err != nil {
		return err
	}
	for _, name := range applied {
		logger.Info().Str("migration", name).Msg("migration applied")
	}

	// Bind before creating the first administrator, so that a busy port
	// cannot swallow credentials that are shown only once.
	ln, err := net.Listen("tcp", cfg.Server.Listen)
	if err != nil {
		return fmt.Errorf("cannot listen on %s (server.listen): %w", cfg.Server.Listen, err)
	}
	defer ln.Close()

	if _, err := in.members.EnsureInstanceActor(ctx); err != nil {
		return err
	}
	admin, err := createFirstAdmin(ctx, in.members, cfg)
	if err != nil {
		return err
	}
	if admin != nil {
		logger.Info().Str("username", admin.Username).Msg("first administrator account created; its credentials are printed on standard output")
		printCredentials(stdout, cfg, *admin)
	}
	// Start-up hashed passwords with argon2id (tens of MiB, used once) and
	// may have generated RSA keys:
	// give that memory back now rather than carry it while idle.
	runtime.GC()
	debug.FreeOSMemory()

	srv := &http.Server{
		Handler:           in.handler,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
		ErrorLog:          log.New(httpErrorWriter{logger}, "", 0),
	}
	fmt.Fprintf(stdout, "Holon is serving %s (listening on %s). Stop it with Ctrl-C or SIGTERM.\n", cfg.BaseURL(), ln.Addr())
	logger.Info().Str("listen", ln.Addr().String()).Str("url", cfg.BaseURL()).
		Str("database", cfg.Database.Driver).Dur("startup", time.Since(started)).Msg("serving")
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	// Background work stops before the database closes (deferred above).
	background, stopBackground := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Go(func() { sweepPeriodically(background, in.members, logger, sweepEvery) })
	wg.Go(func() { sweepUploadsPeriodically(background, in.notes, logger, sweepEvery) })
	wg.Go(func() { lapsePeriodically(background, in.tasks, logger, lapseEvery) })
	wg.Go(func() { advancePeriodically(background, in.governance, logger, advanceEvery) })
	wg.Go(func() { endPollsPeriodically(background, in.notes, logger, pollsEvery) })
	wg.Go(func() { in.federation.Processor.Run(background) })
	wg.Go(func() { in.federation.Delivery.Run(background) })
	defer func() {
		stopBackground()
		wg.Wait()
	}()

	select {
	case err := <-served:
		return fmt.Errorf("serve HTTP on %s: %w", ln.Addr(), err)
	case <-ctx.Done():
	}

	timeout := cfg.Server.ShutdownTimeout.Duration
	logger.Info().Dur("timeout", timeout).Msg("shutting down: finishing requests in flight")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		_ = srv.Close()
		return fmt.Errorf("shut down within %s (server.shutdown_timeout): %w", timeout, err)
	}
	if err := <-served; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve HTTP: %w", err)
	}
	logger.Info().Msg("stopped")
	return nil
}

// httpErrorWriter passes net/http's own messages (TLS handshakes, broken
// connections) to the logger as warnings.
type httpErrorWriter struct{ log zerolog.Logger }

func (w httpErrorWriter) Write(p []byte) (int, error) {
	msg := string(p)
	if n := len(msg); n > 0 && msg[n-1] == '\n' {
		msg = msg[:n-1]
	}
	w.log.Warn().Str("component", "http").Msg(msg)
	return len(p), nil
}
