package core

// Alarm wakes a loop of this process that sleeps until the next deadline
// the store holds (lapsing reservations, closing proposals) when a change
// sets an earlier one. Rings before the loop looks again count as one.
type Alarm struct{ ch chan struct{} }

// NewAlarm returns a silent alarm.
func NewAlarm() *Alarm { return &Alarm{ch: make(chan struct{}, 1)} }

// Ring wakes the loop, or does nothing if it is already due to wake.
func (a *Alarm) Ring() {
	select {
	case a.ch <- struct{}{}:
	default:
	}
}

// C is where the loop waits for a ring.
func (a *Alarm) C() <-chan struct{} { return a.ch }
