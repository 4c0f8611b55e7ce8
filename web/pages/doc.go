// Package pages serves Holon's HTML pages: home, sign-up, log-in, the pages
// of associations and persons, members, settings and administration.
//
// Handlers parse a form, call one membership.Service method and render a
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
