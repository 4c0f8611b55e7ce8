package vocab

// PlaceDocument returns p as the Place object a document embeds (an
// actor's location), without @context: the same Place, with its
// PostalAddress, that an Event's location carries.
func PlaceDocument(p Place) (map[string]any, error) {
	place, err := p.build("location")
	if err != nil {
		return nil, err
	}
	return body(place)
}
