package vocab

// IRIs Holon's documents rely on.
const (
	// ActivityStreamsContext is the URL of the ActivityStreams 2.0 context.
	ActivityStreamsContext = "https://www.w3.org/ns/activitystreams"
	// SecurityV1Context is the URL of the security vocabulary context that
	// defines publicKey and publicKeyPem.
	SecurityV1Context = "https://w3id.org/security/v1"
	// Namespace is the namespace of Holon's extension (prefix "holon"). It
	// is an identifier that never changes, on w3id.org's permanent
	// redirection service rather than on any instance's host, so that the
	// same term means the same thing on every instance (see
	// docs/vocabulary.md).
	Namespace = "https://w3id.org/holon#"
	// ContextURL is where Holon's context is published, the namespace
	// without its "#" as ActivityStreams does. Every instance also serves
	// the same document at /ns; Holon's documents carry it inline, so no
	// peer needs to fetch either.
	ContextURL = "https://w3id.org/holon"
	// PublicAudience is the special collection that addresses everyone.
	PublicAudience = "https://www.w3.org/ns/activitystreams#Public"

	activityStreamsNamespace = "https://www.w3.org/ns/activitystreams#"
	tootNamespace            = "http://joinmastodon.org/ns#"
	securityNamespace        = "https://w3id.org/security#"
	// schemaNamespace is spelt as Mastodon and Mobilizon spell it ("#",
	// not "/"), so that PropertyValue, address or category mean the same
	// thing in their documents and in Holon's.
	schemaNamespace    = "http://schema.org#"
	mobilizonNamespace = "https://joinmobilizon.org/ns#"
	// icalNamespace is the W3C's RDF vocabulary of iCalendar, prefix
	// "ical", as Mobilizon's context defines it: an event's status goes on
	// the wire as the compact key "ical:status" (see NewEvent).
	icalNamespace = "http://www.w3.org/2002/12/cal/ical#"
)

// Context returns the JSON-LD @context that every document Holon emits
// carries inline, so that no peer has to fetch anything beyond the two
// well-known contexts every ActivityPub server already has. It is modelled
// on Mastodon's: the ActivityStreams and security contexts, then one object
// defining every other term Holon may write. The same value is served at
// /ns (see ContextDocument).
//
// Each call returns a fresh value that the caller may modify.
func Context() []any {
	return []any{ActivityStreamsContext, SecurityV1Context, terms()}
}

// terms defines every term Holon writes beyond the two remote contexts.
// Where a term has a type (a date, an IRI, a number) or keeps its order (a
// list), the definition says so, so that JSON-LD processors read the same
// values Holon's own code does.
func terms() map[string]any {
	id := func(iri string) map[string]any { return map[string]any{"@id": iri, "@type": "@id"} }
	typed := func(iri, xsd string) map[string]any { return map[string]any{"@id": iri, "@type": xsd} }
	list := func(iri string) map[string]any { return map[string]any{"@id": iri, "@container": "@list"} }
	idList := func(iri string) map[string]any {
		return map[string]any{"@id": iri, "@type": "@id", "@container": "@list"}
	}
	return map[string]any{
		"holon":  Namespace,
		"toot":   tootNamespace,
		"schema": schemaNamespace,
		"mz":     mobilizonNamespace,
		"ical":   icalNamespace,

		// Holon's extension (holon.jsonld).
		"Project":             "holon:Project",
		"Task":                "holon:Task",
		"Reservation":         "holon:Reservation",
		"Submission":          "holon:Submission",
		"CriterionCheck":      "holon:CriterionCheck",
		"Transaction":         "holon:Transaction",
		"Posting":             "holon:Posting",
		"Phase":               "holon:Phase",
		"Action":              "holon:Action",
		"Ballot":              "holon:Ballot",
		"Score":               "holon:Score",
		"Delegation":          "holon:Delegation",
		"Membership":          "holon:Membership",
		"Role":                "holon:Role",
		"status":              "holon:status",
		"phase":               "holon:phase",
		"phases":              list("holon:phases"),
		"maxScore":            typed("holon:maxScore", "xsd:nonNegativeInteger"),
		"outcome":             "holon:outcome",
		"actions":             list("holon:actions"),
		"kind":                "holon:kind",
		"amount":              "holon:amount",
		"postings":            list("holon:postings"),
		"ledgerAccount":       id("holon:ledgerAccount"),
		"cause":               id("holon:cause"),
		"budget":              "holon:budget",
		"goal":                "holon:goal",
		"doneCriteria":        list("holon:doneCriteria"),
		"acceptanceChecklist": list("holon:acceptanceChecklist"),
		"architecture":        "holon:architecture",
		"beneficiaries":       id("holon:beneficiaries"),
		"effort":              typed("holon:effort", "xsd:duration"),
		"maxReservation":      typed("holon:maxReservation", "xsd:duration"),
		"reviewers":           id("holon:reviewers"),
		"reservedBy":          id("holon:reservedBy"),
		"reservedUntil":       typed("holon:reservedUntil", "xsd:dateTime"),
		"completedBy":         id("holon:completedBy"),
		"checks":              list("holon:checks"),
		"criterion":           typed("holon:criterion", "xsd:nonNegativeInteger"),
		"satisfied":           typed("holon:satisfied", "xsd:boolean"),
		"position":            "holon:position",
		"scores":              "holon:scores",
		"score":               typed("holon:score", "xsd:nonNegativeInteger"),
		"scope":               "holon:scope",
		"delegates":           idList("holon:delegates"),
		"member":              id("holon:member"),
		"roles":               "holon:roles",
		"roleName":            "holon:roleName",
		"votingRightsFrom":    typed("holon:votingRightsFrom", "xsd:dateTime"),

		// ActivityStreams terms that Mastodon uses and the W3C context
		// lacks, defined as Mastodon defines them.
		"Hashtag":                   "as:Hashtag",
		"sensitive":                 "as:sensitive",
		"manuallyApprovesFollowers": "as:manuallyApprovesFollowers",
		"movedTo":                   id("as:movedTo"),

		// Mastodon's terms (toot.jsonld).
		"Emoji":        "toot:Emoji",
		"blurhash":     "toot:blurhash",
		"discoverable": "toot:discoverable",
		"featured":     id("toot:featured"),
		"votersCount":  "toot:votersCount",

		// schema.org's terms (schema.jsonld): profile fields as Mastodon
		// writes them, money, addresses, event capacity as Mobilizon does.
		"PropertyValue":             "schema:PropertyValue",
		"value":                     "schema:value",
		"MonetaryAmount":            "schema:MonetaryAmount",
		"currency":                  "schema:currency",
		"PostalAddress":             "schema:PostalAddress",
		"address":                   "schema:address",
		"streetAddress":             "schema:streetAddress",
		"postalCode":                "schema:postalCode",
		"addressLocality":           "schema:addressLocality",
		"addressRegion":             "schema:addressRegion",
		"addressCountry":            "schema:addressCountry",
		"category":                  "schema:category",
		"license":                   id("schema:license"),
		"maximumAttendeeCapacity":   "schema:maximumAttendeeCapacity",
		"remainingAttendeeCapacity": "schema:remainingAttendeeCapacity",

		// Mobilizon's event terms (mobilizon.jsonld), defined exactly as
		// Mobilizon defines them.
		"timezone":         typed("mz:timezone", "schema:Text"),
		"joinMode":         typed("mz:joinMode", "mz:joinModeType"),
		"participantCount": typed("mz:participantCount", "schema:Integer"),
		"isOnline":         typed("mz:isOnline", "schema:Boolean"),
	}
}
