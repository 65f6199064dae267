package lane

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/examples/sqlite"
)

// Report says what a Sync did, item by item.
type Report struct {
	Sent    int      // items the central services took (refusals included)
	Left    int      // items still queued after a failure stopped the replay
	Notes   []string // one line per item whose central outcome differs from the lane's
	Refused int      // items the central services refused
}

// Sync replays the queued facts into the central services, in queue
// order, marking each sent once they took it. It stops at the first
// failure that is not a refusal (the services unreachable), leaving that
// item and those after it for the next Sync, and returns the failure with
// the report so far. See the package doc for the rules it applies.
func (l *Lane) Sync(ctx context.Context, central Services) (Report, error) {
	l.syncMu.Lock()
	defer l.syncMu.Unlock()
	var rep Report
	var todo []sqlite.Item
	for it, err := range l.outbox.Unsent(ctx) {
		if err != nil {
			return rep, fmt.Errorf("lane: sync: %w", err)
		}
		todo = append(todo, it)
	}
	for i, it := range todo {
		outcome, err := l.send(ctx, central, it)
		if err != nil && !Refusal(err) {
			rep.Left = len(todo) - i
			return rep, fmt.Errorf("lane: sync item %d (%s): %w", it.Seq, it.Key, err)
		}
		if err != nil {
			rep.Refused++
			outcome = "refused: " + err.Error()
		}
		if err := l.outbox.MarkSent(ctx, it.Seq, l.clock(), outcome); err != nil {
			rep.Left = len(todo) - i
			return rep, fmt.Errorf("lane: sync item %d (%s): %w", it.Seq, it.Key, err)
		}
		rep.Sent++
		if outcome != "" {
			rep.Notes = append(rep.Notes, it.Key+": "+outcome)
		}
	}
	return rep, nil
}

// send applies one item to the central services; its outcome is empty
// when they did what the lane did.
func (l *Lane) send(ctx context.Context, central Services, it sqlite.Item) (string, error) {
	switch it.Kind {
	case KindPurchase:
		var p customer.Purchase
		if err := json.Unmarshal(it.Payload, &p); err != nil {
			return "", err
		}
		return sendPurchase(ctx, central, p)
	case KindReturn:
		var r customer.Return
		if err := json.Unmarshal(it.Payload, &r); err != nil {
			return "", err
		}
		// The queued return names no customer (the service takes it from
		// the purchase); the lane's record of it says whose it was here.
		laneCustomer := r.CustomerID
		if local, err := l.local.Customers.Return(ctx, r.ID); err == nil {
			laneCustomer = local.CustomerID
		}
		return sendReturn(ctx, central, r, laneCustomer)
	}
	if moneyOps[it.Kind] != nil {
		return sendMoney(ctx, central, it)
	}
	return "", fmt.Errorf("outbox item %d: unknown kind %q: %w", it.Seq, it.Kind, customer.ErrInvalid)
}

func sendPurchase(ctx context.Context, central Services, p customer.Purchase) (string, error) {
	stored, err := central.Customers.RecordPurchase(ctx, p)
	if err != nil {
		return "", err
	}
	var notes []string
	if stored.CustomerID != p.CustomerID {
		notes = append(notes, fmt.Sprintf("member %s was merged into %s centrally; recorded and earned there", p.CustomerID, stored.CustomerID))
	}
	if stored.CustomerID != "" {
		if _, err := central.Points.Earn(ctx, stored); err != nil {
			return "", err
		}
	}
	return strings.Join(notes, "; "), nil
}

func sendReturn(ctx context.Context, central Services, r customer.Return, laneCustomer string) (string, error) {
	stored, err := central.Customers.RecordReturn(ctx, r)
	if err != nil {
		return "", err
	}
	var notes []string
	if laneCustomer != "" && stored.CustomerID != laneCustomer {
		notes = append(notes, fmt.Sprintf("member %s was merged into %s centrally; clawed back there", laneCustomer, stored.CustomerID))
	}
	if stored.CustomerID != "" {
		res, err := central.Points.Return(ctx, stored)
		if err != nil {
			return "", err
		}
		if res.Debt > 0 || res.Forgiven > 0 {
			notes = append(notes, fmt.Sprintf("central clawback took %d of %d owed (debt %d, forgiven %d): points were spent elsewhere",
				res.Taken, res.Owed, res.Debt, res.Forgiven))
		}
	}
	return strings.Join(notes, "; "), nil
}
