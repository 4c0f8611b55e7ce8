package projects

import (
	"context"
	"errors"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/store"
)

// ErrNoSuchReservation answers the read of a reservation that is not
// there.
var ErrNoSuchReservation = core.New(core.KindNotFound, "reservation-not-found", "no such reservation")

// Reservation returns the reservation id, active or ended.
func (s *Service) Reservation(ctx context.Context, id uuid.UUID) (Reservation, error) {
	row, err := s.db.Reservations().ByID(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return Reservation{}, ErrNoSuchReservation
	}
	if err != nil {
		return Reservation{}, err
	}
	return reservationFrom(row), nil
}
