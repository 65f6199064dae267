package customer

import (
	"context"
	"time"
)

// Purpose is what the shop wants to use contact details or data for.
type Purpose string

// Purposes commonly consented to. Hosts may define more.
const (
	PurposeMarketing    Purpose = "marketing"
	PurposeProfiling    Purpose = "profiling" // analytics and personalisation
	PurposeService      Purpose = "service"   // order, delivery and after-sales notices
	PurposeSurveys      Purpose = "surveys"
	PurposeThirdParties Purpose = "third-parties"
)

// ContactChannel is how the shop reaches a customer.
type ContactChannel string

// Contact channels. ContactAny in a consent covers every channel of the
// purpose (used for purposes such as profiling that contact nobody).
const (
	ContactAny     ContactChannel = "*"
	ContactSMS     ContactChannel = "sms"
	ContactEmail   ContactChannel = "email"
	ContactPhone   ContactChannel = "phone"
	ContactAppPush ContactChannel = "app-push"
	ContactWeChat  ContactChannel = "wechat"
	ContactPost    ContactChannel = "post"
)

// ConsentChange is one grant or withdrawal, as history keeps it.
type ConsentChange struct {
	Granted bool      `json:"granted"`
	At      time.Time `json:"at"`
	Source  string    `json:"source"` // where it was given: "pos:store-12", "app", "web form v3"
	Note    string    `json:"note,omitempty"`
	// RequestID is the ConsentRequest's RequestID, kept so a replay finds
	// the change it made.
	RequestID string `json:"requestId,omitempty"`
}

// Consent is the state of one purpose on one channel with its history,
// oldest change first.
type Consent struct {
	Purpose Purpose         `json:"purpose"`
	Channel ContactChannel  `json:"channel"`
	History []ConsentChange `json:"history"`
}

// GrantedAt reports whether the consent was in force at t: the latest
// change at or before t decides. No change means no consent.
func (c Consent) GrantedAt(t time.Time) bool {
	granted := false
	for _, ch := range c.History {
		if ch.At.After(t) {
			break
		}
		granted = ch.Granted
	}
	return granted
}

// CanContact reports whether the customer may be contacted for purpose on
// channel at t. An erased or merged customer may never be contacted. A
// consent on ContactAny covers every channel unless a channel-specific
// consent says otherwise.
func (c Customer) CanContact(purpose Purpose, channel ContactChannel, at time.Time) bool {
	if c.Erased() || c.MergedInto != "" {
		return false
	}
	if k, ok := c.consent(purpose, channel); ok && len(k.History) > 0 {
		return k.GrantedAt(at)
	}
	if channel != ContactAny {
		if k, ok := c.consent(purpose, ContactAny); ok {
			return k.GrantedAt(at)
		}
	}
	return false
}

func (c Customer) consent(purpose Purpose, channel ContactChannel) (Consent, bool) {
	for _, k := range c.Consents {
		if k.Purpose == purpose && k.Channel == channel {
			return k, true
		}
	}
	return Consent{}, false
}

// recordConsent appends a change to the purpose and channel, keeping the
// history in time order (a lane that syncs late inserts where it belongs).
func (c *Customer) recordConsent(purpose Purpose, channel ContactChannel, change ConsentChange) {
	for i := range c.Consents {
		k := &c.Consents[i]
		if k.Purpose == purpose && k.Channel == channel {
			k.History = insertChange(k.History, change)
			return
		}
	}
	c.Consents = append(c.Consents, Consent{Purpose: purpose, Channel: channel, History: []ConsentChange{change}})
}

func insertChange(h []ConsentChange, ch ConsentChange) []ConsentChange {
	i := len(h)
	for i > 0 && h[i-1].At.After(ch.At) {
		i--
	}
	h = append(h, ConsentChange{})
	copy(h[i+1:], h[i:])
	h[i] = ch
	return h
}

// ConsentRequest grants or withdraws one purpose on one channel.
type ConsentRequest struct {
	Purpose Purpose
	Channel ContactChannel // ContactAny for a purpose that covers every channel
	Source  string         // where the customer said so
	At      time.Time      // defaults to the service clock
	Note    string
	// RequestID, when set, makes the change idempotent: a replay (the same
	// ID with the same purpose, channel, grant or withdrawal, source and
	// note, and the same At if one was given) returns the customer and the
	// event again and appends nothing; the ID with anything else is
	// ErrIdempotencyMismatch. At most 128 bytes, no control characters.
	RequestID string
}

// GrantConsent records that the customer agreed to purpose on channel.
func (s *Service) GrantConsent(ctx context.Context, id string, r ConsentRequest) (Customer, error) {
	return customerOf(s.changeConsent(ctx, id, r, true))
}

// WithdrawConsent records that the customer withdrew purpose on channel.
// It takes exactly what granting takes.
func (s *Service) WithdrawConsent(ctx context.Context, id string, r ConsentRequest) (Customer, error) {
	return customerOf(s.changeConsent(ctx, id, r, false))
}

func (s *Service) changeConsent(ctx context.Context, id string, r ConsentRequest, granted bool) (Change, error) {
	var fe fieldErrors
	if r.Purpose == "" || !validLabel(string(r.Purpose), maxTagLen) {
		fe.add("purpose", "required, at most %d bytes", maxTagLen)
	}
	switch r.Channel {
	case ContactAny, ContactSMS, ContactEmail, ContactPhone, ContactAppPush, ContactWeChat, ContactPost:
	default:
		fe.add("channel", "unknown channel")
	}
	if r.Source == "" || !validText(r.Source, maxTextLen) {
		fe.add("source", "required, at most %d bytes", maxTextLen)
	}
	if !validText(r.Note, maxTextLen) {
		fe.add("note", "at most %d bytes", maxTextLen)
	}
	checkRequestID(&fe, r.RequestID)
	checkTime(&fe, "at", r.At, false)
	if err := fe.err(); err != nil {
		return Change{}, err
	}
	at := r.At
	if at.IsZero() {
		at = s.opts.Clock()
	}
	change := ConsentChange{Granted: granted, At: storeTime(at), Source: r.Source, Note: r.Note, RequestID: r.RequestID}
	c, err := s.modify(ctx, id, func(c *Customer) error {
		if prev, ok := c.consentChange(r.RequestID); ok {
			if !prev.matches(r, granted) {
				return ErrIdempotencyMismatch
			}
			change.At = prev.change.At // the replay reports the time recorded
			return errUnchanged
		}
		c.recordConsent(r.Purpose, r.Channel, change)
		return nil
	})
	typ := EventConsentWithdrawn
	if granted {
		typ = EventConsentGranted
	}
	return s.changed(c, err, "consent", id, Event{Type: typ, At: change.At, RequestID: r.RequestID, Purpose: r.Purpose, Channel: r.Channel})
}

// recordedChange is a consent change found by its request ID.
type recordedChange struct {
	purpose Purpose
	channel ContactChannel
	change  ConsentChange
}

// consentChange finds the change a request ID recorded.
func (c Customer) consentChange(requestID string) (recordedChange, bool) {
	if requestID == "" {
		return recordedChange{}, false
	}
	for _, k := range c.Consents {
		for _, ch := range k.History {
			if ch.RequestID == requestID {
				return recordedChange{k.Purpose, k.Channel, ch}, true
			}
		}
	}
	return recordedChange{}, false
}

// matches reports whether r (granting or not) is the request that made the
// recorded change. A request without At took the clock's time, so only a
// given At is compared.
func (rc recordedChange) matches(r ConsentRequest, granted bool) bool {
	return rc.purpose == r.Purpose && rc.channel == r.Channel && rc.change.Granted == granted &&
		rc.change.Source == r.Source && rc.change.Note == r.Note &&
		(r.At.IsZero() || rc.change.At.Equal(storeTime(r.At)))
}

// CanContact reports whether the customer (merges resolved) may be
// contacted for purpose on channel at t.
func (s *Service) CanContact(ctx context.Context, id string, purpose Purpose, channel ContactChannel, at time.Time) (bool, error) {
	c, err := s.Get(ctx, id)
	if err != nil {
		return false, err
	}
	return c.CanContact(purpose, channel, at), nil
}
