package coupon_test

import (
	"bytes"
	"math/rand/v2"
	"testing"

	"github.com/clientele-go/clientele/loyalty/coupon"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

func TestGeneratedCodesCarryACheckCharacter(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		c, err := coupon.Generate(nil)
		require.NoError(t, err)
		require.Len(t, c, coupon.GeneratedLength)
		require.True(t, coupon.Valid(c), "a fresh code passes its check")
		require.False(t, seen[c], "codes repeat")
		seen[c] = true
	}
}

// Every single mistyped character is caught: the check is Luhn mod 32.
func TestCheckCharacterCatchesEverySingleError(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 200 {
		c, err := coupon.Generate(bytes.NewReader(randomBytes(r)))
		require.NoError(t, err)
		for i := range len(c) {
			for j := range len(alphabet) {
				if alphabet[j] == c[i] {
					continue
				}
				typo := c[:i] + string(alphabet[j]) + c[i+1:]
				assert.False(t, coupon.Valid(typo), "a typo at %d passed the check", i)
			}
		}
	}
}

func randomBytes(r *rand.Rand) []byte {
	b := make([]byte, coupon.BodyLength)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

func TestNormalizeAndFormat(t *testing.T) {
	assert.Equal(t, "SPRING20", coupon.Normalize(" spring-20 "))
	assert.Equal(t, "SPRING20", coupon.Normalize("ｓｐｒｉｎｇ－２０"), "full-width folded")
	c, err := coupon.Generate(bytes.NewReader([]byte("0123456789ab")))
	require.NoError(t, err)
	f := coupon.Format(c)
	assert.Equal(t, c, coupon.Normalize(f))
	assert.Len(t, f, coupon.GeneratedLength+3)
	assert.Equal(t, "****"+c[len(c)-4:], coupon.Mask(f))
	assert.Equal(t, "****", coupon.Mask("AB"))
}

func FuzzNormalize(f *testing.F) {
	f.Add("spring-20")
	f.Add("ｓｐｒｉｎｇ－２０")
	f.Add("0123-4567-89AB-C")
	f.Fuzz(func(t *testing.T, s string) {
		n := coupon.Normalize(s)
		assert.Equal(t, n, coupon.Normalize(n), "normalising is idempotent")
		assert.Equal(t, coupon.Valid(s), coupon.Valid(n))
		assert.NotContains(t, coupon.Mask(s)[4:], "-")
	})
}
