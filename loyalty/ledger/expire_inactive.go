package ledger

import "time"

// ExpireInactive expires every point left in the account, pending or
// released, because it has been idle too long: the programme's inactivity
// rule decides that, and passes due, the instant the points lapsed (one
// entry per lot, each with Reason "inactivity", recorded at due). Points
// reserved by open holds stay: a hold protects what it reserved until it
// ends. Running it again changes nothing; it is not member activity.
func (a Account) ExpireInactive(due time.Time) (Account, []Entry, error) {
	due = due.Round(0)
	if err := checkTime("due", due); err != nil {
		return a, nil, err
	}
	if err := a.needAll(); err != nil {
		return a, nil, err
	}
	var ids []string
	for k := range a.open.All() {
		ids = append(ids, k.id)
	}
	t := a.begin(due)
	for _, id := range ids {
		l, err := t.lot(id)
		if err != nil {
			return a, nil, err
		}
		n := l.Remaining - l.Held
		if n == 0 {
			continue
		}
		if err := t.lapse(l, n, "inactivity"); err != nil {
			return a, nil, err
		}
	}
	return t.done()
}
