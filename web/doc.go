// Package web assembles Holon's HTTP surfaces on one chi router: the HTML
// pages (web/pages), the native JSON API (web/api), health checks, and the
// middleware every request goes through (request ids, access logs, panics,
// body limits, cross-origin protection, security headers, authentication).
//
// Handlers parse, call one core service method and render; no business rule
// lives in web.
package web
