package storedvalue

import (
	"context"
	"crypto/hmac"
	"errors"
	"fmt"
	"strings"
	"time"

	"golang.org/x/text/width"
)

// Gift-card PINs and the decoy card.
//
// A PIN is 4 to 12 digits (full-width digits and spaces forgiven). The
// store keeps only its keyed hash, HMAC-SHA-256 under Options.PINSecret of
// the card's code key and the PIN, so a copy of the database neither
// shows a PIN nor lets anyone test the 10,000 four-digit PINs offline
// without the secret. A card with a PIN takes a balance check
// (CheckGiftCard), a payment or a transfer only with its PIN.
//
// A wrong PIN is counted on the card (Account.PINFailures) in the write
// that records the refused request, so its retry replays the refusal and
// counts nothing; at MaxPINFailures the card is locked, and then refuses
// every PIN, the right one too, until an operator's UnlockGiftCard, so a
// locked card answers a guess exactly as it answers a wrong one. A right
// PIN does not reset the count: it counts wrong PINs since the card was
// issued or last unlocked. A missing PIN is refused without counting.
//
// Every refusal (no card with the code, a missing or wrong PIN, a locked
// card) is the same error, matching ErrNotFound, so an answer never says
// whether a code exists. And every lookup does the same work whether the
// code is right or wrong: the store reads the card or, on a miss, a decoy
// card of the same shape (see Store.AccountByCode), the service compares
// the code's key and the PIN's key with the one read in constant time and
// reads the same balance parts, and a wrong PIN with a wrong code is
// counted on the decoy as it would be on a card. The decoy is created
// with the service's first card, or at the first miss on a store that
// has cards from before.

// MaxPINFailures is how many wrong PINs lock a gift card.
const MaxPINFailures = 5

// PIN lengths.
const (
	MinPIN = 4
	MaxPIN = 12
)

// errNotAccepted is every refusal of a code or PIN that counts nothing
// (no card, a missing PIN); errPINRefused is one that counted a wrong PIN
// and is recorded under the request. They read alike and both match
// ErrNotFound: a caller cannot tell a wrong code from a wrong PIN.
var (
	errNotAccepted = fmt.Errorf("storedvalue: gift card: no card accepts this code and PIN: %w", ErrNotFound)
	errPINRefused  = fmt.Errorf("storedvalue: gift card: no card accepts this code and PIN: %w", ErrNotFound)
)

// NormalisePIN returns the PIN as it is hashed: narrow digits without
// spaces. It fails with ErrInvalid on the field "pin", never quoting the
// PIN, unless the result is MinPIN to MaxPIN digits.
func NormalisePIN(pin string) (string, error) {
	if len(pin) > 4*MaxPIN {
		return "", errBadPIN
	}
	var b strings.Builder
	for _, r := range width.Narrow.String(pin) {
		switch {
		case r == ' ':
			continue
		case r < '0' || r > '9':
			return "", errBadPIN
		}
		b.WriteRune(r)
	}
	if b.Len() < MinPIN || b.Len() > MaxPIN {
		return "", errBadPIN
	}
	return b.String(), nil
}

var errBadPIN = fieldErr("pin", fmt.Sprintf("must be %d to %d digits", MinPIN, MaxPIN))

// pinKey is the stored form of a PIN on the card with the code key.
func (s *Service) pinKey(codeKey, pin string) string { return s.pins.sum(codeKey, pin) }

// cardKeys normalises a gift card's code and optional PIN into the keyed
// hashes the store holds, adding to c what is wrong with either.
func (s *Service) cardKeys(c *checks, code, pin string) (codeKey, pinKey string) {
	norm, err := NormaliseCode(code)
	codeKey = s.codeKey(norm)
	pinKey = s.pinOf(c, pin, codeKey)
	if err != nil {
		c.list = append(c.list, err)
	}
	return codeKey, pinKey
}

// pinOf checks an optional PIN of a request that carries a code and
// returns its key ("" when none is given).
func (s *Service) pinOf(c *checks, pin, codeKey string) string {
	if pin == "" {
		return ""
	}
	n, err := NormalisePIN(pin)
	switch {
	case err != nil:
		c.list = append(c.list, err)
		return ""
	case len(s.opts.PINSecret) == 0:
		c.add("pin", "the service has no Options.PINSecret to keep PINs with")
		return ""
	}
	return s.pinKey(codeKey, n)
}

// locked reports whether wrong PINs have locked the card.
func locked(a Account) bool { return a.PINFailures >= MaxPINFailures }

// pinAccepts reports whether the card read for the code key takes the
// PIN (given as its key, "" for none): a card without a PIN takes any
// or none, one with a PIN only its own, a locked card none. A card
// without a PIN keeps the key of the empty PIN, so every header has a
// PIN key of one length, and the check makes the same two constant-time
// comparisons whatever the card and the PIN.
func (s *Service) pinAccepts(a Account, codeKey, pinKey string) bool {
	blank := s.pinKey(codeKey, "")
	stored := a.PINKey
	if stored == "" {
		stored = blank // a card kept before PINs
	}
	given := pinKey
	if given == "" {
		given = blank
	}
	right := hmac.Equal([]byte(given), []byte(stored))
	none := hmac.Equal([]byte(blank), []byte(stored))
	return !locked(a) && (right || none)
}

// hasPIN reports whether a card has a PIN of its own.
func (s *Service) hasPIN(a Account) bool {
	return a.PINKey != "" && a.PINKey != s.pinKey(a.CodeKey, "")
}

// isCard reports, in constant time, whether the account read for a code
// key is the card with that key rather than the decoy.
func isCard(a Account, codeKey string) bool {
	return hmac.Equal([]byte(a.CodeKey), []byte(codeKey))
}

// findCard reads the card with the code key or, on a miss, the decoy:
// one store call, one header, either way. A store without the decoy
// (cards kept before there was one) gets it at the first miss.
func (s *Service) findCard(ctx context.Context, codeKey string, at time.Time) (Account, bool, error) {
	a, err := s.store.AccountByCode(ctx, codeKey, s.decoyKey)
	if errors.Is(err, ErrNotFound) && !s.decoyReady.Load() && s.ensureDecoy(ctx, at) == nil {
		a, err = s.store.AccountByCode(ctx, codeKey, s.decoyKey)
	}
	switch {
	case errors.Is(err, ErrNotFound):
		return Account{}, false, errNotAccepted // no card, and no decoy could be made
	case err != nil:
		return Account{}, false, fmt.Errorf("storedvalue: gift card: %w", err)
	}
	return a, isCard(a, codeKey), nil
}

// admit checks, inside a write, that the account read is the card with
// the code key and takes the PIN. A refusal with a PIN given counts it on
// the account read, card or decoy alike, and the write keeps the count.
func (s *Service) admit(t *tx, codeKey, pinKey string) error {
	card := isCard(t.acct, codeKey)
	ok := s.pinAccepts(t.acct, codeKey, pinKey)
	if card && ok {
		if t.acct.PINKey == "" {
			t.acct.PINKey = s.pinKey(codeKey, "") // a card kept before PINs takes the shape of the others
		}
		return nil
	}
	if pinKey == "" {
		return errNotAccepted
	}
	t.acct.PINFailures++
	t.keep = true
	return errPINRefused
}

// ensureDecoy creates the decoy card once: an empty, active gift card
// under its own account namespace ("d:"), whose code key no code can
// hash to and whose PIN no PIN matches.
func (s *Service) ensureDecoy(ctx context.Context, at time.Time) error {
	if s.decoyReady.Load() {
		return nil
	}
	d := s.newAccount(s.decoyID, GiftCardAccount, "", storeTime(at))
	d.CodeKey, d.PINKey, d.Version = s.decoyKey, s.pinKey(s.decoyKey, "\x00decoy"), 1
	err := s.store.Save(ctx, Write{Account: d})
	if err != nil && !errors.Is(err, ErrConflict) {
		return fmt.Errorf("storedvalue: creating the decoy card: %w", err)
	}
	s.decoyReady.Store(true)
	return nil
}

// UnlockGiftCardRequest is an operator's unlock of a card that wrong PINs
// locked.
type UnlockGiftCardRequest struct {
	ID     string    `json:"id"`
	CardID string    `json:"cardId"`
	At     time.Time `json:"at"`
}

// UnlockGiftCard clears a card's count of wrong PINs, by card ID (an
// operator knows the card, not its code). It is idempotent by ID.
func (s *Service) UnlockGiftCard(ctx context.Context, r UnlockGiftCardRequest) (CardInfo, error) {
	var c checks
	c.id("id", r.ID)
	c.id("cardId", r.CardID)
	c.at("at", r.At)
	if err := c.err(); err != nil {
		return CardInfo{}, err
	}
	r.At = storeTime(r.At)
	var out CardInfo
	err := s.run(ctx, op{key: "unlock:" + r.ID, body: r, account: fixed(giftID(r.CardID)), apply: func(t *tx) (any, error) {
		if t.acct.Type != GiftCardAccount {
			return nil, fmt.Errorf("storedvalue: unlock %s: not a gift card: %w", r.ID, ErrWrongAccount)
		}
		t.acct.PINFailures = 0
		return s.giftCard(t.acct), nil
	}}, &out)
	return out, err
}

// GiftCard returns a card's state by card ID as of at, for an operator:
// whether it has a PIN and whether wrong PINs locked it.
func (s *Service) GiftCard(ctx context.Context, cardID string, at time.Time) (CardInfo, error) {
	a, err := s.store.GetAccount(ctx, giftID(cardID))
	if err != nil {
		return CardInfo{}, fmt.Errorf("storedvalue: gift card %s: %w", cardID, err)
	}
	if a.Type != GiftCardAccount {
		return CardInfo{}, fmt.Errorf("storedvalue: gift card %s: %w", cardID, ErrWrongAccount)
	}
	card := s.giftCard(a)
	card.Balance, err = s.balance(ctx, a, at)
	return card, err
}
