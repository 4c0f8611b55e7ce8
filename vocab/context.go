package vocab

// IRIs Holon's documents rely on.
const (
	// ActivityStreamsContext is the URL of the ActivityStreams 2.0 context.
	ActivityStreamsContext = "https://www.w3.org/ns/activitystreams"
	// SecurityV1Context is the URL of the security vocabulary context that
	// defines publicKey and publicKeyPem.
	SecurityV1Context = "https://w3id.org/security/v1"
	// Namespace is the namespace of Holon's extension (prefix "holon").
	Namespace = "https://w3id.org/holon#"
	// PublicAudience is the special collection that addresses everyone.
	PublicAudience = "https://www.w3.org/ns/activitystreams#Public"

	activityStreamsNamespace = "https://www.w3.org/ns/activitystreams#"
	tootNamespace            = "http://joinmastodon.org/ns#"
	securityNamespace        = "https://w3id.org/security#"
	// schemaNamespace is spelt as Mastodon spells it ("#", not "/"), so that
	// PropertyValue and value mean the same thing in both.
	schemaNamespace = "http://schema.org#"
)

// Context returns the JSON-LD @context that every document Holon emits
// carries inline, so that no peer has to fetch anything beyond the two
// well-known contexts every ActivityPub server already has. It is modelled
// on Mastodon's: the ActivityStreams and security contexts, then one object
// defining every other term Holon may write.
//
// Each call returns a fresh value that the caller may modify.
func Context() []any {
	return []any{
		ActivityStreamsContext,
		SecurityV1Context,
		map[string]any{
			"holon":  Namespace,
			"toot":   tootNamespace,
			"schema": schemaNamespace,

			// Holon's extension (holon.jsonld).
			"Project": "holon:Project",
			"Task":    "holon:Task",
			"phase":   "holon:phase",

			// ActivityStreams terms that Mastodon uses and the W3C context
			// lacks.
			"Hashtag":                   "as:Hashtag",
			"sensitive":                 "as:sensitive",
			"manuallyApprovesFollowers": "as:manuallyApprovesFollowers",
			"movedTo":                   map[string]any{"@id": "as:movedTo", "@type": "@id"},

			// Mastodon's terms (toot.jsonld).
			"Emoji":        "toot:Emoji",
			"blurhash":     "toot:blurhash",
			"discoverable": "toot:discoverable",
			"featured":     map[string]any{"@id": "toot:featured", "@type": "@id"},
			"votersCount":  "toot:votersCount",

			// Profile fields, as Mastodon writes them.
			"PropertyValue": "schema:PropertyValue",
			"value":         "schema:value",
		},
	}
}
