package pricing

import (
	"reflect"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// copyItem copies every field of Item, and the tags into space of
// their own: every field is set here by reflection, so a field added to
// Item and not to copyItem fails the test.
func TestCopyItemCopiesEveryField(t *testing.T) {
	var src Item
	v := reflect.ValueOf(&src).Elem()
	for i := range v.NumField() {
		f := v.Field(i)
		switch f.Interface().(type) {
		case string:
			f.SetString("x-" + v.Type().Field(i).Name)
		case []string:
			f.Set(reflect.ValueOf([]string{"a", "b"}))
		case decimal.Decimal:
			f.Set(reflect.ValueOf(decimal.New(int64(7+i), -2)))
		default:
			t.Fatalf("Item.%s: a field copyItem and this test do not know", v.Type().Field(i).Name)
		}
	}
	var dst, next Item
	space := make([]string, 2*len(src.Tags))
	left := copyItem(&dst, &src, space)
	require.Equal(t, src, dst)
	dst.Tags[0] = "changed"
	require.Equal(t, "a", src.Tags[0], "the tags are copied")
	copyItem(&next, &src, left)
	dst.Tags = append(dst.Tags, "appended")
	require.Equal(t, []string{"a", "b"}, next.Tags, "an append to one line's tags leaves the next line's alone")
	require.Len(t, left, len(src.Tags))
	empty := Item{Tags: []string{}}
	copyItem(&dst, &empty, nil)
	require.NotNil(t, dst.Tags, "empty tags stay empty, not nil")
}
