package storedvalue

// Printing of the requests that carry a gift-card code, and of the
// options that hold the code secret: every fmt verb and slog show the
// request's kind and ID, never the code or the secret, so a host that
// logs them leaks nothing a thief could spend.

import (
	"fmt"
	"log/slog"

	"github.com/clientele-go/clientele/internal/redact"
)

func withoutCode(kind, id string) string {
	return fmt.Sprintf("%s{ID:%q Code:<redacted> PIN:<redacted>}", kind, id)
}

// String describes the request without its code.
func (r PayRequest) String() string { return withoutCode("PayRequest", r.ID) }

// GoString is String, so %#v shows no more.
func (r PayRequest) GoString() string { return r.String() }

// Format prints String (GoString for %#v) for every verb.
func (r PayRequest) Format(f fmt.State, verb rune) { redact.Format(f, verb, r.String(), r.GoString()) }

// LogValue shows slog what String shows.
func (r PayRequest) LogValue() slog.Value { return redact.Value(r.String()) }

// String describes the request without its code.
func (r IssueGiftCardRequest) String() string { return withoutCode("IssueGiftCardRequest", r.CardID) }

// GoString is String, so %#v shows no more.
func (r IssueGiftCardRequest) GoString() string { return r.String() }

// Format prints String (GoString for %#v) for every verb.
func (r IssueGiftCardRequest) Format(f fmt.State, verb rune) {
	redact.Format(f, verb, r.String(), r.GoString())
}

// LogValue shows slog what String shows.
func (r IssueGiftCardRequest) LogValue() slog.Value { return redact.Value(r.String()) }

// String describes the request without its code.
func (r ImportGiftCardRequest) String() string { return withoutCode("ImportGiftCardRequest", r.CardID) }

// GoString is String, so %#v shows no more.
func (r ImportGiftCardRequest) GoString() string { return r.String() }

// Format prints String (GoString for %#v) for every verb.
func (r ImportGiftCardRequest) Format(f fmt.State, verb rune) {
	redact.Format(f, verb, r.String(), r.GoString())
}

// LogValue shows slog what String shows.
func (r ImportGiftCardRequest) LogValue() slog.Value { return redact.Value(r.String()) }

// String describes the request without its code.
func (r ActivateGiftCardRequest) String() string { return withoutCode("ActivateGiftCardRequest", r.ID) }

// GoString is String, so %#v shows no more.
func (r ActivateGiftCardRequest) GoString() string { return r.String() }

// Format prints String (GoString for %#v) for every verb.
func (r ActivateGiftCardRequest) Format(f fmt.State, verb rune) {
	redact.Format(f, verb, r.String(), r.GoString())
}

// LogValue shows slog what String shows.
func (r ActivateGiftCardRequest) LogValue() slog.Value { return redact.Value(r.String()) }

// String describes the request without its code.
func (r TransferGiftCardRequest) String() string { return withoutCode("TransferGiftCardRequest", r.ID) }

// GoString is String, so %#v shows no more.
func (r TransferGiftCardRequest) GoString() string { return r.String() }

// Format prints String (GoString for %#v) for every verb.
func (r TransferGiftCardRequest) Format(f fmt.State, verb rune) {
	redact.Format(f, verb, r.String(), r.GoString())
}

// LogValue shows slog what String shows.
func (r TransferGiftCardRequest) LogValue() slog.Value { return redact.Value(r.String()) }

// String describes the request without its code and PIN.
func (r CheckGiftCardRequest) String() string { return withoutCode("CheckGiftCardRequest", r.ID) }

// GoString is String, so %#v shows no more.
func (r CheckGiftCardRequest) GoString() string { return r.String() }

// Format prints String (GoString for %#v) for every verb.
func (r CheckGiftCardRequest) Format(f fmt.State, verb rune) {
	redact.Format(f, verb, r.String(), r.GoString())
}

// LogValue shows slog what String shows.
func (r CheckGiftCardRequest) LogValue() slog.Value { return redact.Value(r.String()) }

// String describes the options without the code and PIN secrets.
func (o Options) String() string {
	return fmt.Sprintf("Options{CodeSecret:<redacted> PINSecret:<redacted> Rewards:%t MaxAttempts:%d}", o.Rewards != nil, o.MaxAttempts)
}

// GoString is String, so %#v shows no more.
func (o Options) GoString() string { return o.String() }

// Format prints String (GoString for %#v) for every verb.
func (o Options) Format(f fmt.State, verb rune) { redact.Format(f, verb, o.String(), o.GoString()) }

// LogValue shows slog what String shows.
func (o Options) LogValue() slog.Value { return redact.Value(o.String()) }

// String describes the service without its code secret.
func (s *Service) String() string {
	return fmt.Sprintf("storedvalue.Service{Currency:%s}", s.prog.currency)
}

// GoString is String, so %#v shows no more.
func (s *Service) GoString() string { return s.String() }

// Format prints String (GoString for %#v) for every verb.
func (s *Service) Format(f fmt.State, verb rune) { redact.Format(f, verb, s.String(), s.GoString()) }

// LogValue shows slog what String shows.
func (s *Service) LogValue() slog.Value { return redact.Value(s.String()) }
