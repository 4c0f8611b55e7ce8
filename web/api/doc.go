// Package api serves Holon's native JSON API at /api/holon/v1 (DESIGN §7):
// instance, associations, members, the caller's account and API tokens, and
// the OpenAPI document that describes them.
//
// Each handler parses the request, calls the membership service and renders
// JSON; errors are answered as application/problem+json through
// web/problem. api never holds a business rule (who may do what is
// membership's to say) and never writes to the database itself.
package api
