// Package news owns the notes of local actors and the notes received from
// other servers: posting (Markdown rendered with goldmark, hashtags and
// mentions turned into links, HTML sanitised with bluemonday), replies,
// updates and deletions, and who may read what (public, unlisted, followers
// only, direct).
//
// Every change goes through Service, which checks the rules and writes the
// note and the activity to publish in one transaction, through a Publisher
// that federation provides (DESIGN §1). An association announces the
// public posts its members address to it, and passes their edits and
// deletions on (relay.go, FEP-1b12). Remote notes come in through the
// Receive methods, from federation's inbox handlers, as plain values; a
// note that only arrives by reference (a boost, a group's Announce, a
// Create by id) is fetched from its origin through an Origin that
// federation provides (announce.go), never taken from an embedded copy.
//
// news never imports web, federation or vocab and never logs; it never
// stores HTML that has not gone through its sanitising policy, and it never
// lets an actor change or delete another actor's note.
package news
