package customer

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

// surnameReadings maps surnames that Chinese collation reads wrongly (it
// orders a character by its most common reading, not its reading as a
// family name) to a character with the surname's reading, used only for
// sorting: 曾 sorts as Zēng, not céng; 单 as Shàn, not dān.
var surnameReadings = map[rune]rune{
	'曾': '增', // zēng
	'单': '善', // shàn
	'解': '谢', // xiè
	'区': '欧', // ōu
	'仇': '求', // qiú
	'查': '扎', // zhā
	'朴': '瓢', // piáo
	'乐': '岳', // yuè
	'盖': '葛', // gě
	'缪': '妙', // miào
	'翟': '宅', // zhái
	'覃': '秦', // qín
	'繁': '婆', // pó
	'种': '冲', // chóng
}

// SortName returns the string a customer sorts by: Profile.SortName when
// the shop set one (the override for any name the rules get wrong),
// otherwise the name with a polyphonic Chinese surname replaced by a
// character of the surname's reading.
func SortName(c Customer) string {
	if c.SortName != "" {
		return c.SortName
	}
	first, size := utf8.DecodeRuneInString(c.Name)
	if r, ok := surnameReadings[first]; ok {
		return string(r) + c.Name[size:]
	}
	return c.Name
}

// SortByName sorts customers by name in the collation order of lang
// (pinyin for Chinese, "zh"), then by ID so equal names have a stable
// order.
func SortByName(customers []Customer, lang language.Tag) {
	col := collate.New(lang)
	var buf collate.Buffer
	keys := make(map[string][]byte, len(customers))
	for _, c := range customers {
		keys[c.ID] = slices.Clone(col.KeyFromString(&buf, SortName(c)))
		buf.Reset()
	}
	slices.SortStableFunc(customers, func(a, b Customer) int {
		if c := bytes.Compare(keys[a.ID], keys[b.ID]); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
}

// ListByName returns the live customers (not merged, not erased) sorted by
// name in lang's collation order. It holds them all in memory: for a
// store's customer list, not for analytics over millions.
func (s *Service) ListByName(ctx context.Context, lang language.Tag) ([]Customer, error) {
	var out []Customer
	for c, err := range s.store.Customers(ctx) {
		if err != nil {
			return nil, fmt.Errorf("customer: list: %w", err)
		}
		if c.MergedInto == "" && !c.Erased() {
			out = append(out, c)
		}
	}
	SortByName(out, lang)
	return out, nil
}
