package customer_test

import (
	"fmt"
	"testing"

	"github.com/clientele-go/clientele/customer"
	"github.com/stretchr/testify/assert"
)

func TestNameKey(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", ""},
		{"blank", " \t\u3000 ", ""},
		{"han", "张三", "张三"},
		{"space between han removed", "张 三", "张三"},
		{"spaces between han removed", "欧阳\u3000\u3000娜娜", "欧阳娜娜"},
		{"latin lower-cased", "Zhang San", "zhang san"},
		{"white space collapsed and trimmed", "  Zhang \t\n  San  ", "zhang san"},
		{"no-break space", "Zhang\u00a0San", "zhang san"},
		{"full-width latin", "Ｚｈａｎｇ　Ｓａｎ", "zhang san"},
		{"half-width katakana", "ｼﾞｮﾝ", "ジョン"},
		{"case folding beyond ascii", "MÜLLER", "müller"},
		{"sharp s folds", "Straße", "strasse"},
		{"final sigma folds", "ΟΔΥΣΣΕΥΣ", "οδυσσευσ"},
		{"han and latin keep their space", "张 San", "张 san"},
		{"middle dot", "约翰·史密斯", "约翰·史密斯"},
		{"katakana middle dot", "约翰・史密斯", "约翰·史密斯"},
		{"half-width katakana middle dot", "约翰･史密斯", "约翰·史密斯"},
		{"bullet", "约翰•史密斯", "约翰·史密斯"},
		{"hyphenation point", "约翰‧史密斯", "约翰·史密斯"},
		{"spaces around dot", "约翰 · 史密斯", "约翰·史密斯"},
		{"full stop between han", "约翰.史密斯", "约翰·史密斯"},
		{"full-width full stop between han", "约翰．史密斯", "约翰·史密斯"},
		{"doubled dots", "约翰··史密斯", "约翰·史密斯"},
		{"dots at the ends", "·约翰·", "约翰"},
		{"full stop in latin kept", "J. Smith", "j. smith"},
		{"zero-width space dropped", "张\u200b三", "张三"},
		{"control dropped", "张\x00三", "张三"},
		{"invalid utf-8 dropped", "张\xff三", "张三"},
		{"japanese han", "山田 太郎", "山田太郎"},
		{"kana keep their space", "さとう ゆき", "さとう ゆき"},
		{"compatibility ideograph", "\uf900", "\u8c48"},
		{"circled letters", "Ⓐnna", "anna"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := customer.NameKey(tt.in)
			assert.Equal(t, tt.want, got)
			assert.Equal(t, got, customer.NameKey(got), "NameKey of its own output")
		})
	}
}

func TestNameKeyEquivalences(t *testing.T) {
	groups := [][]string{
		{"张三", "张 三", " 张  三 ", "张\u3000三"},
		{"zhang san", "Zhang San", "ZHANG  SAN", "Ｚｈａｎｇ　Ｓａｎ"},
		{"迈克尔·乔丹", "迈克尔・乔丹", "迈克尔 · 乔丹", "迈克尔.乔丹", "迈克尔•乔丹"},
	}
	for _, g := range groups {
		want := customer.NameKey(g[0])
		for _, s := range g[1:] {
			assert.Equal(t, want, customer.NameKey(s), "%q", s)
		}
	}
	assert.NotEqual(t, customer.NameKey("张三"), customer.NameKey("张山"))
	assert.NotEqual(t, customer.NameKey("zhang san"), customer.NameKey("zhangsan"))
}

func ExampleNameKey() {
	fmt.Println(customer.NameKey("张 三") == customer.NameKey("张三"))
	fmt.Println(customer.NameKey("  ＺＨＡＮＧ　San "))
	fmt.Println(customer.NameKey("迈克尔 ・ 乔丹"))
	// Output:
	// true
	// zhang san
	// 迈克尔·乔丹
}
