package loyalty

import (
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"
	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/message/catalog"
)

// progressLangs are the languages progress is worded in; the first is the
// fallback.
var progressLangs = []language.Tag{language.English, language.SimplifiedChinese}

var (
	progressMatcher = language.NewMatcher(progressLangs)
	progressCatalog = buildProgressCatalog()
)

// buildProgressCatalog holds the sentences RenderProgress uses, in English
// and Simplified Chinese.
func buildProgressCatalog() catalog.Catalog {
	b := catalog.NewBuilder(catalog.Fallback(language.English))
	en, zh := language.English, language.SimplifiedChinese
	set := func(tag language.Tag, key string, msg ...catalog.Message) {
		if err := b.Set(tag, key, msg...); err != nil {
			panic(err) // a typo in the literal catalog below; caught by every test
		}
	}
	str := func(s string) catalog.Message { return catalog.String(s) }
	set(en, "gap.spend", str("%s"))
	set(en, "gap.spend.verb", str("spend %s"))
	set(en, "gap.purchases", plural.Selectf(1, "%d", "one", "%d purchase", "other", "%d purchases"))
	set(en, "gap.purchases.verb", plural.Selectf(1, "%d", "one", "make %d purchase", "other", "make %d purchases"))
	set(en, "gap.points", plural.Selectf(1, "%d", "one", "%d qualifying point", "other", "%d qualifying points"))
	set(en, "gap.points.verb", plural.Selectf(1, "%d", "one", "earn %d qualifying point", "other", "earn %d qualifying points"))
	set(en, "join.any", str(" or "))
	set(en, "join.all", str(" and "))
	set(en, "next", str("%[1]s to %[2]s"))
	set(en, "next.by", str("%[1]s to %[2]s by %[3]s"))
	set(en, "keep", str("%[1]s by %[2]s to keep %[3]s"))
	set(en, "keep.met", str("%[1]s secured for the review after %[2]s"))
	set(en, "guaranteed", str("%[1]s guaranteed through %[2]s"))

	set(zh, "gap.spend", str("消费 %s"))
	set(zh, "gap.spend.verb", str("消费 %s"))
	set(zh, "gap.purchases", str("购买 %d 次"))
	set(zh, "gap.purchases.verb", str("购买 %d 次"))
	set(zh, "gap.points", str("获得 %d 定级积分"))
	set(zh, "gap.points.verb", str("获得 %d 定级积分"))
	set(zh, "join.any", str("或"))
	set(zh, "join.all", str("并"))
	set(zh, "next", str("再%[1]s即可升级为%[2]s"))
	set(zh, "next.by", str("%[3]s前再%[1]s即可升级为%[2]s"))
	set(zh, "keep", str("%[2]s前%[1]s即可保留%[3]s"))
	set(zh, "keep.met", str("已满足%[1]s保级条件（评定日 %[2]s）"))
	set(zh, "guaranteed", str("%[1]s保级至%[2]s"))
	return b
}

// RenderProgress words progress for a member in lang (a BCP 47 tag; English
// and Simplified Chinese are built in, other languages fall back to
// English), one sentence per line: "850 CNY or 2 purchases to Gold by 31
// Dec 2026", "spend 1,200 CNY by 31 Dec 2026 to keep Gold". Tier names come
// from the ladder in the same language.
func (p *Program) RenderProgress(pr Progress, lang string) []string {
	tag, _, conf := progressMatcher.Match(language.Make(lang))
	if conf == language.No {
		tag = language.English
	}
	r := renderer{p: p, pr: message.NewPrinter(tag, message.Catalog(progressCatalog)), lang: lang,
		zh: conf != language.No && strings.HasPrefix(tag.String(), "zh")}
	var out []string
	if g := pr.Next; g != nil && !g.Met {
		parts := strings.Join(r.parts(*g, false), r.pr.Sprintf(joinKey(*g)))
		if g.Deadline.IsZero() {
			out = append(out, r.pr.Sprintf("next", parts, r.name(g.Tier)))
		} else {
			out = append(out, r.pr.Sprintf("next.by", parts, r.name(g.Tier), r.day(g.Deadline)))
		}
	}
	if g := pr.Keep; g != nil {
		if g.Met {
			out = append(out, r.pr.Sprintf("keep.met", r.name(g.Tier), r.day(g.Deadline)))
		} else {
			parts := strings.Join(r.parts(*g, true), r.pr.Sprintf(joinKey(*g)))
			out = append(out, r.pr.Sprintf("keep", parts, r.day(g.Deadline), r.name(g.Tier)))
		}
	}
	if !pr.GuaranteedUntil.IsZero() {
		out = append(out, r.pr.Sprintf("guaranteed", r.name(pr.Tier), r.day(pr.GuaranteedUntil)))
	}
	return out
}

type renderer struct {
	p    *Program
	pr   *message.Printer
	lang string
	zh   bool
}

func joinKey(g Gap) string {
	if g.Match == MatchAll {
		return "join.all"
	}
	return "join.any"
}

func (r renderer) name(code string) string {
	if t, ok := r.p.Tiers.Tier(code); ok {
		return t.Name(r.lang)
	}
	return code
}

// parts lists what is missing; verbs selects "spend …" over "…" (keeping a
// tier reads as an instruction, reaching one as a distance). With Match
// all, conditions already met are left out.
func (r renderer) parts(g Gap, verbs bool) []string {
	suffix := ""
	if verbs {
		suffix = ".verb"
	}
	var parts []string
	if g.AsksSpend && (g.Match != MatchAll || g.Spend.Sign() > 0) {
		parts = append(parts, r.pr.Sprintf("gap.spend"+suffix, r.p.money(g.Spend)))
	}
	if g.AsksPurchases && (g.Match != MatchAll || g.Purchases > 0) {
		parts = append(parts, r.pr.Sprintf("gap.purchases"+suffix, g.Purchases))
	}
	if g.AsksPoints && (g.Match != MatchAll || g.Points > 0) {
		parts = append(parts, r.pr.Sprintf("gap.points"+suffix, g.Points))
	}
	return parts
}

// day formats the last local day before the instant end.
func (r renderer) day(end time.Time) string {
	d := end.Add(-time.Nanosecond).In(r.p.loc())
	if r.zh {
		return fmt.Sprintf("%d年%d月%d日", d.Year(), int(d.Month()), d.Day())
	}
	return d.Format("2 Jan 2006")
}

// money formats an amount with thousands separators and the currency code,
// rounding in decimal first: whole amounts without decimals.
func (p *Program) money(d decimal.Decimal) string {
	d = d.Round(p.MinorUnit())
	s := d.StringFixed(p.MinorUnit())
	if d.IsInteger() {
		s = d.StringFixed(0)
	}
	return group(s) + " " + p.Currency
}

// group inserts thousands separators into a plain decimal string.
func group(s string) string {
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	intPart, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if frac != "" {
		return sign + b.String() + "." + frac
	}
	return sign + b.String()
}
