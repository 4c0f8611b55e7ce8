//go:build race

package ledger_test

// raceDetector is set when the tests run under -race, which makes the
// property test about twenty times slower: the plain run checks the full
// number of sequences, the race run a tenth.
const raceDetector = true
