package loyalty

import (
	"time"

	"github.com/clientele-go/clientele/loyalty/ledger"
)

// EventType names a domain event (EventKind names the non-purchase events that earn bonuses).
type EventType string

// Events the service reports for the host to publish.
const (
	EventPointsEarned       EventType = "points-earned"
	EventPointsReleased     EventType = "points-released"
	EventPointsRedeemed     EventType = "points-redeemed"
	EventPointsHeld         EventType = "points-held"
	EventHoldReleased       EventType = "hold-released"
	EventPointsClawedBack   EventType = "points-clawed-back"
	EventPointsRefunded     EventType = "points-refunded"
	EventPointsExpired      EventType = "points-expired"
	EventPointsExpiringSoon EventType = "points-expiring-soon"
	EventPointsAdjusted     EventType = "points-adjusted"
	EventDebtChanged        EventType = "debt-changed"
	EventAccountsMerged     EventType = "accounts-merged"
	EventTierChanged        EventType = "tier-changed"
	EventCouponIssued       EventType = "coupon-issued"
	EventCouponUsed         EventType = "coupon-used"
)

// Event is one thing an operation caused.
type Event struct {
	Type     EventType `json:"type"`
	MemberID string    `json:"memberId"`
	At       time.Time `json:"at"`
	// Points is the points the event moved. A points-expired event with
	// negative points is an expiry reversed in part: a return dated before
	// the points lapsed, synced after the expiry run, took them instead.
	Points    int64       `json:"points,omitempty"`
	Reference string      `json:"reference,omitempty"` // purchase, return, redemption or coupon ID
	ExpiresAt time.Time   `json:"expiresAt,omitzero"`
	Tier      *TierChange `json:"tier,omitempty"`
	Coupon    *Coupon     `json:"coupon,omitempty"`
}

// entryEvents turns ledger entries into events.
func entryEvents(member string, entries []ledger.Entry) []Event {
	var evs []Event
	for _, e := range entries {
		ev := Event{MemberID: member, At: e.Time, Reference: e.Reference}
		switch e.Kind {
		case ledger.KindEarn:
			ev.Type, ev.Points = EventPointsEarned, e.Points
			ev.Reference = e.Purchase
		case ledger.KindRelease:
			ev.Type, ev.Points = EventPointsReleased, -e.Pending
		case ledger.KindRedeem, ledger.KindHoldCommit:
			ev.Type, ev.Points = EventPointsRedeemed, -e.Points
		case ledger.KindHold:
			ev.Type, ev.Points = EventPointsHeld, e.Held
		case ledger.KindHoldRelease:
			ev.Type, ev.Points = EventHoldReleased, -e.Held
		case ledger.KindClawback:
			ev.Type, ev.Points = EventPointsClawedBack, -e.Points
		case ledger.KindRefund:
			ev.Type, ev.Points = EventPointsRefunded, e.Points
		case ledger.KindExpire:
			ev.Type, ev.Points = EventPointsExpired, -e.Points
		case ledger.KindAdjust:
			ev.Type, ev.Points = EventPointsAdjusted, e.Points
		case ledger.KindMergeIn:
			ev.Type, ev.Points = EventAccountsMerged, e.Points
		default:
			continue // merge-out and debt payoff are reported by their cause
		}
		evs = append(evs, ev)
		if e.Debt != 0 {
			evs = append(evs, Event{Type: EventDebtChanged, MemberID: member, At: e.Time, Points: e.Debt, Reference: e.Reference})
		}
	}
	return evs
}

func tierEvents(member string, changes []TierChange) []Event {
	evs := make([]Event, 0, len(changes))
	for i := range changes {
		c := changes[i]
		evs = append(evs, Event{Type: EventTierChanged, MemberID: member, At: c.At, Tier: &c})
	}
	return evs
}
