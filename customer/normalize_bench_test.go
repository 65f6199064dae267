package customer_test

import (
	"testing"

	"github.com/clientele-go/clientele/customer"
)

// Inputs as tills send them: the common ASCII case, a full-width one that
// takes the folding path, and a landline with trunk prefix.
var phoneBenchInputs = []struct{ name, raw string }{
	{"ascii", "+86 138-0013-8000"},
	{"national", "13800138000"},
	{"landline", "010-12345678"},
	{"fullwidth", "１３８ ００１３ ８０００"},
}

func BenchmarkNormalizePhone(b *testing.B) {
	for _, in := range phoneBenchInputs {
		b.Run(in.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := customer.DefaultPhones.NormalizePhone(in.raw, "CN"); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkNormalizeEmail(b *testing.B) {
	for _, in := range []struct{ name, raw string }{
		{"ascii", "J.Smith+shop@GoogleMail.COM"},
		{"fullwidth", "ｌｉ．ｈｕａ＠ｅｘａｍｐｌｅ．ｃｎ"},
	} {
		b.Run(in.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, _, err := customer.NormalizeEmail(in.raw); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkNameKey(b *testing.B) {
	for _, in := range []struct{ name, raw string }{{"ascii", "  Zhang   San "}, {"han", "迈克尔 · 乔丹"}} {
		b.Run(in.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				customer.NameKey(in.raw)
			}
		})
	}
}
