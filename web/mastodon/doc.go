// Package mastodon is the Mastodon client API adapter: the routes of
// Mastodon's REST API that Holon answers, in Mastodon's shapes (every id a
// string, every array present), so that Mastodon apps can talk to a Holon
// instance. It starts with the instance's description: GET
// /api/v1/instance, /api/v2/instance, /api/v1/instance/rules,
// /privacy_policy and /extended_description, shaped as Mastodon 4.3 does.
//
// Notes are statuses (statuses.go, status.go): posted, read, edited,
// deleted, liked (favourites), boosted (reblogs) and bookmarked; and the
// timelines list them (timelines.go), paged by ids as Mastodon pages
// (paging.go). Mastodon's ids are numbers in time order; Holon's are
// UUIDv7 strings, in time order too, compared as strings by clients.
package mastodon
