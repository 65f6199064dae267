package pricing

import (
	"reflect"
	"testing"
	"unsafe"

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

// reset leaves a used pricer as it leaves a new one: every field of a
// pricer is filled here by reflection, so a field added to pricer and
// not to reset fails the test.
func TestResetSetsEveryField(t *testing.T) {
	e := &Engine{promos: make([]cOffer, 3)}
	b := Basket{Store: "S", Items: make([]Item, 4), Coupons: make([]Coupon, 2)}
	used, fresh := &pricer{}, &pricer{}
	fill(reflect.ValueOf(used).Elem())
	used.reset(e, &b)
	fresh.reset(e, &b)
	uv, fv := reflect.ValueOf(used).Elem(), reflect.ValueOf(fresh).Elem()
	for i := range uv.NumField() {
		name := uv.Type().Field(i).Name
		u, f := exported(uv.Field(i)), exported(fv.Field(i))
		if u.Kind() == reflect.Slice {
			require.Equal(t, f.Len(), u.Len(), "pricer.%s: length", name)
			for j := range u.Len() {
				require.Equal(t, f.Index(j).Interface(), u.Index(j).Interface(), "pricer.%s[%d]", name, j)
			}
			continue
		}
		require.Equal(t, f.Interface(), u.Interface(), "pricer.%s", name)
	}
}

// exported makes an addressable field, exported or not, settable.
func exported(v reflect.Value) reflect.Value {
	return reflect.NewAt(v.Type(), v.Addr().UnsafePointer()).Elem()
}

// fill sets v and everything in it to values that are not zero.
func fill(v reflect.Value) {
	v = exported(v)
	switch v.Kind() {
	case reflect.Bool:
		v.SetBool(true)
	case reflect.String:
		v.SetString("x")
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(7)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		v.SetUint(7)
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 3, 3)
		for j := range 3 {
			fill(s.Index(j))
		}
		v.Set(s)
	case reflect.Struct:
		for i := range v.NumField() {
			fill(v.Field(i))
		}
	}
}

// lineCapacity never gives less room than the lines need, and gives
// more only to the sizes that sit alone in a span, filling the next class.
func TestLineCapacity(t *testing.T) {
	size := int(unsafe.Sizeof(Line{}))
	for n := range 1001 {
		c := lineCapacity(n)
		require.GreaterOrEqual(t, c, n)
		if c == n {
			continue
		}
		var next int
		switch alone := n*size + 8; {
		case 6912 < alone && alone <= 8192:
			next = 9472
		case 14336 < alone && alone <= 16384:
			next = 18432
		case 21760 < alone && alone <= 24576:
			next = 27264
		default:
			t.Fatalf("n %d (%d bytes): more room than needed", n, alone)
		}
		require.LessOrEqual(t, c*size+8, next, "n %d", n)
		require.Greater(t, (c+1)*size+8, next, "n %d", n)
	}
	require.Greater(t, lineCapacity(50), 50, "the benchmark's basket")
}
