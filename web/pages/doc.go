// Package pages serves Holon's HTML pages: home, sign-up, log-in, the pages
// of associations and persons, members, settings and administration; and
// the news: the home timeline with its compose form (/), a note with its
// thread (/@{author}/notes/{id}, where a note's id sends browsers), the
// network's public activity (/network), hashtags (/tags/{name}), follows
// (/follows) and what is known of remote actors (/@{name}@{host}).
//
// With the projects and ledger services, the work of associations: their
// projects (/@{name}/projects, /projects/{id}) and tasks (/tasks/{id}, with
// reservation, delivery and review), the catalogue of open tasks (/tasks),
// the ledger with its filters and charts (/@{name}/ledger), the trace of a
// donation (/donations/{id}/trace), and recognition on a person's profile.
// Charts are inline SVG drawn on the server from geometry computed by pure
// functions (charts.go).
//
// Handlers parse a form, call one core service method and render a
// typed page struct with html/template. Every string a person reads comes
// from the translation catalogue (locales/en.json, locales/fr.json),
// error messages included: core error codes are translated, and the English
// detail of core is shown only for a code the catalogue does not know.
//
// Templates are parsed once per language at start-up, each set with its own
// translation functions bound to that language, and never changed after:
// requests in different languages share no mutable state. Pages are
// rendered to a buffer first, so a template error gives a clean error page,
// never half a page.
//
// pages never decides what someone may do (core does), never shows an
// unexpected error's text (it is logged), and needs no JavaScript: every
// action is a plain form POST, which the router protects against
// cross-origin requests.
package pages
