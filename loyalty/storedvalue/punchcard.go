package storedvalue

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/clientele-go/clientele/internal/textcheck"
)

// TransferRule says whether a punch card may change hands.
type TransferRule string

// Transfer rules.
const (
	// NoTransfer: the card stays with the member who bought it.
	NoTransfer TransferRule = "never"
	// TransferUnused: the card may be given away before its first use.
	TransferUnused TransferRule = "unused"
	// TransferAny: the card may be given away at any time.
	TransferAny TransferRule = "any"
)

// Punch is a punch card's (次卡) plan and count.
type Punch struct {
	Service   string // the service it buys, e.g. "car-wash"
	Total     int64  // uses sold
	Remaining int64
	// ValidFrom is the first instant a use counts; ValidUntil the first
	// instant it no longer does (zero: no end).
	ValidFrom  time.Time
	ValidUntil time.Time
	Transfer   TransferRule
}

// SellPunchCardRequest sells a punch card to a member.
type SellPunchCardRequest struct {
	CardID     string       `json:"cardId"`
	MemberID   string       `json:"memberId"`
	Service    string       `json:"service"`
	Uses       int64        `json:"uses"`
	ValidFrom  time.Time    `json:"validFrom"`
	ValidUntil time.Time    `json:"validUntil,omitzero"`
	Transfer   TransferRule `json:"transfer"`
	At         time.Time    `json:"at"`
}

// PunchCard is a punch card as the till sees it.
type PunchCard struct {
	CardID string
	Holder string
	Punch
}

// MaxPunchUses bounds the uses one card sells.
const MaxPunchUses = 10_000

// SellPunchCard opens a punch card with its uses.
func (s *Service) SellPunchCard(ctx context.Context, r SellPunchCardRequest) (PunchCard, error) {
	var c checks
	c.id("cardId", r.CardID)
	c.id("memberId", r.MemberID)
	c.id("service", r.Service)
	c.at("at", r.At)
	c.at("validFrom", r.ValidFrom)
	if !r.ValidUntil.IsZero() {
		c.at("validUntil", r.ValidUntil)
		if !r.ValidUntil.After(r.ValidFrom) {
			c.add("validUntil", "must be after validFrom")
		}
	}
	if r.Uses < 1 || r.Uses > MaxPunchUses {
		c.add("uses", fmt.Sprintf("must be between 1 and %d", MaxPunchUses))
	}
	switch r.Transfer {
	case NoTransfer, TransferUnused, TransferAny:
	default:
		c.add("transfer", fmt.Sprintf("must be %q, %q or %q", NoTransfer, TransferUnused, TransferAny))
	}
	if err := c.err(); err != nil {
		return PunchCard{}, err
	}
	r.At, r.ValidFrom = storeTime(r.At), storeTime(r.ValidFrom)
	if !r.ValidUntil.IsZero() {
		r.ValidUntil = storeTime(r.ValidUntil)
	}
	id := punchID(r.CardID)
	key := "punch-sell:" + r.CardID
	var out PunchCard
	err := s.run(ctx, op{key: key, body: r, account: fixed(id),
		create: func() (Account, error) {
			a := Account{ID: id, Type: PunchCardAccount, State: Active, Holder: r.MemberID, CreatedAt: r.At}
			a.Punch = &Punch{Service: r.Service, Total: r.Uses, ValidFrom: r.ValidFrom, ValidUntil: r.ValidUntil, Transfer: r.Transfer}
			return a, nil
		},
		apply: func(t *tx) (any, error) {
			if t.acct.Version > 0 {
				return nil, fmt.Errorf("storedvalue: punch card %s: %w", r.CardID, ErrAlreadyExists)
			}
			t.acct.Punch.Remaining = r.Uses
			t.entry(Entry{Kind: EntryTopUp, Op: key, At: r.At, Uses: r.Uses})
			return punchCard(t.acct), nil
		}}, &out)
	return out, err
}

func punchCard(a Account) PunchCard {
	card, _ := cutPrefix(a.ID, "p:")
	out := PunchCard{CardID: card, Holder: a.Holder}
	if a.Punch != nil {
		out.Punch = *a.Punch
	}
	return out
}

// PunchRequest uses a punch card once.
type PunchRequest struct {
	ID     string    `json:"id"` // the use's request ID
	CardID string    `json:"cardId"`
	At     time.Time `json:"at"`
}

// use is the record of one use: undone once at most.
type use struct {
	Undone bool `json:"undone,omitempty"`
}

// UsePunchCard takes one use. Outside the validity window or with no uses
// left it fails with ErrCardState, and stays failed.
func (s *Service) UsePunchCard(ctx context.Context, r PunchRequest) (PunchCard, error) {
	var c checks
	c.id("id", r.ID)
	c.id("cardId", r.CardID)
	c.at("at", r.At)
	if err := c.err(); err != nil {
		return PunchCard{}, err
	}
	r.At = storeTime(r.At)
	key := "use:" + r.ID
	var out PunchCard
	err := s.run(ctx, op{key: key, body: r, account: fixed(punchID(r.CardID)), apply: func(t *tx) (any, error) {
		p := t.acct.Punch
		switch {
		case p == nil:
			return nil, fmt.Errorf("storedvalue: use %s: not a punch card: %w", r.ID, ErrWrongAccount)
		case r.At.Before(p.ValidFrom) || !p.ValidUntil.IsZero() && !r.At.Before(p.ValidUntil):
			return nil, fmt.Errorf("storedvalue: use %s: outside the card's validity: %w", r.ID, ErrCardState)
		case p.Remaining == 0:
			return nil, fmt.Errorf("storedvalue: use %s: no uses left: %w", r.ID, ErrCardState)
		}
		p.Remaining--
		t.entry(Entry{Kind: EntryUse, Op: key, At: r.At, Uses: -1})
		t.records = append(t.records, Record{Kind: RecordUse, Key: r.ID, Data: []byte(`{}`)})
		return punchCard(t.acct), nil
	}}, &out)
	return out, err
}

// UndoPunchRequest takes back a use (a service not given after all).
type UndoPunchRequest struct {
	UseID string    `json:"useId"`
	At    time.Time `json:"at"`
}

// UndoPunchUse gives a use back, once: its key is the use's, so a second
// undo of the same use replays the first.
func (s *Service) UndoPunchUse(ctx context.Context, r UndoPunchRequest) (PunchCard, error) {
	var c checks
	c.id("useId", r.UseID)
	c.at("at", r.At)
	if err := c.err(); err != nil {
		return PunchCard{}, err
	}
	r.At = storeTime(r.At)
	key := "undo:" + r.UseID
	var out PunchCard
	err := s.run(ctx, op{key: key, body: r, account: func(ctx context.Context) (string, error) {
		return s.accountOf(ctx, "use:"+r.UseID, "use "+r.UseID)
	}, apply: func(t *tx) (any, error) {
		recs, err := t.store.GetRecords(t.ctx, t.acct.ID, RecordUse, []string{r.UseID})
		if err != nil {
			return nil, err
		}
		if len(recs) == 0 {
			// The use failed (and was recorded as failing): nothing to undo.
			return nil, fmt.Errorf("storedvalue: undo: use %s took nothing: %w", r.UseID, ErrRefused)
		}
		var u use
		if err := json.Unmarshal(recs[0].Data, &u); err != nil || u.Undone {
			return nil, errors.Join(errStoreDisagrees, err)
		}
		t.acct.Punch.Remaining++
		t.entry(Entry{Kind: EntryUndo, Op: key, At: r.At, Uses: 1, Corrects: "use:" + r.UseID})
		t.records = append(t.records, Record{Kind: RecordUse, Key: r.UseID, Data: []byte(`{"undone":true}`)})
		return punchCard(t.acct), nil
	}}, &out)
	return out, err
}

// TransferPunchRequest gives a punch card to another member.
type TransferPunchRequest struct {
	ID       string    `json:"id"`
	CardID   string    `json:"cardId"`
	ToMember string    `json:"toMember"`
	At       time.Time `json:"at"`
}

// TransferPunchCard changes the card's holder if its TransferRule allows:
// never, before the first use, or always. A refusal is ErrCardState and
// stays failed.
func (s *Service) TransferPunchCard(ctx context.Context, r TransferPunchRequest) (PunchCard, error) {
	var c checks
	c.id("id", r.ID)
	c.id("cardId", r.CardID)
	c.id("toMember", r.ToMember)
	c.at("at", r.At)
	if err := c.err(); err != nil {
		return PunchCard{}, err
	}
	r.At = storeTime(r.At)
	key := "punch-transfer:" + r.ID
	var out PunchCard
	err := s.run(ctx, op{key: key, body: r, account: fixed(punchID(r.CardID)), apply: func(t *tx) (any, error) {
		p := t.acct.Punch
		switch {
		case p == nil:
			return nil, fmt.Errorf("storedvalue: transfer %s: not a punch card: %w", r.ID, ErrWrongAccount)
		case p.Transfer == NoTransfer, p.Transfer == TransferUnused && p.Remaining != p.Total:
			return nil, fmt.Errorf("storedvalue: transfer %s: the card's rule (%s) forbids it: %w", r.ID, p.Transfer, ErrCardState)
		}
		t.acct.Holder = r.ToMember
		t.entry(Entry{Kind: EntryTransfer, Op: key, At: r.At})
		return punchCard(t.acct), nil
	}}, &out)
	return out, err
}

// PunchCardOf returns a punch card.
func (s *Service) PunchCardOf(ctx context.Context, cardID string) (PunchCard, error) {
	if !textcheck.ID(cardID) {
		return PunchCard{}, fieldErr("cardId", "not an ID")
	}
	a, err := s.store.GetAccount(ctx, punchID(cardID))
	if err != nil {
		return PunchCard{}, fmt.Errorf("storedvalue: punch card: %w", err)
	}
	return punchCard(a), nil
}
