package storedvalue

import (
	"encoding/json"

	"github.com/clientele-go/clientele/internal/jsonappend"
)

// A payment writes two JSON documents: its record and its result, kept
// under the request's key for replays. json.Marshal spent a fifth of a
// payment's time on them (reflection, then a second scan of what it just
// wrote), so the two types encode themselves by appending to one buffer,
// in exactly the form json.Marshal gives (TestEncodersMatchJSON and
// FuzzEncodersMatchJSON compare them byte for byte).

// appender is a result or record that encodes itself as JSON.
type appender interface {
	appendJSON(b []byte) ([]byte, error)
}

// marshal encodes v: by its own encoder when it has one.
func marshal(v any) ([]byte, error) {
	if a, ok := v.(appender); ok {
		return a.appendJSON(make([]byte, 0, 192))
	}
	return json.Marshal(v)
}

func (r PayResult) appendJSON(b []byte) ([]byte, error) {
	b = jsonappend.Key(b, '{', "accountId")
	b = jsonappend.String(b, r.AccountID)
	b = jsonappend.Key(b, ',', "paymentId")
	b = jsonappend.String(b, r.PaymentID)
	b = jsonappend.Key(b, ',', "spent")
	b = r.Spent.appendJSON(b)
	b = jsonappend.Key(b, ',', "balance")
	b = r.Balance.appendJSON(b)
	b = jsonappend.Key(b, ',', "state")
	b = jsonappend.String(b, string(r.State))
	return append(b, '}'), nil
}

func (m Money) appendJSON(b []byte) []byte {
	b = jsonappend.Key(b, '{', "paid")
	b = jsonappend.Decimal(b, m.Paid)
	b = jsonappend.Key(b, ',', "bonus")
	b = jsonappend.Decimal(b, m.Bonus)
	return append(b, '}')
}

func (p payment) appendJSON(b []byte) ([]byte, error) {
	var err error
	b = jsonappend.Key(b, '{', "state")
	b = jsonappend.String(b, string(p.State))
	b = jsonappend.Key(b, ',', "draws")
	if p.Draws == nil {
		b = append(b, "null"...)
	} else {
		for i, d := range p.Draws {
			b = append(b, jsonappend.ListSep(i))
			if b, err = d.appendJSON(b); err != nil {
				return nil, err
			}
		}
		if len(p.Draws) == 0 {
			b = append(b, '[')
		}
		b = append(b, ']')
	}
	if len(p.Refunded) > 0 {
		b = jsonappend.Key(b, ',', "refunded")
		for i, n := range p.Refunded {
			b = append(b, jsonappend.ListSep(i))
			b = jsonappend.Int(b, n)
		}
		b = append(b, ']')
	}
	if !p.ExpiresAt.IsZero() {
		b = jsonappend.Key(b, ',', "expiresAt")
		if b, err = jsonappend.Time(b, p.ExpiresAt); err != nil {
			return nil, err
		}
	}
	return append(b, '}'), nil
}

func (d Draw) appendJSON(b []byte) ([]byte, error) {
	b = jsonappend.Key(b, '{', "part")
	b = jsonappend.String(b, d.Part)
	b = jsonappend.Key(b, ',', "kind")
	b = jsonappend.String(b, string(d.Kind))
	b = jsonappend.Key(b, ',', "amount")
	b = jsonappend.Int(b, d.Amount)
	if !d.ExpiresAt.IsZero() {
		b = jsonappend.Key(b, ',', "expiresAt")
		var err error
		if b, err = jsonappend.Time(b, d.ExpiresAt); err != nil {
			return nil, err
		}
	}
	return append(b, '}'), nil
}
