package customer

// Printing of the types that hold personal data (directly or in a field):
// every fmt verb and slog show a description without names, contact
// details, addresses, birthdays, attributes or free text. Customer,
// Identity, Registration and Event keep their String beside their types.

import (
	"fmt"
	"log/slog"
	"time"

	"github.com/clientele-go/clientele/internal/redact"
)

// String describes the Address without personal data.
func (a Address) String() string { return "Address{<redacted>}" }

// GoString is String, so %#v shows no more.
func (a Address) GoString() string { return a.String() }

// Format prints String (GoString for %#v) for every verb.
func (a Address) Format(f fmt.State, verb rune) { redact.Format(f, verb, a.String(), a.GoString()) }

// LogValue shows slog what String shows.
func (a Address) LogValue() slog.Value { return redact.Value(a.String()) }

// String describes the Birthday without personal data.
func (b Birthday) String() string { return "Birthday{<redacted>}" }

// GoString is String, so %#v shows no more.
func (b Birthday) GoString() string { return b.String() }

// Format prints String (GoString for %#v) for every verb.
func (b Birthday) Format(f fmt.State, verb rune) { redact.Format(f, verb, b.String(), b.GoString()) }

// LogValue shows slog what String shows.
func (b Birthday) LogValue() slog.Value { return redact.Value(b.String()) }

// String describes the Profile without personal data.
func (p Profile) String() string { return "Profile{<redacted>}" }

// GoString is String, so %#v shows no more.
func (p Profile) GoString() string { return p.String() }

// Format prints String (GoString for %#v) for every verb.
func (p Profile) Format(f fmt.State, verb rune) { redact.Format(f, verb, p.String(), p.GoString()) }

// LogValue shows slog what String shows.
func (p Profile) LogValue() slog.Value { return redact.Value(p.String()) }

// String describes the Consent without personal data.
func (k Consent) String() string {
	return fmt.Sprintf("Consent{Purpose: %s, Channel: %s, Changes: %d}", k.Purpose, k.Channel, len(k.History))
}

// GoString is String, so %#v shows no more.
func (k Consent) GoString() string { return k.String() }

// Format prints String (GoString for %#v) for every verb.
func (k Consent) Format(f fmt.State, verb rune) { redact.Format(f, verb, k.String(), k.GoString()) }

// LogValue shows slog what String shows.
func (k Consent) LogValue() slog.Value {
	return slog.GroupValue(slog.String("purpose", string(k.Purpose)), slog.String("channel", string(k.Channel)), slog.Int("changes", len(k.History)))
}

// String describes the ConsentChange without personal data.
func (ch ConsentChange) String() string {
	return fmt.Sprintf("ConsentChange{Granted: %t, At: %s, Source: %s}", ch.Granted, ch.At.Format(time.RFC3339), ch.Source)
}

// GoString is String, so %#v shows no more.
func (ch ConsentChange) GoString() string { return ch.String() }

// Format prints String (GoString for %#v) for every verb.
func (ch ConsentChange) Format(f fmt.State, verb rune) {
	redact.Format(f, verb, ch.String(), ch.GoString())
}

// LogValue shows slog what String shows.
func (ch ConsentChange) LogValue() slog.Value {
	return slog.GroupValue(slog.Bool("granted", ch.Granted), slog.Time("at", ch.At), slog.String("source", ch.Source))
}

// String describes the ConsentRequest without personal data.
func (r ConsentRequest) String() string {
	return fmt.Sprintf("ConsentRequest{Purpose: %s, Channel: %s, Source: %s, RequestID: %s}", r.Purpose, r.Channel, r.Source, r.RequestID)
}

// GoString is String, so %#v shows no more.
func (r ConsentRequest) GoString() string { return r.String() }

// Format prints String (GoString for %#v) for every verb.
func (r ConsentRequest) Format(f fmt.State, verb rune) {
	redact.Format(f, verb, r.String(), r.GoString())
}

// LogValue shows slog what String shows.
func (r ConsentRequest) LogValue() slog.Value {
	return slog.GroupValue(slog.String("purpose", string(r.Purpose)), slog.String("channel", string(r.Channel)), slog.String("source", r.Source), slog.String("request", r.RequestID))
}

// String describes the Interaction without personal data.
func (in Interaction) String() string {
	return fmt.Sprintf("Interaction{ID: %s, CustomerID: %s, Kind: %s, Channel: %s, Direction: %s, Time: %s}", in.ID, in.CustomerID, in.Kind, in.Channel, in.Direction, in.Time.Format(time.RFC3339))
}

// GoString is String, so %#v shows no more.
func (in Interaction) GoString() string { return in.String() }

// Format prints String (GoString for %#v) for every verb.
func (in Interaction) Format(f fmt.State, verb rune) {
	redact.Format(f, verb, in.String(), in.GoString())
}

// LogValue shows slog what String shows.
func (in Interaction) LogValue() slog.Value {
	return slog.GroupValue(slog.String("id", in.ID), slog.String("customer", in.CustomerID), slog.String("kind", string(in.Kind)), slog.String("channel", string(in.Channel)), slog.Time("time", in.Time))
}

// String describes the HistoryEntry without personal data.
func (h HistoryEntry) String() string {
	return fmt.Sprintf("HistoryEntry{Kind: %s, Time: %s}", h.Kind, h.Time.Format(time.RFC3339))
}

// GoString is String, so %#v shows no more.
func (h HistoryEntry) GoString() string { return h.String() }

// Format prints String (GoString for %#v) for every verb.
func (h HistoryEntry) Format(f fmt.State, verb rune) {
	redact.Format(f, verb, h.String(), h.GoString())
}

// LogValue shows slog what String shows.
func (h HistoryEntry) LogValue() slog.Value {
	return slog.GroupValue(slog.String("kind", string(h.Kind)), slog.Time("time", h.Time))
}

// String describes the Export without personal data.
func (ex Export) String() string {
	return fmt.Sprintf("Export{Customer: %s, MergedFrom: %d, Purchases: %d, Returns: %d, Interactions: %d, Sections: %d}", ex.Customer.ID, len(ex.MergedFrom), len(ex.Purchases), len(ex.Returns), len(ex.Interactions), len(ex.Sections))
}

// GoString is String, so %#v shows no more.
func (ex Export) GoString() string { return ex.String() }

// Format prints String (GoString for %#v) for every verb.
func (ex Export) Format(f fmt.State, verb rune) { redact.Format(f, verb, ex.String(), ex.GoString()) }

// LogValue shows slog what String shows.
func (ex Export) LogValue() slog.Value {
	return slog.GroupValue(slog.String("customer", ex.Customer.ID), slog.Int("purchases", len(ex.Purchases)), slog.Int("returns", len(ex.Returns)), slog.Int("interactions", len(ex.Interactions)))
}

// String describes the Change without personal data.
func (ch Change) String() string {
	return fmt.Sprintf("Change{Customer: %s, Events: %d}", ch.Customer.String(), len(ch.Events))
}

// GoString is String, so %#v shows no more.
func (ch Change) GoString() string { return ch.String() }

// Format prints String (GoString for %#v) for every verb.
func (ch Change) Format(f fmt.State, verb rune) { redact.Format(f, verb, ch.String(), ch.GoString()) }

// LogValue shows slog what String shows.
func (ch Change) LogValue() slog.Value {
	return slog.GroupValue(slog.Any("customer", ch.Customer.LogValue()), slog.Int("events", len(ch.Events)))
}

// String describes the Options without personal data.
func (o Options) String() string { return "Options{<redacted>}" }

// GoString is String, so %#v shows no more.
func (o Options) GoString() string { return o.String() }

// Format prints String (GoString for %#v) for every verb.
func (o Options) Format(f fmt.State, verb rune) { redact.Format(f, verb, o.String(), o.GoString()) }

// LogValue shows slog what String shows.
func (o Options) LogValue() slog.Value { return redact.Value(o.String()) }

// Format prints String (GoString for %#v) for every verb.
func (c Customer) Format(f fmt.State, verb rune) { redact.Format(f, verb, c.String(), c.GoString()) }

// Format prints String (GoString for %#v) for every verb.
func (id Identity) Format(f fmt.State, verb rune) { redact.Format(f, verb, id.String(), id.GoString()) }

// Format prints String (GoString for %#v) for every verb.
func (r Registration) Format(f fmt.State, verb rune) {
	redact.Format(f, verb, r.String(), r.GoString())
}

// LogValue shows slog what String shows.
func (r Registration) LogValue() slog.Value {
	return slog.GroupValue(slog.String("store", r.Store), slog.String("channel", string(r.Channel)), slog.String("request", r.RequestID))
}

// Format prints String (GoString for %#v) for every verb.
func (e Event) Format(f fmt.State, verb rune) { redact.Format(f, verb, e.String(), e.GoString()) }
