// Package api serves Holon's native JSON API at /api/holon/v1 (DESIGN §7):
// instance, associations, members, the caller's account and API tokens,
// follows, notes, the ledger, projects and their tasks (reservations,
// submissions, reviews, recognitions, payouts), events and participation in
// them, and the OpenAPI document that describes them.
//
// Each handler parses the request, calls one service method (membership,
// news, ledger, projects) and renders JSON; errors are answered as application/problem+json
// through web/problem. api never holds a business rule (who may do what is
// the services' to say) and never writes to the database itself.
package api
