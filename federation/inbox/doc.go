// Package inbox receives activities from other servers (the shared inbox
// and each local actor's inbox) and hands them to processing.
//
// Receiving is a pipeline that refuses as early and as cheaply as it can:
// size → content type → HTTP signature → parse → the signer is the actor →
// the actor touches only what lives on its own host → dedup by activity id
// → the raw activity is stored → 202. Processing happens afterwards, from
// the store, by a bounded number of workers: a crash or a failing handler
// never loses an accepted activity.
//
// inbox never trusts a payload's claims about itself: identity comes from
// the verified signature, and a Create, Update or Delete only touches
// objects on the signer's host.
package inbox
