// Package browsertest drives Debian's Chromium, headless, through the
// pages of a real `holon serve` process: the binary is built by the test and
// runs on a fresh SQLite file, so what is checked is what a visitor sees.
//
// The tests rely on the pages' contract (form ids and field names, URLs),
// not on their markup. They need /usr/bin/chromium (Debian's package
// chromium): without it they skip with a message, except on CI (CI=true),
// where they fail. Set HOLON_TEST_SCREENSHOTS to a folder to keep the
// screenshots, which otherwise live in the test's temporary folder.
//
// This package holds only tests; nothing imports it.
package browsertest
