package agenda

import "slices"

// Categories are the categories an event may have: FEP-8a8e's list, which
// Mobilizon's is a part of (docs/vocabulary.md §2), written as on the wire.
var Categories = []string{
	"ARTS", "AUTO_BOAT_AIR", "BOOK_CLUBS", "BUSINESS", "CAUSES", "CLIMATE_ENVIRONMENT", "COMMUNITY",
	"COMEDY", "CRAFTS", "CREATIVE_JAM", "DIY_MAKER_SPACES", "FAMILY_EDUCATION", "FASHION_BEAUTY",
	"FESTIVALS", "FILM_MEDIA", "FOOD_DRINK", "GAMES", "INCLUSIVE_SPACES", "LANGUAGE_CULTURE", "LEARNING",
	"LGBTQ", "MEETING", "MEDITATION_WELLBEING", "MOVEMENTS_POLITICS", "MUSIC", "NETWORKING",
	"OUTDOORS_ADVENTURE", "PARTY", "PERFORMING_VISUAL_ARTS", "PETS", "PHOTOGRAPHY", "SCIENCE_TECH",
	"SPIRITUALITY_RELIGION_BELIEFS", "SPORTS", "THEATRE", "WORKSHOPS_SKILL_SHARING",
}

// DefaultCategory is an event's category when its organiser names none,
// as on Mobilizon.
const DefaultCategory = "MEETING"

// IsCategory reports whether c is one of Categories.
func IsCategory(c string) bool { return slices.Contains(Categories, c) }
