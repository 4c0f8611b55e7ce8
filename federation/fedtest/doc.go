// Package fedtest runs several real `holon serve` processes that federate
// over real HTTP, for end-to-end tests of federation: each instance has its
// own loopback address (127.0.0.2, 127.0.0.3, …), its own database (a SQLite
// file, or a PostgreSQL schema of its own) and its own log file, shown in
// part when a test fails.
//
// A Cluster builds the holon binary once per test binary (call Main from
// TestMain to remove it afterwards), starts instances, and offers what a
// federation scenario needs: accounts and tokens made with `holon admin`,
// the native API called as a person (post, reply, follow by name@host,
// like, boost, delete), reads of an instance's database for what the API
// does not show, Eventually to wait for a condition with a deadline,
// Stop/Start and Kill (SIGKILL) to take an instance down and bring it back
// on the same address and database, a recording Front to count the POSTs an
// instance receives, and signed POSTs made with a local actor's key for the
// refusals.
//
// Instances run with short delivery settings (delivery_timeout 2s,
// delivery_first_retry 1s, clock_skew 1s) so that retries and the claims of
// a killed process come back within seconds.
//
// Key rotation: Instance.RotateKey runs `holon admin key rotate --actor
// NAME`, and Instance.SigningKey reads the key an actor signs with now;
// with Stop/Start they are what a scenario needs to check that peers accept
// the new key (refetched on a signature failure) and refuse the old one.
//
// fedtest never fakes the server nor the database: what it starts is what
// an operator runs. The tests that use it are skipped with -short.
package fedtest
